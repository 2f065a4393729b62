// Scenario 5: heap and RSS per idle connected board at 1,000 and 5,000 boards, real server beside the
// bare one. Heap is read after a full GC through the BENCH_DEBUG route (server runs with --expose-gc).
import { cell, figure, fmt, type BenchContext, type Figure, type ScenarioResult, type TargetCheck } from '../lib/context.ts';
import { BoardFleet } from '../lib/boards.ts';
import { rssBytes } from '../lib/machine.ts';
import { DEMO_HOTEL_USERS, loginAll, serverMemory, type ServerProcess, type TransportKind } from '../lib/server-process.ts';
import { sleep } from '../lib/stats.ts';

const BOARD_PROCESSES = 2;

async function sample(ctx: BenchContext, server: ServerProcess, n: number) {
  const heap: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < n; i++) {
    ctx.noteLoad();
    heap.push((await serverMemory(server.url)).heapUsed);
    rss.push(rssBytes(server.pid));
    await sleep(300);
  }
  return { heap, rss };
}

async function measure(ctx: BenchContext, server: ServerProcess, bare: boolean, counts: number[], label: string) {
  const tokens = bare ? ['bare'] : (await loginAll(server.url, DEMO_HOTEL_USERS)).map((s) => s.accessToken);
  const samples = ctx.opts.reps;
  await sleep(1000);
  const base = await sample(ctx, server, samples);
  const baseHeap = Math.min(...base.heap);
  const baseRss = Math.min(...base.rss);
  const fleet = new BoardFleet(ctx, BOARD_PROCESSES);
  const out: Array<{ boards: number; heap: Figure; rss: Figure }> = [];
  for (const count of counts) {
    const conn = await fleet.connect(server.url, tokens, count - fleet.connected);
    ctx.log(`memory ${label}: ${conn.connected} boards connected`);
    await sleep(ctx.opts.quick ? 500 : 3000);
    const s = await sample(ctx, server, samples);
    out.push({
      boards: conn.connected,
      heap: figure(`memory.${label}.${count}.heapPerBoard`, 'bytes', s.heap.map((h) => (h - baseHeap) / conn.connected)),
      rss: figure(`memory.${label}.${count}.rssPerBoard`, 'bytes', s.rss.map((r) => (r - baseRss) / conn.connected)),
    });
  }
  await fleet.close();
  await fleet.stop();
  return { baseHeap, baseRss, rows: out };
}

const kb = (f: Figure): Figure => ({ ...f, median: f.median === null ? null : f.median / 1024, spread: f.spread ? [f.spread[0] / 1024, f.spread[1] / 1024] : null, reps: f.reps.map((x) => (x === null ? null : x / 1024)) });

export async function memory(ctx: BenchContext, transport: TransportKind): Promise<ScenarioResult> {
  const counts = ctx.opts.quick ? [20, 50] : [1000, 5000];
  const { server } = await ctx.startReal(transport, `memory-${transport}`);
  const real = await measure(ctx, server, false, counts, `${transport}.innboard`);
  await server.stop();
  const bareServer = await ctx.startBare(transport, `memory-bare-${transport}`);
  const bare = await measure(ctx, bareServer, true, counts, `${transport}.bare`);
  await bareServer.stop();

  const rows = [
    ...real.rows.map((r) => ['Innboard', String(r.boards), cell(kb(r.heap)), cell(kb(r.rss)), (real.baseHeap / 2 ** 20).toFixed(1)]),
    ...bare.rows.map((r) => ['bare Socket.IO', String(r.boards), cell(kb(r.heap)), cell(kb(r.rss)), (bare.baseHeap / 2 ** 20).toFixed(1)]),
  ];
  const last = real.rows[real.rows.length - 1]!;
  const heapKb = last.heap.median === null ? null : last.heap.median / 1024;
  const targets: TargetCheck[] = ctx.opts.quick ? [] : [
    { target: `${server.transport}: <= 8 KB heap per idle board (at ${last.boards})`, measured: `${fmt(heapKb, 1)} KB`, met: heapKb === null ? null : heapKb <= 8 },
  ];
  return {
    id: `memory-${transport}`,
    title: `5. Memory per idle board (${server.transport})`,
    status: 'ok',
    figures: [...real.rows, ...bare.rows].flatMap((r) => [r.heap, r.rss]),
    tables: [{
      title: `Heap after full GC and RSS, minus the same process with no boards, divided by boards (KB); ${ctx.opts.reps} samples each`,
      columns: ['server', 'boards', 'heap KB/board', 'RSS KB/board', 'heap with no boards MB'],
      rows,
    }],
    targets,
    load: [],
    details: { transport: server.transport, baseHeap: { real: real.baseHeap, bare: bare.baseHeap } },
  };
}
