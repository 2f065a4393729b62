// room.setStatus's single-statement path (pipeline/types.ts FastWrite) through real sockets and Postgres:
// concurrent commands keep the stream gapless and in order, ids stay idempotent, and a command whose
// statement loses a race to another change falls back to the unit of work and answers as before.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Ack, RoomStatus } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../testing/factory.ts';
import { guest, hotelOf, ok, sql, type Conn, type Hotel } from '../domains/reservations/testing.ts';

type StatusResult = { roomId: string; status: RoomStatus; previousStatus: RoomStatus };

describe('room.setStatus in one statement', () => {
  let server: TestServer;
  let desk: Conn;
  let hk: Conn;
  let board: Conn;
  let h: Hotel;
  const statusOf = async (roomId: string) => (await sql<{ status: RoomStatus }>(server, 'select status from room where id = ?', [roomId]))[0]!.status;
  const rowsFor = async (table: 'event_log' | 'audit_outbox' | 'command_result', commandId: string) =>
    (await sql<{ n: number }>(server, `select count(*)::int as n from ${table} where ${table === 'command_result' ? 'id' : 'command_id'} = ?`, [commandId]))[0]!.n;
  const currentSeq = async () => ((await desk.sync(desk.propertyId, 0)) as { seq: number }).seq;

  beforeAll(async () => {
    server = await startTestServer();
    [desk, hk, board] = await Promise.all(['frontdesk@innboard.demo', 'housekeeping@innboard.demo', 'supervisor@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, hk, board]) c?.close();
    await server?.stop();
  });

  it('numbers concurrent commands from two sockets gaplessly; a board hears every seq once, in order; a repeated id acts once', async () => {
    const start = await currentSeq();
    const rooms = h.snapshot.rooms.filter((r) => r.number < '311');
    // Moves that never make a room ready for an arrival: all of them qualify for the single statement.
    const sends = rooms.map((r, i) => ({ conn: i % 2 ? hk : desk, id: randomUUID(), roomId: r.id, status: (r.status === 'dirty' ? 'out_of_service' : 'dirty') as RoomStatus }));
    // Every fourth command is sent twice at once with the same id, as a flaky connection's retry would.
    const acks = await Promise.all(sends.flatMap((s, i) => {
      const send = () => s.conn.command<StatusResult>('room.setStatus', { roomId: s.roomId, status: s.status }, s.id);
      return i % 4 === 0 ? [send(), send()] : [send()];
    }));
    expect(acks.every((a) => a.ok)).toBe(true);
    const byId = new Map<string, Ack<StatusResult>[]>();
    let k = 0;
    sends.forEach((s, i) => byId.set(s.id, acks.slice(k, (k += i % 4 === 0 ? 2 : 1))));
    for (const [, same] of byId) for (const a of same) expect(a).toEqual(same[0]);

    const seqs = [...byId.values()].map((a) => (a[0] as { seq: number }).seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: sends.length }, (_, i) => start + 1 + i));
    for (const s of sends) expect(await rowsFor('event_log', s.id)).toBe(1);
    for (const s of sends) expect(await statusOf(s.roomId)).toBe(s.status);
    // One node broadcasts a property's events in seq order, each once.
    await expect.poll(() => board.events.filter((e) => e.seq > start).length).toBe(sends.length);
    await settle();
    expect(board.events.filter((e) => e.seq > start).map((e) => e.seq)).toEqual(seqs);
  });

  it('falls back to the unit of work when the room changes between the preflight and the statement', async () => {
    const room = h.room('312');
    expect(await statusOf(room.id)).toBe('clean');
    // Hold the room's row: the command's statement waits on it with the status its preflight saw.
    const other = new pg.Client({ connectionString: server.databaseUrl });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select id from room where id = $1 for update', [room.id]);
      const id = randomUUID();
      const pending = desk.command<StatusResult>('room.setStatus', { roomId: room.id, status: 'dirty' }, id);
      // Read from outside the held transaction: inside one, Postgres keeps serving the first stats snapshot.
      await expect.poll(async () => (await sql<{ n: number }>(server,
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'with dom as (update room%'",
      ))[0]!.n, { timeout: 10_000 }).toBe(1);
      // Someone else takes the room out of service meanwhile: the statement no longer applies.
      await other.query("update room set status = 'out_of_service' where id = $1", [room.id]);
      await other.query('commit');

      const ack = await pending;
      expect(ack).toMatchObject({ ok: true, result: { roomId: room.id, status: 'dirty', previousStatus: 'out_of_service' }, seq: expect.any(Number) });
      const seq = (ack as { seq: number }).seq;
      const event = await board.waitForEvent((e) => e.seq === seq);
      expect(event.payload).toEqual({ roomId: room.id, status: 'dirty', previousStatus: 'out_of_service' });
      expect(await statusOf(room.id)).toBe('dirty');
      expect([await rowsFor('event_log', id), await rowsFor('audit_outbox', id), await rowsFor('command_result', id)]).toEqual([1, 1, 1]);
      const [audit] = await sql<{ changes: unknown }>(server, 'select changes from audit_outbox where command_id = ?', [id]);
      expect(audit!.changes).toEqual([{ type: 'room', id: room.id, before: { status: 'out_of_service' }, after: { status: 'dirty' } }]);
    } finally {
      await other.query('rollback').catch(() => {});
      await other.end();
    }
  });

  it('leaves a room that becomes ready for today\'s arrival to the unit of work, which tells the front desk', async () => {
    const [arriving, quiet] = [h.room('411'), h.room('412')];
    expect(arriving!.roomTypeId).toBe(quiet!.roomTypeId);
    ok(await desk.command('reservation.create', { propertyId: desk.propertyId, roomTypeId: arriving!.roomTypeId, roomId: arriving!.id, arrival: h.day(0), departure: h.day(1), adults: 1, guest: guest('Ada') }));
    for (const r of [arriving!, quiet!]) ok(await hk.command('room.setStatus', { roomId: r.id, status: 'dirty' }));
    const readyFor = (roomId: string) => desk.notifications.filter((n) => n.kind === 'room_ready' && n.ref.id === roomId);

    ok(await hk.command('room.setStatus', { roomId: arriving!.id, status: 'clean' }));
    const notice = await desk.waitForNotification((n) => n.kind === 'room_ready' && n.ref.id === arriving!.id);
    expect(notice.title).toBe(`Room ${arriving!.number} is ready`);
    // The same move with no arrival due: no notice.
    ok(await hk.command('room.setStatus', { roomId: quiet!.id, status: 'clean' }));
    await settle();
    expect(readyFor(quiet!.id)).toEqual([]);
    expect(readyFor(arriving!.id)).toHaveLength(1);
  });
});
