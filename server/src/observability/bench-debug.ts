import type { HttpRequest, HttpResponse } from '../transport/types.ts';

/**
 * Benchmark-only routes (BENCH_DEBUG=1, never in production; config.ts refuses it there).
 * `GET /debug/memory` answers the process's memory after a full GC when node runs with --expose-gc,
 * so the bench can compute heap per idle connection; /proc cannot see inside the V8 heap.
 */
export function benchDebugRoutes(): Array<{ method: string; path: string; handle: (req: HttpRequest) => Promise<HttpResponse> }> {
  return [{
    method: 'GET',
    path: '/debug/memory',
    handle: async () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) { gc(); gc(); }
      const m = process.memoryUsage();
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify({ gc: Boolean(gc), heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss }),
      };
    },
  }];
}
