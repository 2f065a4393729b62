// The raw driver's side of a scenario (server/bench/raw-pg.ts): one run on a generator with the driver's CPU
// read around it, and the figures over repetitions, shared by the throughput ceiling and the open-loop rows.
import type { LoadgenTask } from '../loadgen.ts';
import type { runRawWorkload } from '../raw-pg.ts';
import { figure } from './context.ts';
import { processCpuMs } from './machine.ts';
import { perUnit, type Window } from './measure.ts';
import { percentile } from './stats.ts';
import type { Loadgen } from './workers.ts';

/** One raw run, with the CPU its generator process spent on it. */
export type RawRun = Awaited<ReturnType<typeof runRawWorkload>> & { driverCpuMs: number };

/** Runs the task on a generator whose sockets are closed: its process CPU is then the driver's. */
export async function runRaw(lg: Loadgen, task: Extract<LoadgenTask, { kind: 'raw' }>): Promise<RawRun> {
  const cpu0 = processCpuMs(lg.pid);
  const res = await lg.run<Awaited<ReturnType<typeof runRawWorkload>>>(task);
  return { ...res, driverCpuMs: processCpuMs(lg.pid) - cpu0 };
}

/** Per completed command over the repetitions; `rateKey` names the completed-per-second figure under `key`. */
export function rawFigures(key: string, rateKey: string, reps: Array<Window<RawRun>>) {
  return {
    completedRate: figure(`${key}.${rateKey}`, 'cmd/s', reps.map((w) => w.result.completed / (w.result.elapsedMs / 1000))),
    p50: figure(`${key}.p50`, 'ms', reps.map((w) => percentile(w.result.latencies, 50))),
    p95: figure(`${key}.p95`, 'ms', reps.map((w) => percentile(w.result.latencies, 95))),
    p99: figure(`${key}.p99`, 'ms', reps.map((w) => percentile(w.result.latencies, 99))),
    errors: figure(`${key}.errors`, 'count', reps.map((w) => Object.values(w.result.errors).reduce((a, b) => a + b, 0))),
    driverCpu: figure(`${key}.driverCpuPerCommand`, 'ms', reps.map((w) => perUnit(w.result.driverCpuMs, w.result.completed))),
    pgCpu: figure(`${key}.pgCpuPerCommand`, 'ms', reps.map((w) => perUnit(w.pgCpuMs, w.result.completed))),
    statements: figure(`${key}.statementsPerCommand`, 'count', reps.map((w) => perUnit(w.statements, w.result.completed))),
  };
}
