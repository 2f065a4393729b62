import type { BenchContext } from './context.ts';
import { processCpuMs, treeCpuMs } from './machine.ts';
import type { ServerProcess } from './server-process.ts';

/** The server's event-loop delay and GC pauses during a window (BENCH_DEBUG's /debug/loop). */
export interface LoopStats {
  p50: number;
  p99: number;
  max: number;
  gc: { count: number; totalMs: number; maxMs: number };
}

export interface Window<T> {
  result: T;
  /** CPU of the server process during the window, ms. */
  serverCpuMs: number;
  /** CPU of Postgres (postmaster + backends) during the window, ms; null on an outside server. */
  pgCpuMs: number | null;
  /** Statements run in the server's database during the window; null without pg_stat_statements. */
  statements: number | null;
  /** With `loop: true`: the server's loop delay and GC; null when its server has no /debug/loop (an older baseline). */
  loop: LoopStats | null;
  load: number;
}

async function readLoop(server: ServerProcess): Promise<(LoopStats & { started: boolean }) | null> {
  const res = await fetch(`${server.url}/debug/loop`).catch(() => null);
  return res?.status === 200 ? ((await res.json()) as LoopStats & { started: boolean }) : null;
}

/** Runs `fn` and measures what the server and Postgres spent meanwhile. */
export async function measureWindow<T>(ctx: BenchContext, server: ServerProcess, database: string | null, fn: () => Promise<T>, opts: { loop?: boolean } = {}): Promise<Window<T>> {
  const load = ctx.noteLoad();
  const st0 = database ? await ctx.pg.statementCount(database) : null;
  // Resets the server's loop figures (the first call starts the monitor).
  if (opts.loop) await readLoop(server);
  const pm = ctx.pg.postmasterPid;
  const pg0 = pm ? treeCpuMs(pm) : null;
  const cpu0 = processCpuMs(server.pid);
  const result = await fn();
  const cpu1 = processCpuMs(server.pid);
  const pg1 = pm ? treeCpuMs(pm) : null;
  const loop = opts.loop ? await readLoop(server) : null;
  const st1 = database ? await ctx.pg.statementCount(database) : null;
  return {
    result,
    serverCpuMs: cpu1 - cpu0,
    pgCpuMs: pg0 !== null && pg1 !== null ? pg1 - pg0 : null,
    statements: st0 !== null && st1 !== null ? st1 - st0 : null,
    loop: loop && !loop.started ? loop : null,
    load,
  };
}

export const perUnit = (total: number | null, units: number) => (total === null || units === 0 ? null : total / units);
