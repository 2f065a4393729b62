// Scenario 9: the read path. A board's `sync` without `since` (the demo hotel's full snapshot, seeded
// with its demo activity) and `availability.search` over 30 nights from the business date, one at a time
// over one socket: round trip p50/p99 and the size of the answer (JSON bytes, what Socket.IO sends).
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { cell, figure, type BenchContext, type Figure, type ScenarioResult } from '../lib/context.ts';
import { loginAll, protocolCommands } from '../lib/server-process.ts';
import { percentile } from '../lib/stats.ts';

const NIGHTS = 30;

function connect(url: string, token: string): Promise<Socket> {
  const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => { s.close(); reject(e); });
  });
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

type Answer = { ok: boolean; error?: { code: string; message: string } };

/** `count` requests one after another; latency per request and the bytes of the last answer. */
async function series(count: number, request: () => Promise<Answer>): Promise<{ latencies: number[]; bytes: number; errors: number; firstError?: string }> {
  const latencies: number[] = [];
  let bytes = 0;
  let errors = 0;
  let firstError: string | undefined;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const answer = await request();
    latencies.push(performance.now() - t0);
    if (!answer.ok) {
      errors++;
      firstError ??= `${answer.error?.code}: ${answer.error?.message}`;
    }
    bytes = Buffer.byteLength(JSON.stringify(answer));
  }
  return { latencies, bytes, errors, firstError };
}

export async function readpath(ctx: BenchContext): Promise<ScenarioResult> {
  const transport = ctx.opts.transports[0]!;
  const { server } = await ctx.startReal(transport, `readpath-${transport}`);
  const [session] = await loginAll(server.url, ['frontdesk@innboard.demo']);
  const propertyId = session!.user.memberships[0]!.propertyId;
  const socket = await connect(server.url, session!.accessToken);
  ctx.defer(async () => { socket.close(); });
  const count = ctx.opts.quick ? 10 : 50;
  const sync = () => socket.timeout(30_000).emitWithAck('sync', { propertyId }) as Promise<Answer & { snapshot?: { property?: { businessDate?: string } } }>;
  const first = await sync();
  const businessDate = first.snapshot?.property?.businessDate;
  const hasSearch = (await protocolCommands(server.url)).includes('availability.search');
  const search = () => socket.timeout(30_000).emitWithAck('command', {
    id: randomUUID(), type: 'availability.search',
    payload: { propertyId, arrival: businessDate, departure: addDays(businessDate!, NIGHTS), adults: 2 },
  }) as Promise<Answer>;

  const cases: Array<{ label: string; run: () => Promise<Answer> }> = [{ label: 'sync snapshot (demo hotel)', run: sync }];
  if (hasSearch && businessDate) cases.push({ label: `availability.search, ${NIGHTS} nights, 2 adults`, run: search });
  const rows: string[][] = [];
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const c of cases) {
    await series(Math.max(3, count / 5), c.run); // warm-up
    const reps: Array<Awaited<ReturnType<typeof series>>> = [];
    for (let r = 0; r < ctx.opts.reps; r++) {
      ctx.noteLoad();
      reps.push(await series(count, c.run));
    }
    const k = `readpath.${c.label.split(' ')[0]}`;
    const p50 = figure(`${k}.p50`, 'ms', reps.map((x) => percentile(x.latencies, 50)));
    const p99 = figure(`${k}.p99`, 'ms', reps.map((x) => percentile(x.latencies, 99)));
    const bytes = figure(`${k}.bytes`, 'bytes', reps.map((x) => x.bytes));
    const errors = figure(`${k}.errors`, 'count', reps.map((x) => x.errors));
    figures.push(p50, p99, bytes, errors);
    rows.push([c.label, cell(p50), cell(p99), `${((bytes.median ?? 0) / 1024).toFixed(1)}`, cell(errors, 0)]);
    const err = reps.find((x) => x.firstError)?.firstError;
    if (err) notes.push(`${c.label}: ${err}`);
  }
  if (!hasSearch) notes.push('availability.search is not offered by this server (GET /api/protocol)');
  const [syncP50, syncP99, syncBytes, , searchP50, searchP99, searchBytes] = figures;
  return {
    id: 'readpath',
    title: `9. Read path: sync snapshot and availability search (${server.transport})`,
    status: 'ok',
    figures,
    tables: [{
      title: `One request at a time over one socket, ${count} per repetition`,
      columns: ['request', 'p50 ms', 'p99 ms', 'answer KB (JSON)', 'errors'],
      rows,
      notes,
    }],
    targets: [
      { target: 'read path: sync snapshot of the demo hotel (measured, no bound set)', measured: `p50 ${cell(syncP50)} ms, p99 ${cell(syncP99)} ms, ${((syncBytes!.median ?? 0) / 1024).toFixed(1)} KB`, met: null },
      ...(searchP50 ? [{ target: `read path: availability.search over ${NIGHTS} nights (measured, no bound set)`, measured: `p50 ${cell(searchP50)} ms, p99 ${cell(searchP99)} ms, ${((searchBytes!.median ?? 0) / 1024).toFixed(1)} KB`, met: null }] : []),
    ],
    load: [],
    details: { transport: server.transport, count, businessDate },
  };
}
