import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEMPLATE_DB = 'innboard_test_template';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database cloned from the migrated, seeded template: each test file gets its own. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `innboard_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name} template ${TEMPLATE_DB}`);
  } finally {
    await client.end();
  }
  return withDatabase(adminUrl, name);
}

/**
 * Holds a room's row lock in a transaction of its own, so commands on that room wait as if the database
 * stopped answering for it. `waiting()` counts this database's sessions blocked on a lock (the holder never
 * is); `release()` commits and disconnects.
 */
export async function holdRoomLock(databaseUrl: string, roomId: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('begin');
  await client.query('select id from room where id = $1 for update', [roomId]);
  return {
    // pg_stat_activity holds still within a transaction (its rows are read once, at the first look), and this
    // client is inside one: without clearing that snapshot, a session the pool opened afterwards never shows.
    waiting: async () => {
      await client.query('select pg_stat_clear_snapshot()');
      return (await client.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0]!.n;
    },
    async release() {
      await client.query('commit');
      await client.end();
    },
  };
}
