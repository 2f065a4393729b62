// The benchmark's own PostgreSQL: embedded (with pg_stat_statements preloaded, so statements per
// command can be counted) or an existing server given by BENCH_PG_ADMIN_URL (the vitest smoke run).
// BENCH_PG_SETTINGS adds settings to the embedded one ("commit_delay=200 wal_compression=lz4"), to measure
// what a PostgreSQL setting does to the same scenario; TMPDIR decides which disk its data directory is on.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { withDatabase } from '../../src/testing/databases.ts';

export interface BenchPostgres {
  adminUrl: string;
  version: string;
  /** Postmaster pid when we run it ourselves (its backends' CPU is then measurable). */
  postmasterPid: number | null;
  statsAvailable: boolean;
  dbUrl(name: string): string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  createDatabase(name: string, template?: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** Top-level statements executed in `database` since the last reset (BEGIN/COMMIT included). */
  statementCount(database: string): Promise<number | null>;
  topStatements(database: string, limit: number): Promise<Array<{ query: string; calls: number; meanMs: number }>>;
  resetStatements(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  let adminUrl = process.env.BENCH_PG_ADMIN_URL;
  let stopEmbedded = async () => {};
  let postmasterPid: number | null = null;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'innboard-bench-pg-'));
    const dataDir = join(dir, 'pg');
    const db = await startEmbeddedPostgres(dataDir, 30000 + Math.floor(Math.random() * 20000), 'postgres_admin', [
      '-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=top',
      ...(process.env.BENCH_PG_SETTINGS ?? '').split(/\s+/).filter(Boolean).flatMap((setting) => ['-c', setting]),
    ]);
    adminUrl = db.url;
    postmasterPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    stopEmbedded = async () => {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const admin = adminUrl;
  async function query<T>(sql: string, params: unknown[] = [], database?: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: database ? withDatabase(admin, database) : admin });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const [{ server_version: version }] = await query<{ server_version: string }>('show server_version');
  let statsAvailable = false;
  try {
    await query('create extension if not exists pg_stat_statements');
    await query('select pg_stat_statements_reset()');
    statsAvailable = true;
  } catch { /* not preloaded on an outside server: statement counts are reported as unavailable */ }

  return {
    adminUrl: admin,
    version: version!,
    postmasterPid,
    statsAvailable,
    dbUrl: (name) => withDatabase(admin, name),
    query,
    async createDatabase(name, template) {
      await query(`create database ${name}${template ? ` template ${template}` : ''}`);
      if (statsAvailable) await query('create extension if not exists pg_stat_statements', [], name);
      return withDatabase(admin, name);
    },
    async dropDatabase(name) {
      await query(`drop database if exists ${name} with (force)`);
    },
    async statementCount(database) {
      if (!statsAvailable) return null;
      const [row] = await query<{ calls: string | null }>(
        `select sum(calls) as calls from pg_stat_statements s join pg_database d on d.oid = s.dbid
          where d.datname = $1 and s.query not ilike '%pg_stat_statements%'`, [database]);
      return Number(row?.calls ?? 0);
    },
    async topStatements(database, limit) {
      if (!statsAvailable) return [];
      const rows = await query<{ query: string; calls: string; mean: number }>(
        `select s.query, s.calls, s.mean_exec_time as mean from pg_stat_statements s join pg_database d on d.oid = s.dbid
          where d.datname = $1 and s.query not ilike '%pg_stat_statements%' order by s.calls desc limit $2`, [database, limit]);
      return rows.map((r) => ({ query: r.query.replace(/\s+/g, ' ').slice(0, 200), calls: Number(r.calls), meanMs: Number(r.mean.toFixed(3)) }));
    },
    async resetStatements() {
      if (statsAvailable) await query('select pg_stat_statements_reset()');
    },
    stop: stopEmbedded,
  };
}
