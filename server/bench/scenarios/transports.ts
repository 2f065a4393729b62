// Scenario 4: uWebSockets.js against Node's http + ws, from the figures scenarios 1, 3 and 5 measured
// on both transports in this run (run.ts schedules them when only "transports" is asked for).
import { fmt, figure, type BenchContext, type Figure, type ScenarioResult, type TargetCheck } from '../lib/context.ts';
import { ratio } from '../lib/stats.ts';

function find(ctx: BenchContext, key: string): Figure | null {
  for (const r of ctx.done.values()) {
    const f = r.figures.find((x) => x.key === key);
    if (f) return f;
  }
  return null;
}

export async function transports(ctx: BenchContext): Promise<ScenarioResult> {
  const served = (id: string) => (ctx.done.get(id)?.details?.transportServing ?? ctx.done.get(id)?.details?.transport) as string | undefined;
  if (served('roundtrip-uws') === 'node' || served('fanout-uws') === 'node') {
    return { id: 'transports', title: '4. Transports: uWS vs Node ws', status: 'skipped', reason: 'uWS could not load here; the "uws" runs were served by the node transport', figures: [], tables: [], targets: [], load: [] };
  }
  // The highest offered rate both transports sustained (roundtrip stops at saturation).
  const rate = [500, 250, 200, 100, 50].find((r) => find(ctx, `roundtrip.uws.innboard.${r}.p50`) && find(ctx, `roundtrip.node.innboard.${r}.p50`)) ?? 500;
  const boards = ctx.opts.quick ? 50 : 5000;
  const pairs: Array<[string, string, string]> = [
    [`round trip p50 at ${rate}/s (ms)`, `roundtrip.uws.innboard.${rate}.p50`, `roundtrip.node.innboard.${rate}.p50`],
    [`round trip p99 at ${rate}/s (ms)`, `roundtrip.uws.innboard.${rate}.p99`, `roundtrip.node.innboard.${rate}.p99`],
    [`server CPU per command at ${rate}/s (ms)`, `roundtrip.uws.innboard.${rate}.serverCpuPerCommand`, `roundtrip.node.innboard.${rate}.serverCpuPerCommand`],
    ['bare: round trip p50 (ms)', `roundtrip.uws.bare.${rate}.p50`, `roundtrip.node.bare.${rate}.p50`],
    ['fan-out: all boards p99 from ack (ms)', 'fanout.uws.innboard.allFromAckP99', 'fanout.node.innboard.allFromAckP99'],
    ['fan-out: server CPU per broadcast (ms)', 'fanout.uws.innboard.serverCpuPerBroadcast', 'fanout.node.innboard.serverCpuPerBroadcast'],
    ['bare fan-out: server CPU per broadcast (ms)', 'fanout.uws.bare.serverCpuPerBroadcast', 'fanout.node.bare.serverCpuPerBroadcast'],
    [`heap per idle board at ${boards} (bytes)`, `memory.uws.innboard.${boards}.heapPerBoard`, `memory.node.innboard.${boards}.heapPerBoard`],
    [`bare: heap per idle board at ${boards} (bytes)`, `memory.uws.bare.${boards}.heapPerBoard`, `memory.node.bare.${boards}.heapPerBoard`],
  ];
  const rows: string[][] = [];
  const figures: Figure[] = [];
  const ratios = new Map<string, number | null>();
  for (const [label, u, n] of pairs) {
    const fu = find(ctx, u);
    const fn = find(ctx, n);
    if (!fu || !fn) continue;
    const r = ratio(fu.median, fn.median);
    ratios.set(label, r);
    figures.push(figure(`transports.${u.split('.').slice(2).join('.')}.uwsOverNode`, 'x', [r]));
    rows.push([label, fmt(fu.median, label.includes('bytes') ? 0 : 3), fmt(fn.median, label.includes('bytes') ? 0 : 3), fmt(r)]);
  }
  const targets: TargetCheck[] = [];
  const cpu = ratios.get('fan-out: server CPU per broadcast (ms)');
  if (cpu !== undefined) targets.push({ target: 'uWS server CPU per broadcast <= 0.5x the ws transport\'s', measured: `${fmt(cpu)}x`, met: cpu === null ? null : cpu <= 0.5 });
  const heap = ratios.get(`heap per idle board at ${boards} (bytes)`);
  if (heap !== undefined) targets.push({ target: 'uWS heap per idle board <= 0.5x the ws transport\'s', measured: `${fmt(heap)}x`, met: heap === null ? null : heap <= 0.5 });
  return {
    id: 'transports',
    title: '4. Transports: uWebSockets.js vs Node http + ws',
    status: rows.length ? 'ok' : 'skipped',
    reason: rows.length ? undefined : 'needs roundtrip/fanout on both transports',
    figures,
    tables: [{ title: 'Same scenarios, both transports, this run (ratio = uWS / ws)', columns: ['measure', 'uWS', 'ws', 'ratio'], rows }],
    targets,
    load: [],
  };
}
