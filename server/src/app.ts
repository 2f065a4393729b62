import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { startEmbeddedPostgres, type EmbeddedDb } from './db/embedded.ts';
import { openOrm } from './db/orm.ts';
import { syncDefaultRoles } from './db/roles.ts';
import { DemoSeeder } from './db/seeders/DemoSeeder.ts';
import { createTokenService } from './identity/tokens.ts';
import { createAuthService } from './identity/auth.service.ts';
import { createLoginThrottle } from './identity/login-throttle.ts';
import { createMetrics } from './observability/metrics.ts';
import { benchDebugRoutes } from './observability/bench-debug.ts';
import { createDispatcher } from './pipeline/dispatch.ts';
import { handlers, reactions } from './pipeline/registry.ts';
import { pruneAcks } from './pipeline/idempotency.ts';
import { attachGateway } from './realtime/gateway.ts';
import { createRoutes } from './http/routes.ts';
import { createTransport } from './transport/index.ts';
import type { Transport } from './transport/types.ts';

export interface App {
  readonly orm: MikroORM;
  readonly transport: Transport;
  readonly logger: Logger;
  readonly databaseUrl: string;
  listen(): Promise<number>;
  /** Graceful: stop accepting, let in-flight commands finish, then close everything. */
  stop(): Promise<void>;
}

const ACK_RETENTION_MS = 7 * 24 * 3600 * 1000;

export async function createApp(config: Config, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<App> {
  let embedded: EmbeddedDb | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.PG_DATA_DIR, config.PG_PORT);
    databaseUrl = embedded.url;
    logger.info({ dataDir: config.PG_DATA_DIR, port: config.PG_PORT }, 'embedded PostgreSQL started');
  }
  const orm = await openOrm(databaseUrl);
  await orm.migrator.up();
  await syncDefaultRoles(orm.em.fork());
  if (config.SEED_DEMO) await orm.seeder.seed(DemoSeeder);

  const metrics = createMetrics();
  const tokens = createTokenService(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);
  const auth = createAuthService({ orm, tokens, refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS, throttle: createLoginThrottle() });
  let gateway: ReturnType<typeof attachGateway> | undefined;
  const dispatch = createDispatcher({
    orm, handlers, reactions, logger,
    publish: (events) => gateway?.publish(events),
    onCommand: (type, outcome, seconds) => {
      metrics.commands.inc({ type, outcome });
      metrics.commandDuration.observe({ type }, seconds);
    },
  });

  const httpHandler = createRoutes({
    auth, metrics, logger, webBuildDir: config.WEB_BUILD_DIR,
    extra: config.BENCH_DEBUG ? benchDebugRoutes() : [],
    health: {
      database: async () => {
        await orm.em.fork().execute('select 1');
        return 'up';
      },
      redis: async () => 'not_configured',
      auditSink: async () => ({ state: 'up', kind: 'postgres' }),
    },
  });
  const transport = await createTransport(config.TRANSPORT, { httpHandler, maxBodyBytes: 64 * 1024, warn: (m: string) => logger.warn(m) });
  gateway = attachGateway(transport.io, {
    orm, tokens, dispatch, logger, metrics, commandsPerSecond: config.COMMANDS_PER_SECOND, heartbeatMs: config.HEARTBEAT_MS,
  });
  const prune = setInterval(() => void pruneAcks(orm.em.fork(), new Date(Date.now() - ACK_RETENTION_MS)).catch(() => {}), 3600_000);
  prune.unref();

  return {
    orm, transport, logger, databaseUrl,
    listen: () => transport.listen(config.PORT, config.HOST),
    async stop() {
      transport.stopListening();
      clearInterval(prune);
      gateway?.stop();
      await transport.close();
      await orm.close(true);
      await embedded?.stop();
    },
  };
}
