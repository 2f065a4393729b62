// One night audit per property across every node: a Postgres session-level advisory lock held on a
// connection of its own for the whole run. A node that dies (even kill -9) drops the connection and
// Postgres releases the lock at once, so the next start resumes the run without waiting for a lease.
import pg from 'pg';

export interface AuditLock {
  /** False once the lock's connection broke: the run must stop before its next unit of work. */
  held(): boolean;
  release(): Promise<void>;
}

/** The lock key of a property's audit, the same on every node (hashtextextended: a stable 64-bit hash). */
const KEY_SQL = `hashtextextended('innboard.night-audit:' || $1::text, 0)`;

/** The property's audit lock, or null while another session (any node) holds it. */
export async function tryAuditLock(databaseUrl: string, propertyId: string): Promise<AuditLock | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'innboard-night-audit' });
  let alive = true;
  client.on('error', () => {
    alive = false;
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(${KEY_SQL}) as locked`, [propertyId]);
    if (!rows[0]?.locked) {
      await client.end();
      return null;
    }
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  let released = false;
  return {
    held: () => alive && !released,
    async release() {
      if (released) return;
      released = true;
      // Ending the session releases the lock even if the unlock statement cannot be sent.
      await client.query(`select pg_advisory_unlock(${KEY_SQL})`, [propertyId]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
