import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, ReservationCreateResult, ReservationView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, expectEventsMatchContract, freeOn, guest, hotelOf, inventoryMismatches, ok, setBusinessDate, sql, type Conn, type Hotel } from './testing.ts';

describe('rooms and stays: assignment, check-in, moves, extensions, check-out', () => {
  let server: TestServer;
  let desk: Conn;
  let hk: Conn;
  let h: Hotel;
  const book = (roomTypeCode: string, from: number, to: number, extra: Record<string, unknown> = {}) =>
    desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: h.type(roomTypeCode).id, arrival: h.day(from), departure: h.day(to), adults: 1, guest: guest('Stella'), ...extra,
    });
  const setStatus = (number: string, status: string) => desk.command('room.setStatus', { roomId: h.room(number).id, status });
  const roomStatus = async (number: string) => (await sql<{ status: string }>(server, 'select status from room where id = ?', [h.room(number).id]))[0]!.status;
  const viewOf = (e: EventEnvelope) => (e.payload as { reservation: ReservationView }).reservation;
  const updateFor = (id: string, change: string) => hk.waitForEvent((e) => e.type === 'reservation.updated' && viewOf(e).id === id && (e.payload as { change: string }).change === change);

  beforeAll(async () => {
    server = await startTestServer();
    [desk, hk] = await Promise.all(['frontdesk@innboard.demo', 'housekeeping@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, hk]) c?.close();
    await server?.stop();
  });

  it('assigns a room by hand; refuses another type and a room taken for those nights', async () => {
    const res = ok(await book('STD', 10, 13));
    expect(errorCode(await desk.command('reservation.assignRoom', { reservationId: res.reservationId, roomId: h.room('102').id }))).toBe('VALIDATION');
    const assigned = updateFor(res.reservationId, 'room_assigned');
    ok(await desk.command('reservation.assignRoom', { reservationId: res.reservationId, roomId: h.room('107').id }));
    expect(viewOf(await assigned)).toMatchObject({ roomId: h.room('107').id, segments: [{ roomId: h.room('107').id, from: h.day(10), to: h.day(13) }] });
    const other = ok(await book('STD', 12, 14, { guest: guest('Otto') }));
    const clash = await desk.command('reservation.assignRoom', { reservationId: other.reservationId, roomId: h.room('107').id });
    expect(clash).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reservationId: res.reservationId, roomId: h.room('107').id } } });
    // Re-assigning moves the whole stay; the old room is free again.
    ok(await desk.command('reservation.assignRoom', { reservationId: res.reservationId, roomId: h.room('109').id }));
    ok(await desk.command('reservation.assignRoom', { reservationId: other.reservationId, roomId: h.room('107').id }));
  });

  it('auto-assigns the best fit: preferred floor, inspected before clean before dirty, lowest number', async () => {
    ok(await setStatus('303', 'dirty'));
    ok(await setStatus('307', 'inspected'));
    const a = ok(await book('STD', 20, 22));
    const b = ok(await book('STD', 21, 23, { guest: guest('Bea') }));
    const c = ok(await book('STD', 21, 22, { guest: guest('Cy') }));
    expect(ok(await desk.command<ReservationView>('reservation.autoAssign', { reservationId: a.reservationId, preferFloor: 3 })).roomId).toBe(h.room('307').id);
    expect(ok(await desk.command<ReservationView>('reservation.autoAssign', { reservationId: b.reservationId, preferFloor: 3 })).roomId).toBe(h.room('305').id);
    // Without a floor wish: the lowest clean Standard that is free.
    expect(ok(await desk.command<ReservationView>('reservation.autoAssign', { reservationId: c.reservationId })).roomId).toBe(h.room('103').id);
  });

  it('auto-assign answers CONFLICT when no room of the type is free for every night', async () => {
    const ste = h.snapshot.rooms.filter((r) => r.roomTypeId === h.type('STE').id);
    const ids: string[] = [];
    for (const r of ste) ids.push(ok(await book('STE', 30, 31, { roomId: r.id, guest: guest(`S${r.number}`) })).reservationId);
    ok(await desk.command('reservation.cancel', { reservationId: ids[0]!, reason: 'Guest cancelled' }));
    const unassigned = ok(await book('STE', 30, 31, { guest: guest('Nobody') }));
    ok(await desk.command('reservation.assignRoom', { reservationId: ids[1]!, roomId: ste[1]!.id }));
    // The only free suite is the cancelled one's; after that the type is sold out.
    expect(ok(await desk.command<ReservationView>('reservation.autoAssign', { reservationId: unassigned.reservationId })).roomId).toBe(ste[0]!.id);
    expect(errorCode(await book('STE', 30, 31, { guest: guest('Extra') }))).toBe('CONFLICT');
  });

  it('check-in needs an assigned room on a day of the stay', async () => {
    const future = ok(await book('STD', 2, 3, { roomId: h.room('111').id }));
    expect(await desk.command('reservation.checkIn', { reservationId: future.reservationId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(h.day(2)) } });
    const unassigned = ok(await book('STD', 0, 1));
    expect(await desk.command('reservation.checkIn', { reservationId: unassigned.reservationId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Assign a room') } });
  });

  it('check-in into a dirty room is CONFLICT; an override with a reason works and is audited', async () => {
    ok(await setStatus('113', 'dirty'));
    const res = ok(await book('STD', 0, 2, { roomId: h.room('113').id }));
    expect(await desk.command('reservation.checkIn', { reservationId: res.reservationId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Room 113 is dirty') } });
    expect((await sql<{ status: string }>(server, 'select status from reservation where id = ?', [res.reservationId]))[0]!.status).toBe('confirmed');
    const commandId = crypto.randomUUID();
    const event = hk.waitForEvent((e) => e.type === 'reservation.checkedIn' && viewOf(e).id === res.reservationId);
    const ack = await desk.command('reservation.checkIn', { reservationId: res.reservationId, override: { reason: 'VIP waiting, room cleaned by hand' } }, commandId);
    expect(ack).toMatchObject({ ok: true, result: { status: 'checked_in', roomId: h.room('113').id, override: true }, seq: expect.any(Number) });
    expect((await event).payload).toMatchObject({ roomId: h.room('113').id, override: { reason: 'VIP waiting, room cleaned by hand', roomStatus: 'dirty' }, reservation: { status: 'checked_in' } });
    const [audit] = await sql<{ changes: Array<{ after: { checkInOverride?: { reason: string; roomStatus: string } } }> }>(server, 'select changes from audit_outbox where command_id = ?', [commandId]);
    expect(audit!.changes[0]!.after.checkInOverride).toMatchObject({ reason: 'VIP waiting, room cleaned by hand', roomStatus: 'dirty' });
  });

  it('check-in into a clean room needs no override; a room still occupied by a departing guest does', async () => {
    const res = ok(await book('DLX', 0, 1, { roomId: h.room('104').id }));
    ok(await desk.command('reservation.checkIn', { reservationId: res.reservationId }));
    // Tomorrow someone else has 104 while today's guest is still in it (departure day, not checked out).
    await setBusinessDate(server, desk.propertyId, h.day(1));
    try {
      const next = ok(await book('DLX', 1, 2, { roomId: h.room('104').id, guest: guest('Next') }));
      expect(await desk.command('reservation.checkIn', { reservationId: next.reservationId })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('has not checked out') } });
    } finally {
      await setBusinessDate(server, desk.propertyId, h.businessDate);
    }
  });

  it('check-out on the departure day makes the room dirty and tells housekeeping', async () => {
    ok(await setStatus('106', 'clean'));
    const res = ok(await book('DLX', 0, 1, { roomId: h.room('106').id }));
    ok(await desk.command('reservation.checkIn', { reservationId: res.reservationId }));
    await setBusinessDate(server, desk.propertyId, h.day(1));
    try {
      const seen = hk.events.length;
      const ack = await desk.command('reservation.checkOut', { reservationId: res.reservationId });
      expect(ack).toMatchObject({ ok: true, result: { status: 'checked_out', early: false, departure: h.day(1) }, seq: expect.any(Number) });
      expect(await roomStatus('106')).toBe('dirty');
      await hk.waitForEvent((e) => e.seq === (ack as { seq: number }).seq);
      const mine = hk.events.slice(seen).filter((e) => e.seq <= (ack as { seq: number }).seq && e.seq > (ack as { seq: number }).seq - 3);
      expect(mine.map((e) => e.type)).toEqual(['room.statusChanged', 'reservation.checkedOut', 'reservation.updated']);
      expect(mine[0]!.payload).toMatchObject({ roomId: h.room('106').id, status: 'dirty', previousStatus: 'clean' });
      expect(mine[1]!.payload).toEqual({ reservationId: res.reservationId, roomId: h.room('106').id, departure: h.day(1), early: false });
      expect(mine[2]!.payload).toMatchObject({ change: 'checked_out', reservation: { status: 'checked_out', checkedOutAt: expect.any(String) } });
      expect(errorCode(await desk.command('reservation.checkOut', { reservationId: res.reservationId }))).toBe('CONFLICT');
    } finally {
      await setBusinessDate(server, desk.propertyId, h.businessDate);
    }
  });

  it('an early departure frees the remaining nights and re-totals the stay', async () => {
    const std = h.type('STD').id;
    const res = ok(await book('STD', 0, 4, { roomId: h.room('105').id }));
    ok(await desk.command('reservation.checkIn', { reservationId: res.reservationId, override: { reason: 'whatever the status' } }));
    const freeBefore = await Promise.all([1, 2, 3].map((d) => freeOn(server, std, h.day(d))));
    await setBusinessDate(server, desk.propertyId, h.day(1));
    try {
      const out = ok(await desk.command<{ early: boolean; departure: string; total: number }>('reservation.checkOut', { reservationId: res.reservationId }));
      expect(out).toMatchObject({ early: true, departure: h.day(1) });
      const [first] = await sql<{ amount: number }>(server, 'select amount from reservation_night where reservation_id = ?', [res.reservationId]);
      expect(out.total).toBe(first!.amount);
      expect(await Promise.all([1, 2, 3].map((d) => freeOn(server, std, h.day(d))))).toEqual(freeBefore.map((f) => f + 1));
      expect(await sql(server, 'select arrival, departure from room_occupancy where reservation_id = ?', [res.reservationId])).toEqual([{ arrival: h.day(0), departure: h.day(1) }]);
      // The room can be sold again from tonight.
      ok(await book('STD', 1, 3, { roomId: h.room('105').id, guest: guest('After') }));
      await hk.waitForEvent((e) => e.type === 'reservation.checkedOut' && (e.payload as { reservationId: string }).reservationId === res.reservationId && (e.payload as { early: boolean }).early);
    } finally {
      await setBusinessDate(server, desk.propertyId, h.businessDate);
    }
  });

  it('moves an in-house guest mid-stay to another type: old room dirty, price kept, inventory follows', async () => {
    ok(await setStatus('203', 'clean'));
    const res = ok(await book('STD', 0, 3, { roomId: h.room('203').id }));
    ok(await desk.command('reservation.checkIn', { reservationId: res.reservationId }));
    expect(errorCode(await desk.command('reservation.moveRoom', { reservationId: res.reservationId, roomId: h.room('207').id }))).toBe('OK');
    await setBusinessDate(server, desk.propertyId, h.day(1));
    try {
      const [std, dlx] = [h.type('STD').id, h.type('DLX').id];
      const before = await Promise.all([std, dlx].map((t) => freeOn(server, t, h.day(1))));
      const moved = hk.waitForEvent((e) => e.type === 'reservation.updated' && viewOf(e).id === res.reservationId && viewOf(e).roomId === h.room('208').id);
      ok(await desk.command('reservation.moveRoom', { reservationId: res.reservationId, roomId: h.room('208').id, reason: 'Noisy neighbours' }));
      const view = viewOf(await moved);
      expect(view).toMatchObject({ roomId: h.room('208').id, roomTypeId: dlx, total: res.total });
      expect(view.segments).toEqual([
        { roomId: h.room('207').id, roomTypeId: std, from: h.day(0), to: h.day(1) },
        { roomId: h.room('208').id, roomTypeId: dlx, from: h.day(1), to: h.day(3) },
      ]);
      expect(await roomStatus('207')).toBe('dirty');
      expect(await Promise.all([std, dlx].map((t) => freeOn(server, t, h.day(1))))).toEqual([before[0]! + 1, before[1]! - 1]);
    } finally {
      await setBusinessDate(server, desk.propertyId, h.businessDate);
    }
  });

  it('extends a stay only while its room is free; late check-out is recorded', async () => {
    const room = h.room('211');
    const res = ok(await book('STD', 40, 42, { roomId: room.id }));
    ok(await book('STD', 43, 45, { roomId: room.id, guest: guest('Blocker') }));
    const freeOn43 = await freeOn(server, h.type('STD').id, h.day(43));
    const extended = ok(await desk.command<ReservationView>('reservation.extend', { reservationId: res.reservationId, departure: h.day(43) }));
    expect(extended).toMatchObject({ departure: h.day(43), nights: 3, segments: [{ roomId: room.id, from: h.day(40), to: h.day(43) }] });
    expect(extended.total).toBeGreaterThan(res.total);
    const refused = await desk.command('reservation.extend', { reservationId: res.reservationId, departure: h.day(44) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Room 211 is not free') } });
    expect(await freeOn(server, h.type('STD').id, h.day(43))).toBe(freeOn43);
    const late = ok(await desk.command<ReservationView>('reservation.setLateCheckout', { reservationId: res.reservationId, time: '14:00' }));
    expect(late.lateCheckout).toBe('14:00');
    expect(errorCode(await desk.command('reservation.setLateCheckout', { reservationId: res.reservationId, time: '25:00' }))).toBe('VALIDATION');
  });

  it('keeps inventory counters equal to the ledger and every event within the contract', async () => {
    await settle(100);
    expect(await inventoryMismatches(server)).toEqual([]);
    expectEventsMatchContract(hk.events);
  });
});
