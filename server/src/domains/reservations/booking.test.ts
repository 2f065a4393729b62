import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReservationCreateResult, ReservationDetail, ReservationView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, expectEventsMatchContract, freeOn, guest, hotelOf, ok, snapshotOf, sql, type Conn, type Hotel } from './testing.ts';

describe('booking: create, modify, cancel, no-show', () => {
  let server: TestServer;
  let desk: Conn;
  let board: Conn;
  let h: Hotel;
  const create = (payload: Record<string, unknown>, conn = desk) =>
    conn.command<ReservationCreateResult>('reservation.create', { propertyId: desk.propertyId, adults: 2, guest: guest('Ann'), ...payload });
  const counts = async () => (await sql<{ r: number; n: number; o: number }>(server, `select (select count(*) from reservation)::int as r,
    (select count(*) from reservation_night)::int as n, (select count(*) from room_occupancy)::int as o`))[0]!;

  beforeAll(async () => {
    server = await startTestServer();
    [desk, board] = await Promise.all(['frontdesk@innboard.demo', 'manager@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, board]) c?.close();
    await server?.stop();
  });

  it('books an unassigned stay at the BAR price, sells the nights and tells every board', async () => {
    const std = h.type('STD');
    const freeBefore = await freeOn(server, std.id, h.day(10));
    const res = ok(await create({ roomTypeId: std.id, arrival: h.day(10), departure: h.day(12) }));
    const nights = await sql<{ amount: number }>(server, 'select amount from reservation_night where reservation_id = ? order by date', [res.reservationId]);
    expect(res).toMatchObject({ status: 'confirmed', currency: 'EUR', roomId: null, total: nights[0]!.amount + nights[1]!.amount });
    expect(nights).toHaveLength(2);
    expect(await freeOn(server, std.id, h.day(10))).toBe(freeBefore - 1);
    const event = await board.waitForEvent((e) => e.type === 'reservation.created' && (e.payload as { reservation: ReservationView }).reservation.id === res.reservationId);
    expect((event.payload as { reservation: ReservationView }).reservation).toMatchObject({
      arrival: h.day(10), departure: h.day(12), nights: 2, roomTypeId: std.id, guest: { name: 'Tester, Ann', vip: false }, ratePlanId: h.plan('BAR').id, version: expect.any(Number),
    });
    expectEventsMatchContract(board.events);
  });

  it('books a given room and refuses the same room for overlapping nights with CONFLICT', async () => {
    const room = h.room('103');
    const first = ok(await create({ roomTypeId: room.roomTypeId, roomId: room.id, arrival: h.day(20), departure: h.day(23) }));
    expect(first.roomId).toBe(room.id);
    const clash = await create({ roomTypeId: room.roomTypeId, roomId: room.id, arrival: h.day(22), departure: h.day(24), guest: guest('Bob') });
    expect(clash).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Room 103') } });
    // Adjacent stays are fine: departure day is the next arrival day.
    ok(await create({ roomTypeId: room.roomTypeId, roomId: room.id, arrival: h.day(23), departure: h.day(24), guest: guest('Cid') }));
  });

  it('refuses a room of another type and a party the room type cannot sleep, changing nothing', async () => {
    const before = await counts();
    expect(errorCode(await create({ roomTypeId: h.type('STD').id, roomId: h.room('102').id, arrival: h.day(30), departure: h.day(31) }))).toBe('VALIDATION');
    expect(errorCode(await create({ roomTypeId: h.type('STD').id, adults: 3, arrival: h.day(30), departure: h.day(31) }))).toBe('VALIDATION');
    expect(errorCode(await create({ roomTypeId: h.type('STD').id, arrival: h.day(31), departure: h.day(30) }))).toBe('VALIDATION');
    expect(errorCode(await create({ roomTypeId: h.type('STD').id, arrival: h.day(-1), departure: h.day(1) }))).toBe('VALIDATION');
    expect(errorCode(await create({ roomTypeId: h.type('STD').id, arrival: h.day(30), departure: h.day(31), offerCode: 'NOPE' }))).toBe('VALIDATION');
    expect(errorCode(await create({ roomTypeId: randomUUID(), arrival: h.day(30), departure: h.day(31) }))).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('answers CONFLICT when the room type is sold out on any night', async () => {
    const ste = h.type('STE');
    const rooms = h.snapshot.rooms.filter((r) => r.roomTypeId === ste.id).length;
    for (let i = 0; i < rooms; i++) ok(await create({ roomTypeId: ste.id, arrival: h.day(41), departure: h.day(42), guest: guest(`Suite${i}`) }));
    const ack = await create({ roomTypeId: ste.id, arrival: h.day(40), departure: h.day(43), guest: guest('Late') });
    expect(ack).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(h.day(41)) } });
    expect(await freeOn(server, ste.id, h.day(40))).toBe(rooms);
  });

  it('modifies dates and type with re-pricing and keeps the room when it still fits', async () => {
    const std = h.type('STD');
    const room = h.room('105');
    const res = ok(await create({ roomTypeId: std.id, roomId: room.id, arrival: h.day(50), departure: h.day(51) }));
    const longer = ok(await desk.command<ReservationCreateResult>('reservation.modify', { reservationId: res.reservationId, version: res.version, departure: h.day(53) }));
    expect(longer).toMatchObject({ roomId: room.id, version: res.version + 1 });
    expect(longer.total).toBeGreaterThan(res.total);
    const detail = ok(await desk.command<ReservationDetail>('reservation.get', { reservationId: res.reservationId }));
    expect(detail.nightly.map((n) => n.date)).toEqual([h.day(50), h.day(51), h.day(52)]);
    expect(detail.reservation.total).toBe(detail.nightly.reduce((s, n) => s + n.amount, 0));
    // A stale version is refused and nothing changes.
    expect(errorCode(await desk.command('reservation.modify', { reservationId: res.reservationId, version: res.version, departure: h.day(52) }))).toBe('CONFLICT');
    // Another type drops the room (it is a Standard) and re-prices on the Deluxe calendar.
    const dlx = ok(await desk.command<ReservationCreateResult>('reservation.modify', { reservationId: res.reservationId, version: longer.version, roomTypeId: h.type('DLX').id }));
    expect(dlx.roomId).toBeNull();
    expect(dlx.total).toBeGreaterThan(longer.total);
    expect(await sql(server, 'select 1 from room_occupancy where reservation_id = ?', [res.reservationId])).toHaveLength(0);
  });

  it('two desks modifying the same version: exactly one wins', async () => {
    const res = ok(await create({ roomTypeId: h.type('DLX').id, arrival: h.day(60), departure: h.day(61) }));
    const acks = await Promise.all([h.day(62), h.day(63)].map((departure) => desk.command('reservation.modify', { reservationId: res.reservationId, version: res.version, departure })));
    expect(acks.map(errorCode).sort()).toEqual(['CONFLICT', 'OK']);
  });

  it('cancels free of charge before the deadline, with the first night after it, and gives the nights back', async () => {
    const std = h.type('STD');
    const free = ok(await create({ roomTypeId: std.id, arrival: h.day(5), departure: h.day(7) }));
    const freeBefore = await freeOn(server, std.id, h.day(5));
    const cancelled = ok(await desk.command<{ fee: number; status: string }>('reservation.cancel', { reservationId: free.reservationId, reason: 'Plans changed' }));
    expect(cancelled).toMatchObject({ status: 'cancelled', fee: 0 });
    expect(await freeOn(server, std.id, h.day(5))).toBe(freeBefore + 1);
    // BAR: free until 1 day before arrival; arriving today is past that.
    const late = ok(await create({ roomTypeId: std.id, arrival: h.day(0), departure: h.day(2) }));
    const [firstNight] = await sql<{ amount: number }>(server, 'select amount from reservation_night where reservation_id = ? order by date limit 1', [late.reservationId]);
    expect(ok(await desk.command<{ fee: number }>('reservation.cancel', { reservationId: late.reservationId, reason: 'No longer coming' })).fee).toBe(firstNight!.amount);
    // Non-refundable: the whole stay, however early.
    const nrf = ok(await create({ roomTypeId: std.id, ratePlanId: h.plan('NRF').id, arrival: h.day(80), departure: h.day(83) }));
    const event = board.waitForEvent((e) => e.type === 'reservation.cancelled' && (e.payload as { reservation: { id: string } }).reservation.id === nrf.reservationId);
    expect(ok(await desk.command<{ fee: number }>('reservation.cancel', { reservationId: nrf.reservationId, reason: 'Changed mind' })).fee).toBe(nrf.total);
    expect((await event).payload).toMatchObject({ reason: 'Changed mind', fee: nrf.total, currency: 'EUR', reservation: { status: 'cancelled', cancellationFee: nrf.total } });
    // Cancelling twice is refused.
    expect(errorCode(await desk.command('reservation.cancel', { reservationId: nrf.reservationId, reason: 'again' }))).toBe('CONFLICT');
  });

  it('marks a no-show only from the arrival date, charging the policy penalty', async () => {
    const later = ok(await create({ roomTypeId: h.type('STD').id, arrival: h.day(3), departure: h.day(4) }));
    expect(errorCode(await desk.command('reservation.markNoShow', { reservationId: later.reservationId }))).toBe('CONFLICT');
    const today = ok(await create({ roomTypeId: h.type('STD').id, arrival: h.day(0), departure: h.day(3) }));
    const [first] = await sql<{ amount: number }>(server, 'select amount from reservation_night where reservation_id = ? order by date limit 1', [today.reservationId]);
    expect(ok(await desk.command<{ fee: number; status: string }>('reservation.markNoShow', { reservationId: today.reservationId }))).toMatchObject({ status: 'no_show', fee: first!.amount });
    expect(await sql(server, 'select 1 from reservation_night where reservation_id = ?', [today.reservationId])).toHaveLength(0);
  });

  it('a tentative booking holds the room-nights until confirmed; notes carry their author', async () => {
    const std = h.type('STD').id;
    const free = await freeOn(server, std, h.day(70));
    const res = ok(await create({ roomTypeId: std, arrival: h.day(70), departure: h.day(71), status: 'tentative', source: 'email' }));
    expect(res.status).toBe('tentative');
    expect(await freeOn(server, std, h.day(70))).toBe(free - 1);
    const confirmed = ok(await desk.command<ReservationView>('reservation.confirm', { reservationId: res.reservationId, version: res.version }));
    expect(confirmed).toMatchObject({ status: 'confirmed', source: 'email', version: res.version + 1 });
    const noted = ok(await desk.command<ReservationView>('reservation.addNote', { reservationId: res.reservationId, text: 'Arrives by train at 22:00' }));
    expect(noted.notes).toEqual([{ at: expect.any(String), authorId: desk.session.user.id, authorName: 'Frida Frontdesk', text: 'Arrives by train at 22:00' }]);
    await board.waitForEvent((e) => e.type === 'reservation.updated' && (e.payload as { change: string; reservation: ReservationView }).change === 'note_added'
      && (e.payload as { reservation: ReservationView }).reservation.id === res.reservationId);
  });

  it('a housekeeper cannot book, a Harbor Inn user cannot touch Demo Hotel reservations', async () => {
    const hk = await loginAndConnect(server.url, 'housekeeping@innboard.demo');
    const harbor = await loginAndConnect(server.url, 'harbor.frontdesk@innboard.demo');
    const before = await counts();
    expect(errorCode(await create({ roomTypeId: h.type('STD').id, arrival: h.day(2), departure: h.day(3) }, hk))).toBe('FORBIDDEN');
    const res = ok(await create({ roomTypeId: h.type('STD').id, arrival: h.day(90), departure: h.day(91) }));
    const after = await counts();
    for (const [type, payload] of [
      ['reservation.cancel', { reservationId: res.reservationId, reason: 'x' }],
      ['reservation.get', { reservationId: res.reservationId }],
      ['reservation.assignRoom', { reservationId: res.reservationId, roomId: h.room('101').id }],
      ['reservation.create', { propertyId: desk.propertyId, roomTypeId: h.type('STD').id, arrival: h.day(2), departure: h.day(3), adults: 1, guest: guest('Eve') }],
      ['availability.search', { propertyId: desk.propertyId, arrival: h.day(2), departure: h.day(3), adults: 1 }],
    ] as const) {
      // Another property's reservations answer like missing ones (no existence leak).
      expect(errorCode(await harbor.command(type, payload)), type).toBe('NOT_FOUND');
    }
    expect(await counts()).toEqual({ r: before.r + 1, n: before.n + 1, o: before.o });
    expect(await counts()).toEqual(after);
    hk.close();
    harbor.close();
  });

  it('the snapshot carries the reservations of the window, rate plans and offers', async () => {
    const res = ok(await create({ roomTypeId: h.type('FAM').id, adults: 3, children: 2, arrival: h.day(1), departure: h.day(4), note: 'Cot needed' }));
    const snap = await snapshotOf(desk);
    expect(snap.reservationWindow).toEqual({ from: h.day(-7), to: h.day(60) });
    const mine = snap.reservations.find((r) => r.id === res.reservationId)!;
    expect(mine).toMatchObject({ adults: 3, children: 2, status: 'confirmed', notes: [{ text: 'Cot needed', authorName: 'Frida Frontdesk' }] });
    expect(snap.reservations.every((r) => r.arrival < snap.reservationWindow.to && r.departure > snap.reservationWindow.from)).toBe(true);
    expect(snap.ratePlans.map((p) => p.code).sort()).toEqual(['BAR', 'BB', 'NRF']);
    expect(snap.offers.map((o) => o.code)).toContain('WELCOME10');
    await settle(100);
    expectEventsMatchContract(board.events);
  });
});
