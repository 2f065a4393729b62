import type { BenchContext } from './context.ts';
import { processCpuMs, treeCpuMs } from './machine.ts';
import type { ServerProcess } from './server-process.ts';

export interface Window<T> {
  result: T;
  /** CPU of the server process during the window, ms. */
  serverCpuMs: number;
  /** CPU of Postgres (postmaster + backends) during the window, ms; null on an outside server. */
  pgCpuMs: number | null;
  /** Statements run in the server's database during the window; null without pg_stat_statements. */
  statements: number | null;
  load: number;
}

/** Runs `fn` and measures what the server and Postgres spent meanwhile. */
export async function measureWindow<T>(ctx: BenchContext, server: ServerProcess, database: string | null, fn: () => Promise<T>): Promise<Window<T>> {
  const load = ctx.noteLoad();
  const st0 = database ? await ctx.pg.statementCount(database) : null;
  const pm = ctx.pg.postmasterPid;
  const pg0 = pm ? treeCpuMs(pm) : null;
  const cpu0 = processCpuMs(server.pid);
  const result = await fn();
  const cpu1 = processCpuMs(server.pid);
  const pg1 = pm ? treeCpuMs(pm) : null;
  const st1 = database ? await ctx.pg.statementCount(database) : null;
  return {
    result,
    serverCpuMs: cpu1 - cpu0,
    pgCpuMs: pg0 !== null && pg1 !== null ? pg1 - pg0 : null,
    statements: st0 !== null && st1 !== null ? st1 - st0 : null,
    load,
  };
}

export const perUnit = (total: number | null, units: number) => (total === null || units === 0 ? null : total / units);
