import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import type { HttpRequest, HttpResponse } from '../transport/types.ts';

const json = (body: unknown): HttpResponse => ({ status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) });

/**
 * Event-loop delay and GC pauses between two calls, so the bench can tell a latency tail the server's
 * own loop caused (a long task, a GC pause) from one spent outside it (Postgres, the other processes on
 * the cores). Started by the first call only: scenarios that never ask pay nothing. 5 ms resolution:
 * a stall shorter than that may go unseen, a finer timer would cost CPU the per-command figures count.
 */
const RESOLUTION_MS = 5;

function loopMonitor() {
  let delay: IntervalHistogram | null = null;
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  });
  return () => {
    if (!delay) {
      delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      delay.enable();
      observer.observe({ entryTypes: ['gc'] });
      return { started: true };
    }
    // The histogram holds the time between the monitor's timer callbacks; the delay is what exceeds its interval.
    const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    const read = { started: false, samples: delay.count, p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), gc };
    delay.reset();
    gc = { count: 0, totalMs: 0, maxMs: 0 };
    return read;
  };
}

/**
 * Benchmark-only routes (BENCH_DEBUG=1, never in production; config.ts refuses it there).
 * `GET /debug/memory` answers the process's memory after a full GC when node runs with --expose-gc,
 * so the bench can compute heap per idle connection; /proc cannot see inside the V8 heap.
 * `GET /debug/loop` answers the event-loop delay and GC pauses since the previous call (see loopMonitor).
 */
export function benchDebugRoutes(): Array<{ method: string; path: string; handle: (req: HttpRequest) => Promise<HttpResponse> }> {
  const loop = loopMonitor();
  return [{
    method: 'GET',
    path: '/debug/memory',
    handle: async () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) { gc(); gc(); }
      const m = process.memoryUsage();
      return json({ gc: Boolean(gc), heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss });
    },
  }, {
    method: 'GET',
    path: '/debug/loop',
    handle: async () => json(loop()),
  }];
}
