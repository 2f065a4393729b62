// Scenario: folio.postCharge round trip and throughput (issue 9). Each command locks its folio, appends
// a line, sums the balance and emits folio.updated; concurrent postings to ONE folio queue on its row
// lock, postings to different folios do not. Closed loop from one client process, `reps` windows.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { cell, figure, type BenchContext, type Figure, type ScenarioResult, type Table } from '../lib/context.ts';
import { login } from '../lib/server-process.ts';
import { percentile } from '../lib/stats.ts';

interface Ack { ok: boolean; result?: { folioId?: string }; error?: { code: string } }

const send = (s: Socket, type: string, payload: unknown): Promise<Ack> => s.timeout(15_000).emitWithAck('command', { id: randomUUID(), type, payload });

/** `total` postings with `inFlight` outstanding at a time, spread over `folios`; latencies in ms. */
async function closedLoop(sockets: Socket[], folios: string[], total: number, inFlight: number) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async (_, w) => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      const ack = await send(sockets[w % sockets.length]!, 'folio.postCharge', { folioId: folios[i % folios.length]!, department: 'beverage', description: 'Bench coffee', amount: 350 });
      latencies.push(performance.now() - t0);
      if (!ack.ok) errors++;
    }
  }));
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

export async function folio(ctx: BenchContext): Promise<ScenarioResult> {
  const { server } = await ctx.startReal('uws', 'folio');
  const session = await login(server.url, 'frontdesk@innboard.demo');
  const manager = await login(server.url, 'manager@innboard.demo');
  const propertyId = session.user.memberships[0]!.propertyId;
  const connect = (token: string) => new Promise<Socket>((resolve, reject) => {
    const s = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
  const sockets = await Promise.all(Array.from({ length: 4 }, () => connect(session.accessToken)));
  const admin = await connect(manager.accessToken);
  ctx.defer(async () => { for (const s of [...sockets, admin]) s.close(); await server.stop(); });
  const folios: string[] = [];
  for (let i = 0; i < 8; i++) {
    const ack = await send(admin, 'folio.create', { propertyId, kind: 'outlet', name: `Bench outlet ${i}` });
    if (!ack.ok) throw new Error(`folio.create failed: ${ack.error?.code}`);
    folios.push(ack.result!.folioId!);
  }
  const total = ctx.opts.quick ? 200 : 1000;
  await closedLoop(sockets, folios, 100, 4);
  const cases = [
    { label: 'one at a time', inFlight: 1, folios: folios.slice(0, 1) },
    { label: '8 in flight, one folio', inFlight: 8, folios: folios.slice(0, 1) },
    { label: '8 in flight, 8 folios', inFlight: 8, folios },
  ];
  const rows: Array<{ label: string; p50: Figure; p95: Figure; p99: Figure; rate: Figure; errors: Figure }> = [];
  for (const c of cases) {
    ctx.log(`folio.postCharge ${c.label}`);
    const reps = [];
    for (let r = 0; r < ctx.opts.reps; r++) reps.push(await closedLoop(sockets, c.folios, total, c.inFlight));
    const k = `folio.postCharge.${c.inFlight}x${c.folios.length}`;
    rows.push({
      label: c.label,
      p50: figure(`${k}.p50`, 'ms', reps.map((w) => percentile(w.latencies, 50))),
      p95: figure(`${k}.p95`, 'ms', reps.map((w) => percentile(w.latencies, 95))),
      p99: figure(`${k}.p99`, 'ms', reps.map((w) => percentile(w.latencies, 99))),
      rate: figure(`${k}.rate`, 'cmd/s', reps.map((w) => w.latencies.length / w.seconds)),
      errors: figure(`${k}.errors`, 'count', reps.map((w) => w.errors)),
    });
  }
  const table: Table = {
    title: `folio.postCharge, closed loop, ${total} postings per window (${server.transport})`,
    columns: ['case', 'postings/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'],
    rows: rows.map((r) => [r.label, cell(r.rate, 0), cell(r.p50), cell(r.p95), cell(r.p99), cell(r.errors, 0)]),
  };
  return {
    id: 'folio', title: 'Billing: folio.postCharge', status: 'ok',
    figures: rows.flatMap((r) => [r.p50, r.p95, r.p99, r.rate, r.errors]), tables: [table], targets: [], load: [],
  };
}
