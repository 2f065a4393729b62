// Scenario 3: fan-out to 1,000 boards on one property, beside a bare Socket.IO broadcast of the same
// payload on the same transport. Commands come from a separate sender process at a low fixed rate so
// broadcasts do not overlap; boards are spread over generator processes and timestamp every event.
import { cell, figure, fmt, type BenchContext, type Figure, type ScenarioResult, type TargetCheck } from '../lib/context.ts';
import { BoardFleet, fanoutStats, type FanoutStats } from '../lib/boards.ts';
import { measureWindow, perUnit } from '../lib/measure.ts';
import { DEMO_HOTEL_USERS, loginAll, protocolCommands, type ServerProcess, type TransportKind } from '../lib/server-process.ts';
import { ratio } from '../lib/stats.ts';
import { startLoadgen } from '../lib/workers.ts';
import type { RunResult } from '../loadgen.ts';

const BOARD_PROCESSES = 2;
const RATE = 10; // broadcasts per second: one at a time, ~100 ms apart

interface Side {
  stats: Record<keyof FanoutStats, Figure>;
  cpuPerBroadcast: Figure;
  cpuPerCommandAlone: Figure;
  boards: number;
}

async function measureSide(ctx: BenchContext, server: ServerProcess, bare: boolean, boards: number, label: string): Promise<Side> {
  const sessions = bare ? [] : await loginAll(server.url, DEMO_HOTEL_USERS);
  const tokens = bare ? ['bare'] : sessions.map((s) => s.accessToken);
  const propertyId = bare ? '00000000-0000-4000-8000-000000000000' : sessions[0]!.user.memberships[0]!.propertyId;
  const available = bare ? ['room.setStatus'] : await protocolCommands(server.url);
  const sender = startLoadgen();
  ctx.defer(() => sender.stop());
  await sender.run({ kind: 'senders.open', url: server.url, tokens: tokens.slice(0, 1), sockets: 1, propertyId, worker: { index: 0, count: 1 }, available, bare });
  const events = ctx.opts.quick ? 5 : 40;
  const send = () => sender.run<RunResult>({ kind: 'rate', rate: RATE, durationMs: (events / RATE) * 1000 });

  // What a command costs with nobody watching, to take out of the per-broadcast CPU.
  await send();
  const alone = [];
  for (let r = 0; r < ctx.opts.reps; r++) alone.push(await measureWindow(ctx, server, null, send));
  const cpuPerCommandAlone = figure(`fanout.${label}.serverCpuPerCommandNoBoards`, 'ms', alone.map((w) => perUnit(w.serverCpuMs, w.result.acked)));

  const fleet = new BoardFleet(ctx, BOARD_PROCESSES);
  const conn = await fleet.connect(server.url, tokens, boards);
  ctx.log(`fanout ${label}: ${conn.connected} boards connected in ${(conn.ms / 1000).toFixed(1)} s`);
  await new Promise((r) => setTimeout(r, 1000));
  await fleet.collect(propertyId, send); // warm-up
  const reps = [];
  for (let r = 0; r < ctx.opts.reps; r++) {
    reps.push(await measureWindow(ctx, server, null, () => fleet.collect(propertyId, send)));
  }
  await fleet.close();
  await fleet.stop();
  await sender.stop();

  const stats = reps.map((w) => fanoutStats(w.result.result.marks ?? [], w.result.seen, boards));
  const keys = Object.keys(stats[0]!) as Array<keyof FanoutStats>;
  const figs = Object.fromEntries(keys.map((k) => [k, figure(`fanout.${label}.${k}`, k === 'events' || k === 'delivered' ? 'count' : 'ms', stats.map((s) => s[k]))])) as Side['stats'];
  const cpuPerBroadcast = figure(`fanout.${label}.serverCpuPerBroadcast`, 'ms', reps.map((w) => {
    const per = perUnit(w.serverCpuMs, w.result.result.acked);
    return per === null || cpuPerCommandAlone.median === null ? null : per - cpuPerCommandAlone.median;
  }));
  return { stats: figs, cpuPerBroadcast, cpuPerCommandAlone, boards };
}

export async function fanout(ctx: BenchContext, transport: TransportKind): Promise<ScenarioResult> {
  const boards = ctx.opts.quick ? 20 : 1000;
  const { server } = await ctx.startReal(transport, `fanout-${transport}`);
  const real = await measureSide(ctx, server, false, boards, `${transport}.innboard`);
  await server.stop();
  const bareServer = await ctx.startBare(transport, `fanout-bare-${transport}`);
  const bare = await measureSide(ctx, bareServer, true, boards, `${transport}.bare`);
  await bareServer.stop();

  const latencyRatio = ratio(real.stats.allFromAckP99.median, bare.stats.allFromAckP99.median);
  const sendRatio = ratio(real.stats.allFromSendP99.median, bare.stats.allFromSendP99.median);
  const cpuRatio = ratio(real.cpuPerBroadcast.median, bare.cpuPerBroadcast.median);
  const row = (name: string, s: Side, withAt: boolean) => [
    name, String(s.boards), cell(s.stats.delivered, 3), cell(s.stats.allFromAckP50), cell(s.stats.allFromAckP99), cell(s.stats.allFromSendP50), cell(s.stats.allFromSendP99),
    withAt ? cell(s.stats.allFromAtP99, 1) : 'n/a', cell(s.stats.eachP50), cell(s.stats.eachP99), cell(s.cpuPerBroadcast, 2), cell(s.cpuPerCommandAlone, 3),
  ];
  const targets: TargetCheck[] = [
    { target: `${server.transport}: fan-out latency (all boards, p99 from commit/ack) <= 1.2x bare`, measured: `${fmt(latencyRatio)}x (${cell(real.stats.allFromAckP99)} vs ${cell(bare.stats.allFromAckP99)} ms)`, met: latencyRatio === null ? null : latencyRatio <= 1.2 },
    { target: `${server.transport}: server CPU per broadcast <= 1.5x bare`, measured: `${fmt(cpuRatio)}x (${cell(real.cpuPerBroadcast)} vs ${cell(bare.cpuPerBroadcast)} ms)`, met: cpuRatio === null ? null : cpuRatio <= 1.5 },
  ];
  return {
    id: `fanout-${transport}`,
    title: `3. Fan-out to ${boards} boards on one property (${server.transport})`,
    status: 'ok',
    figures: [
      ...Object.values(real.stats), real.cpuPerBroadcast, real.cpuPerCommandAlone,
      ...Object.values(bare.stats), bare.cpuPerBroadcast, bare.cpuPerCommandAlone,
      figure(`fanout.${transport}.latencyRatio`, 'x', [latencyRatio]), figure(`fanout.${transport}.sendLatencyRatio`, 'x', [sendRatio]), figure(`fanout.${transport}.cpuRatio`, 'x', [cpuRatio]),
    ],
    tables: [{
      title: `${RATE} broadcasts/s, ${real.stats.events.median ?? 0} per repetition, boards in ${BOARD_PROCESSES} processes; ratios: all-boards p99 from ack ${fmt(latencyRatio)}x, from send ${fmt(sendRatio)}x, CPU/broadcast ${fmt(cpuRatio)}x`,
      columns: ['server', 'boards', 'delivered', 'all boards p50 from ack ms', 'all boards p99 from ack ms', 'all p50 from send ms', 'all p99 from send ms', 'all p99 from event.at ms', 'each board p50 from send ms', 'each p99 ms', 'server CPU/broadcast ms (net)', 'server CPU/cmd, no boards ms'],
      rows: [row('Innboard', real, true), row('bare Socket.IO', bare, false)],
      notes: [
        '"from ack": from the moment the sender got its ack; the server acks right after commit and broadcasts next, so this is commit-to-every-board (event.at is stamped when the unit of work starts, with ms resolution). CPU per broadcast is net of the same command\'s CPU with no boards connected.',
      ],
    }],
    targets,
    load: [],
    details: { transport: server.transport },
  };
}
