// Smoke test of the benchmark harness: one scenario in --quick mode must produce well-formed results.
// No timing thresholds: speed is measured by `pnpm bench`, never asserted in tests.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { BenchReport } from './lib/report.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'innboard-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pnpm bench --quick', () => {
  it('runs the round-trip scenario against a real server process and writes well-formed results', async () => {
    const out = join(dir, 'results.json');
    const repo = new URL('../../', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, ['--single-threaded-gc', 'server/bench/run.ts', '--scenario', 'roundtrip', '--transport', 'uws', '--quick', '--no-docs', '--out', out], {
      cwd: repo,
      env: { ...process.env, BENCH_PG_ADMIN_URL: inject('pgAdminUrl') },
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;

    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.node).toMatch(/^v\d+/);
    expect(report.machine.postgres).toMatch(/^\d+/);
    expect(report.loadAverage.start).toHaveLength(3);
    expect(report.scenarios).toHaveLength(1);
    const [s] = report.scenarios;
    expect(s!.status).toBe('ok');
    expect(s!.id).toBe('roundtrip-uws');
    expect(s!.load.length).toBeGreaterThan(0);
    for (const side of ['innboard', 'bare']) {
      for (const stat of ['p50', 'p95', 'p99', 'achievedRate', 'serverCpuPerCommand']) {
        const f = s!.figures.find((x) => x.key === `roundtrip.uws.${side}.50.${stat}`);
        expect(f, `${side} ${stat}`).toBeDefined();
        expect(f!.reps.length).toBeGreaterThanOrEqual(2);
        expect(typeof f!.median).toBe('number');
        expect(f!.median).toBeGreaterThan(0);
        expect(f!.spread![0]).toBeLessThanOrEqual(f!.spread![1]);
      }
      const errors = s!.figures.find((x) => x.key === `roundtrip.uws.${side}.50.errors`)!;
      expect(errors.median).toBe(0);
    }
    // The raw driver ran the same statements at the same rate, without errors.
    for (const stat of ['p50', 'p99', 'achievedRate', 'driverCpuPerCommand']) {
      expect(s!.figures.find((x) => x.key === `roundtrip.raw.50.${stat}`)?.median, `raw ${stat}`).toBeGreaterThan(0);
    }
    expect(s!.figures.find((x) => x.key === 'roundtrip.raw.50.errors')!.median).toBe(0);
    // Both servers reported their event-loop delay and GC for every window.
    for (const side of ['innboard', 'bare']) {
      for (const stat of ['loopDelayP99', 'loopDelayMax', 'gcPauseMax']) {
        const f = s!.figures.find((x) => x.key === `roundtrip.uws.${side}.50.${stat}`)!;
        expect(f.reps.every((r) => typeof r === 'number' && r >= 0), `${side} ${stat}: ${JSON.stringify(f.reps)}`).toBe(true);
      }
    }
    // Every command the generator offered was answered: acked rate ~ offered, no failures above.
    expect(s!.tables[0]!.rows).toHaveLength(3);
    expect(s!.tables[0]!.columns).toContain('p99 ms');
    expect(stdout).toContain('#### 1. Command round trip');
  }, 240_000);
});
