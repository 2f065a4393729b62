// Scenario 7: 200 simultaneous bookings for the last room-night of a room type: time to settle and
// exactly one winner. Needs reservation.create (issue 4); skipped while GET /api/protocol lacks it.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { cell, figure, type BenchContext, type ScenarioResult } from '../lib/context.ts';
import { loginAll, protocolCommands } from '../lib/server-process.ts';
import { nowMs } from '../lib/stats.ts';

const CONTENDERS = 200;
const SOCKETS = 20;
const BOOKERS = ['frontdesk@innboard.demo', 'manager@innboard.demo', 'admin@innboard.demo'];

type Ack = { ok: true; result?: unknown } | { ok: false; error: { code: string; message: string } };

function connect(url: string, token: string): Promise<Socket> {
  const s = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => { s.close(); reject(e); });
  });
}

const command = (s: Socket, type: string, payload: unknown) => s.timeout(30_000).emitWithAck('command', { id: randomUUID(), type, payload }) as Promise<Ack>;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function contention(ctx: BenchContext): Promise<ScenarioResult> {
  const title = `7. Contention: ${CONTENDERS} simultaneous bookings for the last room-night`;
  const transport = ctx.opts.transports[0]!;
  const { server } = await ctx.startReal(transport, `contention-${transport}`);
  if (!(await protocolCommands(server.url)).includes('reservation.create')) {
    return { id: 'contention', title, status: 'skipped', reason: 'reservation.create is not offered by this server yet (GET /api/protocol); it lands with issue 4', figures: [], tables: [], targets: [], load: [] };
  }
  const sessions = await loginAll(server.url, BOOKERS);
  const propertyId = sessions[0]!.user.memberships[0]!.propertyId;
  const sockets: Socket[] = [];
  ctx.defer(async () => { for (const s of sockets) s.close(); });
  for (let i = 0; i < SOCKETS; i++) sockets.push(await connect(server.url, sessions[i % sessions.length]!.accessToken));
  const sync = (await sockets[0]!.timeout(30_000).emitWithAck('sync', { propertyId })) as {
    ok: boolean; snapshot: { property: { businessDate: string }; rooms: Array<{ roomTypeId: string }>; roomTypes: Array<{ id: string; maxAdults: number }> };
  };
  const snap = sync.snapshot;
  // The scarcest room type: fewest rooms to fill before the last night is up for grabs.
  const capacity = new Map<string, number>();
  for (const r of snap.rooms) capacity.set(r.roomTypeId, (capacity.get(r.roomTypeId) ?? 0) + 1);
  const [roomTypeId, rooms] = [...capacity.entries()].sort((a, b) => a[1] - b[1])[0]!;
  const booking = (night: string, n: number) => ({
    propertyId, roomTypeId, arrival: night, departure: addDays(night, 1), adults: 1, guest: { firstName: 'Bench', lastName: `Contender ${n}` },
  });

  const reps = [];
  for (let r = 0; r < ctx.opts.reps + 1; r++) {
    const night = addDays(String(snap.property.businessDate).slice(0, 10), 120 + r * 3);
    for (let i = 0; i < rooms - 1; i++) {
      const ack = await command(sockets[0]!, 'reservation.create', booking(night, -i));
      if (!ack.ok) throw new Error(`could not fill the night before the contest: ${ack.error.code} ${ack.error.message}`);
    }
    ctx.noteLoad();
    const started = nowMs();
    const acks = await Promise.all(Array.from({ length: CONTENDERS }, (_, i) => command(sockets[i % SOCKETS]!, 'reservation.create', booking(night, i))));
    const settle = nowMs() - started;
    if (r === 0) continue; // warm-up
    const codes: Record<string, number> = {};
    for (const a of acks) codes[a.ok ? 'ok' : a.error.code] = (codes[a.ok ? 'ok' : a.error.code] ?? 0) + 1;
    reps.push({ settle, winners: codes.ok ?? 0, conflicts: codes.CONFLICT ?? 0, other: CONTENDERS - (codes.ok ?? 0) - (codes.CONFLICT ?? 0), codes });
  }
  const settle = figure('contention.settleMs', 'ms', reps.map((x) => x.settle));
  const winners = figure('contention.winners', 'count', reps.map((x) => x.winners));
  const conflicts = figure('contention.conflicts', 'count', reps.map((x) => x.conflicts));
  const other = figure('contention.otherErrors', 'count', reps.map((x) => x.other));
  const exactlyOne = reps.every((x) => x.winners === 1);
  return {
    id: 'contention',
    title,
    status: 'ok',
    figures: [settle, winners, conflicts, other],
    tables: [{
      title: `${CONTENDERS} reservation.create at once over ${SOCKETS} sockets for the last night of a room type with ${rooms} rooms`,
      columns: ['time to settle ms', 'winners', 'CONFLICT', 'other errors'],
      rows: [[cell(settle, 1), cell(winners, 0), cell(conflicts, 0), cell(other, 0)]],
    }],
    targets: [{ target: 'exactly one winner', measured: reps.map((x) => x.winners).join(', '), met: exactlyOne }],
    load: [],
    details: { transport: server.transport, roomTypeId, rooms, codes: reps.map((x) => x.codes) },
  };
}
