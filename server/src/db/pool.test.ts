// DB_POOL_SIZE caps the backends one node opens on the database host, however much work is waiting.
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

  it('twelve statements at once share three connections', async () => {
    // The pool's backends: the audit relay's and a night audit's lock connections are named and not counted.
    const backends = async () => Number((await admin.query<{ n: string }>(
      "select count(*) as n from pg_stat_activity where datname = $1 and application_name not like 'innboard-%'", [database])).rows[0]!.n);
    let most = 0;
    let running = true;
    const watch = (async () => {
      while (running) {
        most = Math.max(most, await backends());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => app.orm.em.fork().execute<{ i: number }[]>('select ?::int as i from pg_sleep(0.2)', [i])));
    running = false;
    await watch;
    expect(results.map((rows) => rows[0]!.i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // Each statement holds its connection for 200 ms: uncapped, all twelve would be open at once.
    expect(most).toBe(3);
  });

  it('refuses fewer than two connections', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', DB_POOL_SIZE: '1' })).toThrow();
  });
});
