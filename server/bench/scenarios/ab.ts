// Before/after in one run: this checkout's server and a baseline commit's (--baseline <ref>), each on
// its own fresh database, measured in alternating repetitions so both see the same machine load.
// Closed-loop throughput and open-loop latency at a rate both can sustain.
import { cell, figure, fmt, type BenchContext, type Figure, type ScenarioResult } from '../lib/context.ts';
import { measureWindow, perUnit, type Window } from '../lib/measure.ts';
import { loginAll, protocolCommands, STATUS_USERS, type ServerProcess } from '../lib/server-process.ts';
import { percentile, ratio } from '../lib/stats.ts';
import { startLoadgen, type Loadgen } from '../lib/workers.ts';
import type { RunResult } from '../loadgen.ts';

const CONCURRENCY = 16;

interface Side { label: string; server: ServerProcess; db: string; gen: Loadgen; closed: Window<RunResult>[]; open: Window<RunResult>[] }

export async function ab(ctx: BenchContext): Promise<ScenarioResult> {
  const title = '0. Before/after in one run (alternating repetitions)';
  if (!ctx.opts.baseline) return { id: 'ab', title, status: 'skipped', reason: 'no --baseline <git ref> given', figures: [], tables: [], targets: [], load: [] };
  const transport = ctx.opts.transports[0]!;
  const rate = ctx.opts.quick ? 50 : 100;
  const sides: Side[] = [];
  const flags = ctx.opts.serverNodeArgs.length ? ` with ${ctx.opts.serverNodeArgs.join(' ')}` : '';
  const current = `${ctx.opts.server ? `server ${ctx.opts.server.commit}` : 'this checkout'}${flags}`;
  for (const [label, root] of [[`baseline ${ctx.opts.baseline.commit}`, ctx.opts.baseline.root], [current, ctx.opts.server?.root]] as const) {
    const { server, db } = await ctx.startReal(transport, `ab-${label.startsWith('baseline') ? 'baseline' : 'current'}-${transport}`, { root });
    const sessions = await loginAll(server.url, STATUS_USERS);
    const gen = startLoadgen();
    ctx.defer(() => gen.stop());
    await gen.run({
      kind: 'senders.open', url: server.url, tokens: sessions.map((s) => s.accessToken), sockets: sessions.length,
      propertyId: sessions[0]!.user.memberships[0]!.propertyId, worker: { index: 0, count: 1 }, available: await protocolCommands(server.url),
    });
    sides.push({ label, server, db: db.name, gen, closed: [], open: [] });
  }
  for (const s of sides) {
    ctx.log(`ab ${s.label}: warm-up`);
    await s.gen.run({ kind: 'closed', concurrency: CONCURRENCY, durationMs: ctx.opts.warmupMs });
    await s.gen.run({ kind: 'rate', rate, durationMs: ctx.opts.warmupMs });
  }
  for (let r = 0; r < ctx.opts.reps; r++) {
    // Alternate which side goes first, so a load swing does not always favour one.
    for (const s of r % 2 ? [...sides].reverse() : sides) {
      s.closed.push(await measureWindow(ctx, s.server, s.db, () => s.gen.run<RunResult>({ kind: 'closed', concurrency: CONCURRENCY, durationMs: ctx.opts.repMs })));
      s.open.push(await measureWindow(ctx, s.server, s.db, () => s.gen.run<RunResult>({ kind: 'rate', rate, durationMs: ctx.opts.repMs })));
    }
  }
  const figs = sides.map((s) => {
    const k = `ab.${s.label.startsWith('baseline') ? 'baseline' : 'current'}`;
    return {
      s,
      tput: figure(`${k}.commandsPerSecond`, 'cmd/s', s.closed.map((w) => w.result.acked / (w.result.elapsedMs / 1000))),
      closedP50: figure(`${k}.closedP50`, 'ms', s.closed.map((w) => percentile(w.result.latencies, 50))),
      closedP99: figure(`${k}.closedP99`, 'ms', s.closed.map((w) => percentile(w.result.latencies, 99))),
      p50: figure(`${k}.${rate}.p50`, 'ms', s.open.map((w) => percentile(w.result.latencies, 50))),
      p99: figure(`${k}.${rate}.p99`, 'ms', s.open.map((w) => percentile(w.result.latencies, 99))),
      cpu: figure(`${k}.serverCpuPerCommand`, 'ms', s.closed.map((w) => perUnit(w.serverCpuMs, w.result.acked))),
      pgCpu: figure(`${k}.pgCpuPerCommand`, 'ms', s.closed.map((w) => perUnit(w.pgCpuMs, w.result.acked))),
      stmts: figure(`${k}.statementsPerCommand`, 'count', s.closed.map((w) => perUnit(w.statements, w.result.acked))),
      errors: figure(`${k}.errors`, 'count', [...s.closed, ...s.open].map((w) => w.result.timeouts + Object.values(w.result.errors).reduce((a, b) => a + b, 0))),
    };
  });
  const [before, after] = figs as [(typeof figs)[number], (typeof figs)[number]];
  const r = (pick: (x: typeof before) => Figure) => fmt(ratio(pick(after).median, pick(before).median));
  return {
    id: 'ab',
    title: `${title}, ${transport}`,
    status: 'ok',
    figures: figs.flatMap((f) => [f.tput, f.closedP50, f.closedP99, f.p50, f.p99, f.cpu, f.pgCpu, f.stmts, f.errors]),
    tables: [{
      title: `room.setStatus; closed loop ${CONCURRENCY} in flight, then open loop ${rate}/s; ${ctx.opts.reps} alternating repetitions of ${ctx.opts.repMs / 1000} s each`,
      columns: ['server', 'commands/s (closed)', 'closed p50 ms', 'closed p99 ms', `p50 at ${rate}/s ms`, `p99 at ${rate}/s ms`, 'server CPU/cmd ms', 'PG CPU/cmd ms', 'statements/cmd', 'errors'],
      rows: [
        ...figs.map((f) => [f.s.label, cell(f.tput, 0), cell(f.closedP50), cell(f.closedP99), cell(f.p50), cell(f.p99), cell(f.cpu, 3), cell(f.pgCpu, 3), cell(f.stmts, 1), cell(f.errors, 0)]),
        ['after / before', r((x) => x.tput), r((x) => x.closedP50), r((x) => x.closedP99), r((x) => x.p50), r((x) => x.p99), r((x) => x.cpu), r((x) => x.pgCpu), r((x) => x.stmts), ''],
      ],
    }],
    targets: [],
    load: [],
    details: { transport, baseline: ctx.opts.baseline.commit },
  };
}
