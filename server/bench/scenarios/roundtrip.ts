// Scenario 1: command round trip at fixed offered rates (open loop), beside the bare server's ack and the
// raw driver running the pipeline's statements at the same rates. The server's event-loop delay and GC
// pauses per window tell a tail the server's own loop caused from one spent in Postgres or on the cores.
import { cell, figure, type BenchContext, type Figure, type ScenarioResult, type Table, type TargetCheck } from '../lib/context.ts';
import { measureWindow, perUnit, type Window } from '../lib/measure.ts';
import { loginAll, protocolCommands, STATUS_USERS, type ServerProcess, type TransportKind } from '../lib/server-process.ts';
import { percentile } from '../lib/stats.ts';
import { startLoadgen } from '../lib/workers.ts';
import { rawFigures, runRaw, type RawRun } from '../lib/raw-figures.ts';
import type { RunResult } from '../loadgen.ts';
import { RAW_PLAN_USER, RAW_ROOMS_SQL } from '../raw-pg.ts';
import { POOL_SIZE, samePlan } from './throughput.ts';

export const FULL_RATES = [100, 200, 500];
/** Issue 12's open-loop target: p50 <= 2 ms and p99 <= 10 ms at this rate. */
export const TARGET_RATE = 200;

interface RateFigures {
  rate: number;
  p50: Figure; p95: Figure; p99: Figure; errors: Figure; cpu: Figure; pgCpu: Figure; statements: Figure; achieved: Figure; lag: Figure;
  loopP99: Figure; loopMax: Figure; gcMax: Figure;
  errorCodes: Record<string, number>;
}

/** The server's loop figures of each window (null where it has no /debug/loop). */
const loopFigures = (k: string, reps: Array<Window<unknown>>) => ({
  loopP99: figure(`${k}.loopDelayP99`, 'ms', reps.map((w) => w.loop?.p99 ?? null)),
  loopMax: figure(`${k}.loopDelayMax`, 'ms', reps.map((w) => w.loop?.max ?? null)),
  gcMax: figure(`${k}.gcPauseMax`, 'ms', reps.map((w) => w.loop?.gc.maxMs ?? null)),
});

async function measureRates(ctx: BenchContext, server: ServerProcess, database: string | null, senderSetup: Parameters<ReturnType<typeof startLoadgen>['run']>[0], rates: number[], label: string) {
  const lg = startLoadgen();
  ctx.defer(() => lg.stop());
  const opened = await lg.run<{ mix: string }>(senderSetup);
  const out: RateFigures[] = [];
  let saturatedAt: number | null = null;
  for (const rate of rates) {
    // Past saturation the backlog of one rate spills into the next: higher rates would measure the queue.
    if (saturatedAt !== null) break;
    ctx.log(`roundtrip ${label} ${rate}/s: warm-up`);
    await lg.run<RunResult>({ kind: 'rate', rate, durationMs: ctx.opts.warmupMs });
    const reps: Array<Awaited<ReturnType<typeof measureWindow<RunResult>>>> = [];
    for (let r = 0; r < ctx.opts.reps; r++) {
      reps.push(await measureWindow(ctx, server, database, () => lg.run<RunResult>({ kind: 'rate', rate, durationMs: ctx.opts.repMs }), { loop: true }));
    }
    const errorCodes: Record<string, number> = {};
    for (const w of reps) {
      for (const [code, n] of Object.entries(w.result.errors)) errorCodes[code] = (errorCodes[code] ?? 0) + n;
      if (w.result.timeouts) errorCodes.TIMEOUT = (errorCodes.TIMEOUT ?? 0) + w.result.timeouts;
    }
    const k = `roundtrip.${label}.${rate}`;
    out.push({
      rate,
      p50: figure(`${k}.p50`, 'ms', reps.map((w) => percentile(w.result.latencies, 50))),
      p95: figure(`${k}.p95`, 'ms', reps.map((w) => percentile(w.result.latencies, 95))),
      p99: figure(`${k}.p99`, 'ms', reps.map((w) => percentile(w.result.latencies, 99))),
      errors: figure(`${k}.errors`, 'count', reps.map((w) => Object.values(w.result.errors).reduce((a, b) => a + b, 0) + w.result.timeouts)),
      cpu: figure(`${k}.serverCpuPerCommand`, 'ms', reps.map((w) => perUnit(w.serverCpuMs, w.result.acked))),
      pgCpu: figure(`${k}.pgCpuPerCommand`, 'ms', reps.map((w) => perUnit(w.pgCpuMs, w.result.acked))),
      statements: figure(`${k}.statementsPerCommand`, 'count', reps.map((w) => perUnit(w.statements, w.result.acked))),
      achieved: figure(`${k}.achievedRate`, 'cmd/s', reps.map((w) => w.result.acked / (w.result.elapsedMs / 1000))),
      lag: figure(`${k}.generatorLagP99`, 'ms', reps.map((w) => w.result.lagP99)),
      ...loopFigures(k, reps),
      errorCodes,
    });
    const last = out[out.length - 1]!;
    if ((last.achieved.median ?? 0) < 0.9 * rate || errorCodes.TIMEOUT) saturatedAt = rate;
  }
  await lg.run({ kind: 'senders.close' });
  await lg.stop();
  return { figures: out, mix: opened.mix, saturatedAt };
}

/**
 * The raw driver at the same offered rates, with the server idle beside it: the pipeline's statements
 * (the plan whose count matches) through `pg` alone, so the difference in the tail is the server's.
 */
async function measureRawRates(ctx: BenchContext, server: ServerProcess, db: { name: string; url: string }, task: { propertyId: string; userId: string; statements: number }, rates: number[]) {
  const rooms = await ctx.pg.query<{ id: string; status: string }>(RAW_ROOMS_SQL, [task.propertyId], db.name);
  const { plan } = samePlan(task.statements);
  const lg = startLoadgen();
  ctx.defer(() => lg.stop());
  const run = (rate: number, durationMs: number) =>
    runRaw(lg, { kind: 'raw', dbUrl: db.url, plan, concurrency: 1, poolSize: POOL_SIZE, propertyId: task.propertyId, userId: task.userId, rooms, rate, durationMs });
  const out: Array<{ rate: number } & ReturnType<typeof rawFigures>> = [];
  for (const rate of rates) {
    ctx.log(`roundtrip raw ${plan} ${rate}/s: warm-up`);
    await run(rate, ctx.opts.warmupMs);
    const reps: Array<Window<RawRun>> = [];
    for (let r = 0; r < ctx.opts.reps; r++) reps.push(await measureWindow(ctx, server, db.name, () => run(rate, ctx.opts.repMs)));
    out.push({ rate, ...rawFigures(`roundtrip.raw.${rate}`, 'achievedRate', reps) });
  }
  await lg.stop();
  return { plan, figures: out };
}

export async function roundtrip(ctx: BenchContext, transport: TransportKind): Promise<ScenarioResult> {
  const rates = ctx.opts.quick ? [50] : FULL_RATES;
  const { server, db } = await ctx.startReal(transport, `roundtrip-${transport}`);
  const sessions = await loginAll(server.url, STATUS_USERS);
  const propertyId = sessions[0]!.user.memberships[0]!.propertyId;
  const available = await protocolCommands(server.url);
  await ctx.pg.resetStatements();
  const real = await measureRates(ctx, server, db.name, {
    kind: 'senders.open', url: server.url, tokens: sessions.map((s) => s.accessToken), sockets: sessions.length, propertyId,
    worker: { index: 0, count: 1 }, available,
  }, rates, `${transport}.innboard`);
  const topStatements = await ctx.pg.topStatements(db.name, 20);
  const raw = await measureRawRates(ctx, server, db, {
    propertyId, userId: sessions[STATUS_USERS.indexOf(RAW_PLAN_USER)]!.user.id, statements: real.figures[0]?.statements.median ?? 2,
  }, real.figures.map((f) => f.rate));
  await server.stop();

  const bareServer = await ctx.startBare(transport, `roundtrip-bare-${transport}`);
  const bare = await measureRates(ctx, bareServer, null, {
    kind: 'senders.open', url: bareServer.url, tokens: ['bare'], sockets: sessions.length, propertyId, worker: { index: 0, count: 1 }, available, bare: true,
  }, rates, `${transport}.bare`);
  await bareServer.stop();

  const skipped = rates.filter((r) => !real.figures.some((f) => f.rate === r));
  const table: Table = {
    title: `Round trip, open loop (${server.transport}); mix: ${real.mix}`,
    columns: ['server', 'offered/s', 'achieved/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'server CPU/cmd ms', 'PG CPU/cmd ms', 'statements/cmd', 'generator lag p99 ms', 'server loop delay p99 / max ms', 'GC pause max ms'],
    rows: [
      ...[...real.figures.map((f) => ['Innboard', f] as const), ...bare.figures.map((f) => ['bare Socket.IO', f] as const)].map(([name, f]) => [
        name, String(f.rate), cell(f.achieved, 0), cell(f.p50), cell(f.p95), cell(f.p99), cell(f.errors, 0), cell(f.cpu, 3), cell(f.pgCpu, 3), cell(f.statements, 1), cell(f.lag),
        `${cell(f.loopP99, 1)} / ${cell(f.loopMax, 1)}`, cell(f.gcMax, 1),
      ]),
      ...raw.figures.map((f) => [
        `raw pg, ${raw.plan.replace('statements-', '')} statements`, String(f.rate), cell(f.completedRate, 0), cell(f.p50), cell(f.p95), cell(f.p99), cell(f.errors, 0),
        `${cell(f.driverCpu, 3)} (driver)`, cell(f.pgCpu, 3), cell(f.statements, 1), '', '', '',
      ]),
    ],
    notes: [
      'Server loop delay: node:perf_hooks monitorEventLoopDelay (5 ms timer; the figure is how late it fired) in the server during each window; GC pause: the longest GC the server saw in it.',
      `raw pg: the same statements through \`pg\` alone at the same offered rate, the server idle beside it (plan ${raw.plan}): what PostgreSQL and the machine alone give the tail.`,
    ],
  };
  for (const r of skipped) table.rows.splice(real.figures.length + skipped.indexOf(r), 0, ['Innboard', String(r), `not run: saturated at ${real.saturatedAt}/s`, ...Array(table.columns.length - 3).fill('')]);
  const targets: TargetCheck[] = [];
  const top = real.figures.find((f) => f.rate === TARGET_RATE);
  if (!top && real.saturatedAt !== null && !ctx.opts.quick) {
    targets.push({ target: `${server.transport}: command p50 <= 2 ms and p99 <= 10 ms at ${TARGET_RATE}/s (open loop)`, measured: `saturated at ${real.saturatedAt}/s offered (see scenario 2 for the sustained maximum)`, met: false });
  }
  if (top) {
    const bareTop = bare.figures.find((f) => f.rate === TARGET_RATE);
    const rawTop = raw.figures.find((f) => f.rate === TARGET_RATE);
    targets.push({
      target: `${server.transport}: command p50 <= 2 ms and p99 <= 10 ms at ${TARGET_RATE}/s (open loop)`,
      measured: `p50 ${cell(top.p50)} ms, p99 ${cell(top.p99)} ms (bare Socket.IO: ${cell(bareTop?.p50)} / ${cell(bareTop?.p99)} ms; raw pg, same statements: ${cell(rawTop?.p50)} / ${cell(rawTop?.p99)} ms; server loop delay p99 ${cell(top.loopP99, 1)} ms, max ${cell(top.loopMax, 1)} ms, longest GC ${cell(top.gcMax, 1)} ms)`,
      met: top.p50.median !== null && top.p99.median !== null && top.p50.median <= 2 && top.p99.median <= 10,
    });
  }
  const errors = real.figures.flatMap((f) => Object.entries(f.errorCodes).map(([c, n]) => `${f.rate}/s ${c}: ${n}`));
  if (errors.length) table.notes!.push(`Innboard errors: ${errors.join(', ')}`);
  return {
    id: `roundtrip-${transport}`,
    title: `1. Command round trip (${server.transport})`,
    status: 'ok',
    figures: [
      ...[...real.figures, ...bare.figures].flatMap((f) => [f.p50, f.p95, f.p99, f.errors, f.cpu, f.pgCpu, f.statements, f.achieved, f.lag, f.loopP99, f.loopMax, f.gcMax]),
      ...raw.figures.flatMap((f) => [f.p50, f.p95, f.p99, f.completedRate, f.errors, f.driverCpu, f.pgCpu, f.statements]),
    ],
    tables: [table],
    targets,
    load: [],
    details: { transportRequested: transport, transportServing: server.transport, saturatedAt: real.saturatedAt, mix: real.mix, available, topStatements, errorCodes: Object.fromEntries(real.figures.map((f) => [f.rate, f.errorCodes])) },
  };
}
