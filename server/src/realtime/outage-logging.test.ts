// A database outage is an expected state the board rides out (UNAVAILABLE, retry): the node logs it at
// warn, keeping error for what a person must look at.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { loginAndConnect } from '../testing/factory.ts';

async function setDatabaseReachable(databaseUrl: string, reachable: boolean) {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  try {
    const db = new URL(databaseUrl).pathname.slice(1);
    await admin.query(`alter database ${db} allow_connections ${reachable}`);
    if (!reachable) await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [db]);
  } finally {
    await admin.end();
  }
}

describe('logging during a database outage', () => {
  let app: App;
  let url: string;
  let databaseUrl: string;
  const lines: Array<{ level: number; msg: string }> = [];
  beforeAll(async () => {
    databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
    app = await createApp(config, createLogger(config.LOG_LEVEL, { write: (line: string) => void lines.push(JSON.parse(line)) }));
    url = `http://127.0.0.1:${await app.listen()}`;
  });
  afterAll(async () => {
    await setDatabaseReachable(databaseUrl, true);
    await app?.stop();
  });

  it('a sync refused UNAVAILABLE is logged at warn, not error', async () => {
    const board = await loginAndConnect(url, 'frontdesk@innboard.demo');
    await setDatabaseReachable(databaseUrl, false);
    expect(await board.sync(board.propertyId)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const logged = lines.filter((l) => l.msg === 'sync failed').map((l) => l.level);
    expect(logged).toEqual([40]);
    board.close();
  });
});
