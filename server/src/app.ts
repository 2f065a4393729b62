import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { startEmbeddedPostgres, type EmbeddedDb } from './db/embedded.ts';
import { openOrm } from './db/orm.ts';
import { syncDefaultRoles } from './db/roles.ts';
import { DemoSeeder } from './db/seeders/DemoSeeder.ts';
import { seedDemoActivity } from './db/seeders/DemoActivitySeeder.ts';
import { createTokenService } from './identity/tokens.ts';
import { createAuthService } from './identity/auth.service.ts';
import { createLoginThrottle } from './identity/login-throttle.ts';
import { createAccessCache, uncachedAccess } from './identity/access-cache.ts';
import { addAuditBacklogGauges, createMetrics } from './observability/metrics.ts';
import { benchDebugRoutes } from './observability/bench-debug.ts';
import { createDispatcher, type RunSystem } from './pipeline/dispatch.ts';
import { handlers, reactions } from './registry.ts';
import { pruneAcks } from './pipeline/idempotency.ts';
import { attachGateway } from './realtime/gateway.ts';
import { useRedisAdapter } from './realtime/adapter.ts';
import { createIdentitySync } from './realtime/identity-sync.ts';
import { createDocChannel } from './realtime/doc-channel.ts';
import { connectRedis, type RedisHub } from './redis/connection.ts';
import { createLimiter } from './redis/limiters.ts';
import { copyOutboxBatch, createPostgresAuditSink } from './audit/postgres-sink.ts';
import { createMongoAuditSink } from './audit/mongo-sink.ts';
import { outboxBacklog, startAuditRelay } from './audit/relay.ts';
import type { AuditSink } from './audit/sink.ts';
import { createRoutes } from './http/routes.ts';
import { invoicePdfRoutes } from './http/invoice-pdf.route.ts';
import { createGuestSite } from './domains/guest-site/guest-site.routes.ts';
import { createTransport } from './transport/index.ts';
import type { Transport } from './transport/types.ts';
import { toSafeError } from './pipeline/safe-error.ts';
import type { CommandServices } from './pipeline/types.ts';
import { createNightAuditRunner, type NightAuditRunnerDeps } from './domains/night-audit/runner.ts';
import { startNightAuditScheduler } from './domains/night-audit/scheduler.ts';

export interface App {
  readonly orm: MikroORM;
  readonly transport: Transport;
  readonly logger: Logger;
  readonly databaseUrl: string;
  readonly redis: RedisHub | null;
  readonly auditSink: AuditSink;
  /** System units of work (scheduler, public routes): same seq, audit and idempotency guarantees as commands. */
  readonly runSystem: RunSystem;
  listen(): Promise<number>;
  /** Graceful: stop accepting, let in-flight commands finish, flush the audit relay, then close everything. */
  stop(): Promise<void>;
}

export interface AppOptions {
  /** Tests wrap the sink, e.g. to make it fail for a while. */
  wrapAuditSink?: (sink: AuditSink) => AuditSink;
  /** Tests: awaited after each committed night audit batch; throwing stops the run half-way. */
  nightAuditAfterBatch?: NightAuditRunnerDeps['afterBatch'];
}

const ACK_RETENTION_MS = 7 * 24 * 3600 * 1000;
const HEALTH_PROBE_MS = 2000;
const ACK_FLUSH_GRACE_MS = 100;

const within = <T>(ms: number, work: Promise<T>, fallback: T): Promise<T> =>
  Promise.race([work, new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms).unref())]);

export async function createApp(config: Config, logger: Logger = createLogger(config.LOG_LEVEL), options: AppOptions = {}): Promise<App> {
  let embedded: EmbeddedDb | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.PG_DATA_DIR, config.PG_PORT);
    databaseUrl = embedded.url;
    logger.info({ dataDir: config.PG_DATA_DIR, port: config.PG_PORT }, 'embedded PostgreSQL started');
  }
  const orm = await openOrm(databaseUrl, { pool: { max: config.DB_POOL_SIZE } });
  await orm.migrator.up();
  await syncDefaultRoles(orm.em.fork());
  if (config.SEED_DEMO) {
    await orm.seeder.seed(DemoSeeder);
    // Guests and work for the demo hotel, once (the test template seeds DemoSeeder only: an empty hotel).
    const activity = await seedDemoActivity(orm);
    if (activity) logger.info(activity, 'demo hotel filled with guests and bookings');
  }

  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, config.REDIS_PREFIX, logger) : null;
  const access = redis ? createAccessCache(redis, logger) : uncachedAccess;
  // Role definitions may have just changed (syncDefaultRoles): start from an empty permission cache.
  await access.invalidateAll();

  const baseSink = config.MONGO_URL ? createMongoAuditSink(config.MONGO_URL) : createPostgresAuditSink(orm);
  const auditSink = options.wrapAuditSink ? options.wrapAuditSink(baseSink) : baseSink;
  const relay = startAuditRelay({
    databaseUrl, sink: auditSink, logger, intervalMs: config.AUDIT_RELAY_INTERVAL_MS, batchSize: config.AUDIT_BATCH_SIZE,
    backoffInitialMs: config.AUDIT_BACKOFF_INITIAL_MS, backoffMaxMs: config.AUDIT_BACKOFF_MAX_MS, retentionDays: config.AUDIT_OUTBOX_RETENTION_DAYS,
    // The Postgres sink shares the outbox's database: batches are copied there. A wrapped sink sees each batch.
    shipInDatabase: auditSink === baseSink && baseSink.kind === 'postgres' ? copyOutboxBatch : undefined,
  });
  const backlog = () => outboxBacklog((sql) => orm.em.fork().execute(sql));

  const metrics = createMetrics();
  addAuditBacklogGauges(metrics, backlog);
  const tokens = createTokenService(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS);
  const auth = createAuthService({ orm, tokens, refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS, throttle: createLoginThrottle(redis) });
  // The dispatcher broadcasts through the gateway, which needs the dispatcher: tie the knot late.
  let gateway: ReturnType<typeof attachGateway> | undefined;
  let identitySync: ReturnType<typeof createIdentitySync> | undefined;
  // Services are filled in once the dispatcher exists: the night audit runs through its runSystem.
  const services: CommandServices = { auditLog: auditSink };
  const dispatch = createDispatcher({
    orm, handlers, reactions, logger, loadAccess: access.load, services, writesPerProperty: config.WRITES_PER_PROPERTY,
    publish: (events) => gateway?.publish(events),
    deliver: (notifications) => gateway?.deliver(notifications),
    afterCommit: (events) => identitySync?.(events) ?? Promise.resolve(),
    onCommand: (type, outcome, seconds) => {
      metrics.commands.inc({ type, outcome });
      metrics.commandDuration.observe({ type }, seconds);
    },
  });

  const nightAudit = createNightAuditRunner({
    orm, databaseUrl, runSystem: dispatch.runSystem, logger, batchSize: config.NIGHT_AUDIT_BATCH_SIZE, afterBatch: options.nightAuditAfterBatch,
  });
  services.nightAudit = { start: nightAudit.start, defaultTime: config.NIGHT_AUDIT_TIME };
  const auditScheduler = config.NIGHT_AUDIT_POLL_MS > 0
    ? startNightAuditScheduler({ orm, runner: nightAudit, logger, pollMs: config.NIGHT_AUDIT_POLL_MS, defaultTime: config.NIGHT_AUDIT_TIME })
    : null;

  let stopping: Promise<void> | undefined;
  const guestSite = createGuestSite({
    orm, runSystem: dispatch.runSystem, logger, linkSecret: config.GUEST_LINK_SECRET,
    readLimiter: createLimiter(redis, { keyPrefix: 'public', points: config.PUBLIC_REQUESTS_PER_MINUTE, duration: 60 }),
    writeLimiter: createLimiter(redis, { keyPrefix: 'public_write', points: config.PUBLIC_WRITES_PER_MINUTE, duration: 60 }),
  });
  const httpHandler = createRoutes({
    auth, metrics, guestSite, logger, webBuildDir: config.WEB_BUILD_DIR, isStopping: () => stopping !== undefined,
    verifyAccess: (token) => tokens.verifyAccess(token), metricsAccess: { production: config.NODE_ENV === 'production', token: config.METRICS_TOKEN },
    extra: [...(config.BENCH_DEBUG ? benchDebugRoutes() : []), ...invoicePdfRoutes({ orm, tokens, loadAccess: access.load })],
    health: {
      database: async () => {
        await orm.em.fork().execute('select 1');
        return 'up';
      },
      redis: async () => (redis ? redis.health() : 'not_configured'),
      auditSink: async () => {
        const [lag, reachable] = await Promise.all([backlog(), within(HEALTH_PROBE_MS, auditSink.ping().then(() => true, () => false), false)]);
        const status = relay.status();
        return {
          state: reachable && status.sink !== 'down' ? 'up' : 'down', kind: auditSink.kind, backlog: lag.backlog,
          oldestSeconds: lag.oldestSeconds, relay: status.role, consecutiveFailures: status.consecutiveFailures,
        };
      },
    },
  });
  const transport = await createTransport(config.TRANSPORT, {
    httpHandler,
    maxBodyBytes: 64 * 1024,
    warn: (m) => logger.warn(m),
    onError: (err, req) => logger.error({ err: toSafeError(err), path: req.path }, 'http handler threw'),
    trustProxyHops: config.TRUST_PROXY_HOPS,
    ioOptions: { connectTimeout: config.SOCKET_CONNECT_TIMEOUT_MS },
  });
  if (redis) useRedisAdapter(transport.io, redis);
  const docChannel = createDocChannel(transport.io, {
    orm, logger, loadAccess: access.load, maxUpdateBytes: config.COLLAB_MAX_UPDATE_BYTES, maxDocumentBytes: config.COLLAB_MAX_DOCUMENT_BYTES, clustered: redis !== null,
  });
  identitySync = createIdentitySync(transport.io, access, docChannel);
  const live = attachGateway(transport.io, {
    orm, tokens, dispatch, logger, metrics, commandsPerSecond: config.COMMANDS_PER_SECOND, heartbeatMs: config.HEARTBEAT_MS, commandDeadlineMs: config.COMMAND_DEADLINE_MS,
    userLimiter: createLimiter(redis, { keyPrefix: 'cmd', points: config.USER_COMMANDS_PER_SECOND, duration: 1 }), loadAccess: access.load,
    events: docChannel.events,
    connectionLimiter: createLimiter(redis, { keyPrefix: 'connect_addr', points: config.CONNECTIONS_PER_ADDRESS, duration: config.CONNECTIONS_WINDOW_SECONDS }),
    clientAddress: (handshake) => transport.clientAddress(handshake), syncs: { concurrency: config.SYNC_CONCURRENCY, perSocket: config.SYNCS_PER_SOCKET },
  });
  gateway = live;
  const prune = setInterval(() => void pruneAcks(orm.em.fork(), new Date(Date.now() - ACK_RETENTION_MS)).catch(() => {}), 3600_000);
  prune.unref();

  async function shutdown() {
    const deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS;
    transport.stopListening();
    clearInterval(prune);
    const { unfinished } = await live.drain(config.SHUTDOWN_TIMEOUT_MS * 0.6);
    if (unfinished) logger.warn({ unfinished }, 'stopping with commands still running');
    live.stop();
    // A running audit stops after its current unit and records that it will resume on the next start.
    await auditScheduler?.stop();
    await nightAudit.stop();
    // uWS sends from outside its own callbacks at the end of the loop turn and its close() is abrupt:
    // give the last acks a moment to leave before the sockets go.
    await new Promise((resolve) => setTimeout(resolve, ACK_FLUSH_GRACE_MS));
    // Only this node's sockets (local): with the Redis adapter a plain disconnectSockets reaches every node.
    transport.io.local.disconnectSockets(true);
    const flushed = await relay.flush(Math.max(500, deadline - Date.now() - 1000));
    if (flushed === 'pending') logger.warn('audit outbox not fully shipped; the next active relay continues');
    await relay.stop();
    await transport.close();
    redis?.close();
    await auditSink.close().catch(() => {});
    await orm.close(true);
    await embedded?.stop();
  }

  return {
    orm, transport, logger, databaseUrl, redis, auditSink, runSystem: dispatch.runSystem,
    listen: () => transport.listen(config.PORT, config.HOST),
    stop: () => (stopping ??= shutdown()),
  };
}
