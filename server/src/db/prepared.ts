// The statement every command sends (the fast path's single statement, pipeline/commit-records.ts) as a NAMED
// prepared statement on the ORM's own `pg` pool. MikroORM (and the Kysely under it) inlines every parameter into
// the SQL text, so PostgreSQL parsed and planned ~2 KB of text per command: on the test database EXPLAIN read
// 0.63 ms planning against 0.35 ms execution, and a round trip took 1.1-1.5 ms inline against 0.2-0.5 ms
// prepared (docs/benchmarks.md, seventh session). Neither library prepares statements by name; `pg` does, and
// keeps what each connection has parsed, so this only names a statement after its text.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';

/**
 * Distinct texts named at most per pool (one per ORM connection). The hot statements' texts depend on the command's shape only
 * (type, events, notice), never on values, so a few dozen are expected; past the cap a text is still sent with
 * parameters, unnamed, and no connection keeps a plan for it.
 */
export const MAX_NAMED = 256;

interface Statement {
  /** The text as the caller wrote it, with `?`. */
  sql: string;
  /** The text with `?` numbered `$1, $2, ...` as PostgreSQL wants them. */
  text: string;
  name?: string;
}

/**
 * The connection's own query log, which `em.execute` writes through: protected in MikroORM's types, called here
 * so whatever reads that log (the debug logger, the tests that count a command's statements) sees these too.
 */
type QueryLog = { logQuery(query: string, context: Record<string, unknown>): void };

/**
 * The texts seen so far, per pool (one per ORM connection; a reconnected ORM opens a new pool, whose connections
 * have prepared nothing yet, so it starts a new count), found by length and then compared whole. A Map keyed by
 * the text itself hashed all of it on every lookup: a status change's text is 2-4 KB, built afresh by concatenation
 * for each command, and flattening and hashing it took ~7 µs a command, against ~1.5 µs for the length and one comparison
 * (docs/benchmarks.md, fourteenth session).
 */
const byPool = new WeakMap<Pool, { count: number; byLength: Map<number, Statement[]> }>();

/** `?` placeholders numbered; the hot statements hold no `?` inside literals or jsonb operators. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function statementFor(pool: Pool, sql: string): Statement {
  let seen = byPool.get(pool);
  if (!seen) byPool.set(pool, (seen = { count: 0, byLength: new Map() }));
  let sameLength = seen.byLength.get(sql.length);
  if (!sameLength) seen.byLength.set(sql.length, (sameLength = []));
  let s = sameLength.find((candidate) => candidate.sql === sql);
  if (!s) {
    s = { sql, text: numbered(sql), name: seen.count < MAX_NAMED ? `ib_${seen.count + 1}` : undefined };
    seen.count++;
    sameLength.push(s);
  }
  return s;
}

/**
 * Runs one statement with `?` parameters outside any transaction, prepared by name on whichever pooled connection
 * runs it. Logged through the ORM's logger like `em.execute`, and failures are the ORM's exceptions, so callers
 * map them exactly as before (db-errors.ts). Inside a transaction it is `em.execute` on that transaction.
 */
export async function executePrepared<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  if (em.isInTransaction()) return em.execute<T[]>(sql, params as unknown[]);
  const connection = em.getConnection();
  const log = connection as unknown as QueryLog;
  const started = Date.now();
  try {
    // As em.execute does: connects first if the ORM is not connected (yet, or again).
    const pool = (await connection.getNativeClient()) as Pool;
    const s = statementFor(pool, sql);
    const res = await pool.query({ name: s.name, text: s.text, values: params as unknown[] });
    log.logQuery(sql, { query: sql, params, took: Date.now() - started, results: res.rows.length });
    return res.rows as T[];
  } catch (err) {
    log.logQuery(sql, { query: sql, params, took: Date.now() - started, level: 'error' });
    throw em.getDriver().convertException(err as Error);
  }
}
