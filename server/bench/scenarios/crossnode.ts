// Scenario 6: two server processes + Redis. Commands go to node A; boards on A (single-node path) and
// on B (cross-node path) see the same events, so the overhead is measured on identical broadcasts.
// Until the Redis adapter lands (REDIS_URL), B never hears of A's events: reported as skipped.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { cell, figure, fmt, type BenchContext, type ScenarioResult } from '../lib/context.ts';
import { BoardFleet, fanoutStats, type FanoutStats } from '../lib/boards.ts';
import { DEMO_HOTEL_USERS, loginAll, protocolCommands } from '../lib/server-process.ts';
import { sleep } from '../lib/stats.ts';
import { startLoadgen } from '../lib/workers.ts';
import type { RunResult } from '../loadgen.ts';

const PROBE_TIMEOUT_MS = 10_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startRedis(ctx: BenchContext): Promise<string | null> {
  try { execFileSync('redis-server', ['--version']); } catch { return null; }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  ctx.defer(async () => { child.kill('SIGTERM'); });
  for (let i = 0; i < 50; i++) {
    try { execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' }); return `redis://127.0.0.1:${port}`; } catch { await sleep(100); }
  }
  throw new Error('redis-server did not start');
}

const skipped = (reason: string): ScenarioResult => ({ id: 'crossnode', title: '6. Two processes + Redis: cross-node delivery', status: 'skipped', reason, figures: [], tables: [], targets: [], load: [] });

export async function crossnode(ctx: BenchContext): Promise<ScenarioResult> {
  const transport = ctx.opts.transports[0]!;
  const redisUrl = await startRedis(ctx);
  if (!redisUrl) return skipped('redis-server is not installed (apt-get install -y redis-server)');
  const database = await ctx.freshDatabase();
  const env = { REDIS_URL: redisUrl };
  const { server: a } = await ctx.startReal(transport, `crossnode-a-${transport}`, { database, env });
  const { server: b } = await ctx.startReal(transport, `crossnode-b-${transport}`, { database, env });
  const sessions = await loginAll(a.url, DEMO_HOTEL_USERS);
  const tokens = sessions.map((s) => s.accessToken);
  const propertyId = sessions[0]!.user.memberships[0]!.propertyId;
  const boards = ctx.opts.quick ? 10 : 100;
  const onA = new BoardFleet(ctx, 1);
  const onB = new BoardFleet(ctx, 1);
  await onA.connect(a.url, tokens, boards);
  await onB.connect(b.url, tokens, boards);
  const sender = startLoadgen();
  ctx.defer(() => sender.stop());
  await sender.run({ kind: 'senders.open', url: a.url, tokens: tokens.slice(0, 1), sockets: 1, propertyId, worker: { index: 0, count: 1 }, available: await protocolCommands(a.url) });

  const probe = await onB.collect(propertyId, () => sender.run<RunResult>({ kind: 'rate', rate: 1, durationMs: 1000 }), PROBE_TIMEOUT_MS);
  if (probe.seen.size === 0) return skipped(`REDIS_URL adapter not present: an event committed on node A never reached node B's boards within ${PROBE_TIMEOUT_MS / 1000} s`);

  // Enough events per repetition for a stable p99 (issue 12: >= 500; with 40 the tail was one or two events).
  const events = ctx.opts.quick ? 50 : 500;
  const rate = ctx.opts.quick ? 50 : 100;
  const send = () => sender.run<RunResult>({ kind: 'rate', rate, durationMs: (events / rate) * 1000 });
  await onA.collect(propertyId, () => onB.collect(propertyId, send)); // warm-up
  const reps: Array<{ single: FanoutStats; cross: FanoutStats }> = [];
  for (let r = 0; r < ctx.opts.reps; r++) {
    ctx.noteLoad();
    const outer = await onA.collect(propertyId, () => onB.collect(propertyId, send));
    const marks = outer.result.result.marks ?? [];
    reps.push({ single: fanoutStats(marks, outer.seen, boards), cross: fanoutStats(marks, outer.result.seen, boards) });
  }
  const f = (k: string, pick: (x: (typeof reps)[number]) => number | null) => figure(`crossnode.${k}`, 'ms', reps.map(pick));
  const singleP50 = f('singleNode.allFromSendP50', (x) => x.single.allFromSendP50);
  const singleP99 = f('singleNode.allFromSendP99', (x) => x.single.allFromSendP99);
  const crossP50 = f('crossNode.allFromSendP50', (x) => x.cross.allFromSendP50);
  const crossP99 = f('crossNode.allFromSendP99', (x) => x.cross.allFromSendP99);
  const delivered = figure('crossnode.crossNode.delivered', 'fraction', reps.map((x) => x.cross.delivered));
  const added = f('addedP99', (x) => (x.cross.allFromSendP99 === null || x.single.allFromSendP99 === null ? null : x.cross.allFromSendP99 - x.single.allFromSendP99));
  return {
    id: 'crossnode',
    title: `6. Two processes + Redis: cross-node delivery (${a.transport}, ${boards} boards per node)`,
    status: 'ok',
    figures: [singleP50, singleP99, crossP50, crossP99, delivered, added],
    tables: [{
      title: `Commands on node A (${events} events per repetition at ${rate}/s); the same events timed on boards of A and of B`,
      columns: ['path', 'all boards p50 from send ms', 'all boards p99 ms', 'delivered'],
      rows: [['single node (A -> A)', cell(singleP50), cell(singleP99), '1'], ['cross node (A -> Redis -> B)', cell(crossP50), cell(crossP99), cell(delivered, 3)]],
    }],
    targets: [{ target: 'cross-node: boards on node B within +2 ms p99 of node A\'s boards', measured: `${cell(added)} ms (A ${cell(singleP99)}, B ${cell(crossP99)} ms p99 from send; ${events} events per repetition)`, met: added.median === null ? null : added.median <= 2 }],
    load: [],
    details: { transport: a.transport, boards, events, rate, nodes: [a.pid, b.pid], delivered: fmt(delivered.median, 3) },
  };
}
