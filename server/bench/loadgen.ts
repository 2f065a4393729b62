// A load generator process (run with --single-threaded-gc; the parallel GC stalled the event loop
// 10-30 ms in earlier measurements). The harness forks several and drives them over IPC: boards
// (idle sockets that timestamp every event), command senders (open loop at a fixed rate, or closed
// loop at a fixed concurrency) and the raw-Postgres ceiling.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { mixFor, type MixState } from './mix.ts';
import { runRawWorkload, type RawTask } from './raw-pg.ts';
import { nowMs } from './lib/stats.ts';

export type LoadgenTask =
  | { kind: 'boards.connect'; url: string; tokens: string[]; count: number; concurrency?: number }
  | { kind: 'boards.collect.start'; propertyId?: string }
  | { kind: 'boards.collect.stop' }
  | { kind: 'boards.close' }
  | { kind: 'senders.open'; url: string; tokens: string[]; sockets: number; propertyId: string; worker: { index: number; count: number }; available: string[]; bare?: boolean; propertyIds?: string[] }
  | { kind: 'rate'; rate: number; durationMs: number }
  | { kind: 'closed'; concurrency: number; durationMs: number }
  | { kind: 'senders.close' }
  | ({ kind: 'raw' } & RawTask);

export interface RunResult {
  sent: number;
  acked: number;
  timeouts: number;
  /** Round trip per acked command, ms. */
  latencies: number[];
  errors: Record<string, number>;
  /** Acks without seq: the command changed nothing. */
  noEvent: number;
  /** How late the open-loop scheduler sent, ms (p99); large values mean the generator saturated. */
  lagP99: number;
  elapsedMs: number;
  /** Per command: [seq, sentAt, ackAt] in wall-clock ms (for fan-out timing). */
  marks?: Array<[number, number, number]>;
}

function connectSocket(url: string, token: string): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => { socket.close(); reject(err); });
  });
}

// ---- boards ---------------------------------------------------------------------------------------
const boards: Socket[] = [];
let collecting: { propertyId?: string; arrivals: Map<number, number[]>; stamped: Map<number, number> } | null = null;

function onBoardEvent(e: { seq: number; propertyId: string; at: string }) {
  const now = nowMs();
  if (!collecting || (collecting.propertyId && e.propertyId !== collecting.propertyId)) return;
  const list = collecting.arrivals.get(e.seq);
  if (list) list.push(now);
  else {
    collecting.arrivals.set(e.seq, [now]);
    collecting.stamped.set(e.seq, Date.parse(e.at));
  }
}

async function connectBoards(task: Extract<LoadgenTask, { kind: 'boards.connect' }>) {
  const started = performance.now();
  let failed = 0;
  let next = 0;
  let firstError = '';
  const lane = async () => {
    while (next < task.count) {
      const i = next++;
      try {
        const s = await connectSocket(task.url, task.tokens[i % task.tokens.length]!);
        s.on('event', onBoardEvent);
        boards.push(s);
      } catch (err) {
        failed++;
        firstError ||= String((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(task.count, task.concurrency ?? 50) }, lane));
  return { connected: boards.length, failed, firstError, ms: performance.now() - started };
}

// ---- senders --------------------------------------------------------------------------------------
let senders: Socket[] = [];
let mixState: MixState | null = null;
let mix: ReturnType<typeof mixFor> | null = null;
let commandNo = 0;

async function openSenders(task: Extract<LoadgenTask, { kind: 'senders.open' }>) {
  senders = [];
  for (let i = 0; i < task.sockets; i++) senders.push(await connectSocket(task.url, task.tokens[i % task.tokens.length]!));
  let rooms: MixState['rooms'];
  let roomTypeIds: string[];
  if (task.bare) {
    rooms = Array.from({ length: 60 }, () => ({ id: randomUUID(), status: 'clean', roomTypeId: randomUUID() }));
    roomTypeIds = [...new Set(rooms.map((r) => r.roomTypeId))];
  } else {
    // With several properties their rooms are interleaved, so consecutive commands hit different properties.
    const perProperty: Array<MixState['rooms']> = [];
    roomTypeIds = [];
    for (const propertyId of task.propertyIds ?? [task.propertyId]) {
      const res = (await senders[0]!.timeout(30_000).emitWithAck('sync', { propertyId })) as {
        ok: boolean; snapshot?: { rooms: MixState['rooms']; roomTypes: Array<{ id: string }> };
      };
      if (!res.ok || !res.snapshot) throw new Error(`sync failed: ${JSON.stringify(res)}`);
      // Rooms held out of order (maintenance tickets in the demo data) refuse hand-made status changes.
      perProperty.push(res.snapshot.rooms.filter((r) => r.status !== 'out_of_order').map((r) => ({ id: r.id, status: r.status, roomTypeId: r.roomTypeId })));
      roomTypeIds.push(...res.snapshot.roomTypes.map((t) => t.id));
    }
    rooms = [];
    for (let i = 0; i < Math.max(...perProperty.map((l) => l.length)); i++) for (const list of perProperty) if (list[i]) rooms.push(list[i]!);
  }
  // Each generator owns a disjoint share of the rooms, so no two generators fight over a row lock.
  const mine = rooms.filter((_, i) => i % task.worker.count === task.worker.index);
  mixState = { propertyId: task.propertyId, rooms: mine, roomTypeIds, n: 0 };
  mix = mixFor(task.available);
  if (mix.entries.length === 0) throw new Error('no command of the mix is offered by the server');
  return { sockets: senders.length, rooms: mine.length, mix: mix.describe() };
}

function newRun(): RunResult {
  return { sent: 0, acked: 0, timeouts: 0, latencies: [], errors: {}, noEvent: 0, lagP99: 0, elapsedMs: 0, marks: [] };
}

type Ack = { ok: true; seq?: number } | { ok: false; error: { code: string } };

function sendOne(run: RunResult, socketIndex: number, onAck: () => void) {
  const k = commandNo++;
  const entry = mix!.pick(k);
  mixState!.n = k;
  const envelope = { id: randomUUID(), type: entry.type, payload: entry.make(mixState!) };
  const sentAt = nowMs();
  const t0 = performance.now();
  run.sent++;
  senders[socketIndex % senders.length]!.emit('command', envelope, (ack: Ack) => {
    const t1 = performance.now();
    run.acked++;
    run.latencies.push(t1 - t0);
    if (!ack.ok) run.errors[ack.error.code] = (run.errors[ack.error.code] ?? 0) + 1;
    else if (ack.seq === undefined) run.noEvent++;
    else run.marks!.push([ack.seq, sentAt, sentAt + (t1 - t0)]);
    onAck();
  });
}

async function drain(run: RunResult, timeoutMs = 10_000) {
  const until = performance.now() + timeoutMs;
  while (run.acked < run.sent && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
  run.timeouts = run.sent - run.acked;
}

/** Open loop: sends on schedule whatever the acks do, so a slow server shows up as latency. */
async function runRate(task: Extract<LoadgenTask, { kind: 'rate' }>): Promise<RunResult> {
  const run = newRun();
  const interval = 1000 / task.rate;
  const total = Math.max(1, Math.round((task.rate * task.durationMs) / 1000));
  const lags: number[] = [];
  const start = performance.now();
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && start + i * interval <= now) {
        lags.push(performance.now() - (start + i * interval));
        sendOne(run, i, () => {});
        i++;
      }
      if (i >= total) return resolve();
      setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
  await drain(run);
  run.elapsedMs = performance.now() - start;
  lags.sort((a, b) => a - b);
  run.lagP99 = lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.99))] ?? 0;
  return run;
}

/** Closed loop: `concurrency` commands in flight at all times, for throughput. */
async function runClosed(task: Extract<LoadgenTask, { kind: 'closed' }>): Promise<RunResult> {
  const run = newRun();
  const start = performance.now();
  const end = start + task.durationMs;
  let lanes = task.concurrency;
  await new Promise<void>((resolve) => {
    for (let lane = 0; lane < task.concurrency; lane++) {
      const next = () => {
        if (performance.now() >= end) {
          if (--lanes === 0) resolve();
          return;
        }
        sendOne(run, lane, next);
      };
      next();
    }
  });
  run.elapsedMs = performance.now() - start;
  await drain(run);
  run.marks = [];
  return run;
}

async function handle(task: LoadgenTask): Promise<unknown> {
  switch (task.kind) {
    case 'boards.connect': return connectBoards(task);
    case 'boards.collect.start': collecting = { propertyId: task.propertyId, arrivals: new Map(), stamped: new Map() }; return { ok: true };
    case 'boards.collect.stop': {
      const arrivals = collecting ? [...collecting.arrivals.entries()] : [];
      const stamped = collecting ? [...collecting.stamped.entries()] : [];
      collecting = null;
      return { arrivals, stamped };
    }
    case 'boards.close': {
      for (const s of boards.splice(0)) s.close();
      return { ok: true };
    }
    case 'senders.open': return openSenders(task);
    case 'rate': return runRate(task);
    case 'closed': return runClosed(task);
    case 'senders.close': {
      for (const s of senders.splice(0)) s.close();
      return { ok: true };
    }
    case 'raw': return runRawWorkload(task);
    default: {
      const never: never = task;
      throw new Error(`unknown task ${JSON.stringify(never)}`);
    }
  }
}

process.on('message', (msg: { id: number; task: LoadgenTask }) => {
  handle(msg.task).then(
    (result) => process.send!({ id: msg.id, result }),
    (err: Error) => process.send!({ id: msg.id, error: err.stack ?? String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
