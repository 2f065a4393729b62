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
  /** With `wal: true`: WAL PostgreSQL wrote during the window, bytes (cluster-wide: the relay's and autovacuum's included). */
  walBytes: number | null;
  /** With `loop: true`: the server's loop delay and GC; null when its server has no /debug/loop (an older baseline). */
  loop: LoopStats | null;
  /** With `dispatch: true`: the server's own command durations (receipt to answer); null without /metrics. */
  dispatch: DispatchStats | null;
  load: number;
}

/** From the server's `innboard_command_duration_seconds` histogram: the dispatcher's share of the round trip. */
export interface DispatchStats {
  /** Interpolated within its bucket (0.5, 1, 2, 5, 10, 25, 50 ms, ...), so only as fine as the buckets. */
  p99Ms: number | null;
}

/** Cumulative bucket counts by upper bound (seconds), summed over command types. */
async function readDispatch(server: ServerProcess): Promise<Map<number, number> | null> {
  const res = await fetch(`${server.url}/metrics`).catch(() => null);
  if (res?.status !== 200) return null;
  const buckets = new Map<number, number>();
  for (const m of (await res.text()).matchAll(/^innboard_command_duration_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\d+)$/gm)) {
    const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
    buckets.set(le, (buckets.get(le) ?? 0) + Number(m[2]));
  }
  return buckets;
}

function dispatchStats(before: Map<number, number>, after: Map<number, number>): DispatchStats {
  const cumulative = [...after].map(([le, n]) => [le, n - (before.get(le) ?? 0)] as const).sort((a, b) => a[0] - b[0]);
  const count = cumulative.at(-1)?.[1] ?? 0;
  let p99Ms: number | null = null;
  let lower = 0;
  let below = 0;
  for (const [le, n] of cumulative) {
    if (count > 0 && n >= 0.99 * count) {
      p99Ms = le === Infinity ? null : 1000 * (lower + ((0.99 * count - below) / Math.max(1, n - below)) * (le - lower));
      break;
    }
    lower = le;
    below = n;
  }
  return { p99Ms };
}

async function readLoop(server: ServerProcess): Promise<(LoopStats & { started: boolean }) | null> {
  const res = await fetch(`${server.url}/debug/loop`).catch(() => null);
  return res?.status === 200 ? ((await res.json()) as LoopStats & { started: boolean }) : null;
}

async function walLsn(ctx: BenchContext): Promise<number> {
  const [row] = await ctx.pg.query<{ bytes: string }>(`select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as bytes`);
  return Number(row!.bytes);
}

/** Runs `fn` and measures what the server and Postgres spent meanwhile. */
export async function measureWindow<T>(ctx: BenchContext, server: ServerProcess, database: string | null, fn: () => Promise<T>, opts: { loop?: boolean; dispatch?: boolean; wal?: boolean } = {}): Promise<Window<T>> {
  const load = ctx.noteLoad();
  const st0 = database ? await ctx.pg.statementCount(database) : null;
  // Resets the server's loop figures (the first call starts the monitor).
  if (opts.loop) await readLoop(server);
  const d0 = opts.dispatch ? await readDispatch(server) : null;
  const wal0 = opts.wal ? await walLsn(ctx) : null;
  const pm = ctx.pg.postmasterPid;
  const pg0 = pm ? treeCpuMs(pm) : null;
  const cpu0 = processCpuMs(server.pid);
  const result = await fn();
  const cpu1 = processCpuMs(server.pid);
  const pg1 = pm ? treeCpuMs(pm) : null;
  const wal1 = wal0 !== null ? await walLsn(ctx) : null;
  const loop = opts.loop ? await readLoop(server) : null;
  const d1 = d0 ? await readDispatch(server) : null;
  const st1 = database ? await ctx.pg.statementCount(database) : null;
  return {
    result,
    serverCpuMs: cpu1 - cpu0,
    pgCpuMs: pg0 !== null && pg1 !== null ? pg1 - pg0 : null,
    statements: st0 !== null && st1 !== null ? st1 - st0 : null,
    walBytes: wal0 !== null && wal1 !== null ? wal1 - wal0 : null,
    loop: loop && !loop.started ? loop : null,
    dispatch: d0 && d1 ? dispatchStats(d0, d1) : null,
    load,
  };
}

export const perUnit = (total: number | null, units: number) => (total === null || units === 0 ? null : total / units);
