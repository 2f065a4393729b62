// DB_POOL_SIZE caps the connections a node's commands and reads hold on the database host, however much work waits.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createTestDatabase } from '../testing/databases.ts';

describe('DB_POOL_SIZE', () => {
  let app: App;
  let database: string;
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  beforeAll(async () => {
    const databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
    database = new URL(databaseUrl).pathname.slice(1);
    app = await createApp(loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, SEED_DEMO: 'false', LOG_LEVEL: 'warn', DB_POOL_SIZE: '3' }));
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await app?.stop();
  });

  it('twelve statements sent at once run three at a time', async () => {
    // Statements of this test running at once: each holds its own connection while it sleeps. Counting connections
    // instead would also count ones that other parts of the node (relay, night audit lock) or the test database's
    // creation have open or are just closing.
    const sleeping = async () => Number((await admin.query<{ n: string }>(
      "select count(*) as n from pg_stat_activity where datname = $1 and state = 'active' and query like '%from pg_sleep(0.2)%'", [database])).rows[0]!.n);
    let most = 0;
    let running = true;
    const watch = (async () => {
      while (running) {
        most = Math.max(most, await sleeping());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => app.orm.em.fork().execute<{ i: number }[]>('select ?::int as i from pg_sleep(0.2)', [i])));
    running = false;
    await watch;
    expect(results.map((rows) => rows[0]!.i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // Each statement holds its connection for 200 ms: uncapped, all twelve run at once.
    expect(most).toBe(3);
  });

  it('refuses fewer than two connections', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', DB_POOL_SIZE: '1' })).toThrow();
  });
});
