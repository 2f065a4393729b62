import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReservationCreateResult } from '@innboard/shared';
import { startTestServer, loginAndConnect, type TestServer } from '../../testing/factory.ts';
import { guest, hotelOf, ok, sql, type Conn, type Hotel } from './testing.ts';

// "New arrival assigned" through real sockets: raised when an arriving stay gets its room, delivered
// to the roles the property's notification rules name, never to the person who assigned it.

describe('arrival_assigned notifications', () => {
  let server: TestServer;
  let desk: Conn;
  let manager: Conn;
  let sup: Conn;
  let h: Hotel;

  const countFor = async (conn: Conn, reservationId: string) =>
    (await sql<{ n: number }>(server, `select count(*)::int as n from notification where user_id = ? and kind = 'arrival_assigned' and ref->>'id' = ?`, [conn.session.user.id, reservationId]))[0]!.n;

  const book = async (first: string, day: number, roomId?: string) =>
    ok(await desk.command<ReservationCreateResult>('reservation.create', { propertyId: desk.propertyId,
      roomTypeId: h.type('STD').id, arrival: h.day(day), departure: h.day(day + 2), adults: 2, guest: guest(first, 'Arriving'), ...(roomId ? { roomId } : {}),
    }));

  beforeAll(async () => {
    server = await startTestServer();
    [desk, manager, sup] = await Promise.all(['frontdesk@innboard.demo', 'manager@innboard.demo', 'supervisor@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, manager, sup]) c?.close();
    await server?.stop();
  });

  const stdRooms = () => h.snapshot.rooms.filter((r) => r.roomTypeId === h.type('STD').id);

  it('assigning a room to an arrival tells the roles that receive it, live, and not the assigner', async () => {
    const res = await book('Ada', 1);
    const room = stdRooms()[0]!;
    ok(await desk.command('reservation.assignRoom', { reservationId: res.reservationId, roomId: room.id }));

    const notice = await manager.waitForNotification((n) => n.kind === 'arrival_assigned' && n.ref.id === res.reservationId);
    expect(notice).toMatchObject({ title: `Room ${room.number} assigned to an arrival`, body: `Ada Arriving, arriving ${h.day(1)} (2 guests).`, ref: { type: 'reservation' } });
    // The desk did it itself; supervisors do not receive arrivals by default.
    expect(await countFor(desk, res.reservationId)).toBe(0);
    expect(await countFor(sup, res.reservationId)).toBe(0);
  });

  it('follows the rules a manager configures, also when a booking comes with its room', async () => {
    ok(await manager.command('notification.configure', { propertyId: manager.propertyId, role: 'housekeeping_supervisor', kinds: ['arrival_assigned', 'task_assigned'] }));
    ok(await manager.command('notification.configure', { propertyId: manager.propertyId, role: 'manager', kinds: ['review_posted'] }));

    const res = await book('Ben', 4, stdRooms()[1]!.id);
    const notice = await sup.waitForNotification((n) => n.kind === 'arrival_assigned' && n.ref.id === res.reservationId);
    expect(notice.title).toBe(`Room ${stdRooms()[1]!.number} assigned to an arrival`);
    expect(await countFor(manager, res.reservationId)).toBe(0);

    // Auto-assign goes through the same rule; a second assignment to the same room changes nothing and tells nobody.
    const later = await book('Cy', 8);
    ok(await desk.command('reservation.autoAssign', { reservationId: later.reservationId }));
    await sup.waitForNotification((n) => n.kind === 'arrival_assigned' && n.ref.id === later.reservationId);
    const [held] = await sql<{ room_id: string }>(server, 'select room_id from room_occupancy where reservation_id = ?', [later.reservationId]);
    ok(await desk.command('reservation.assignRoom', { reservationId: later.reservationId, roomId: held!.room_id }));
    expect(await countFor(sup, later.reservationId)).toBe(1);
  });
});
