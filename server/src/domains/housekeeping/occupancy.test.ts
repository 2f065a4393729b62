// Stays drive housekeeping: occupancy comes from the reservations tables (no stand-in source), through
// real front-desk commands, and an arrival assigned today raises the room's departure clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, ReservationCreateResult, TaskView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { guest, hotelOf, ok, setBusinessDate, type Conn, type Hotel } from '../reservations/testing.ts';
import { snapshotOf } from './test-helpers.ts';

describe('occupancy from stays', () => {
  let server: TestServer;
  let desk: Conn;
  let mgr: Conn;
  let h: Hotel;
  let today: string;
  const book = (roomNumber: string, from: string, to: string, first: string) =>
    desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: h.room(roomNumber).roomTypeId, arrival: from, departure: to, adults: 1, guest: guest(first), roomId: h.room(roomNumber).id,
    });
  const checkIn = (reservationId: string) => desk.command('reservation.checkIn', { reservationId });
  const checkOut = (reservationId: string) => desk.command('reservation.checkOut', { reservationId });
  const tasksOf = (events: EventEnvelope[], type: 'task.created' | 'task.updated', roomNumber: string) =>
    events.filter((e) => e.type === type && (e.payload as TaskView).roomId === h.room(roomNumber).id).map((e) => e.payload as TaskView);

  beforeAll(async () => {
    server = await startTestServer();
    [desk, mgr] = await Promise.all(['frontdesk@innboard.demo', 'manager@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
    // Guests who arrived on day 0 are in house on day 1 (the night audit's move is stood in for).
    const stayer = ok(await book('104', h.day(0), h.day(3), 'Stay'));
    const leaver = ok(await book('106', h.day(0), h.day(1), 'Leave'));
    const quiet = ok(await book('108', h.day(0), h.day(1), 'Quiet'));
    for (const r of [stayer, leaver, quiet]) ok(await checkIn(r.reservationId));
    await setBusinessDate(server, desk.propertyId, h.day(1));
    today = h.day(1);
    ok(await book('106', today, h.day(3), 'Next'));
    Object.assign(ids, { stayer: stayer.reservationId, leaver: leaver.reservationId, quiet: quiet.reservationId });
  });
  const ids = { stayer: '', leaver: '', quiet: '' };
  afterAll(async () => {
    for (const c of [desk, mgr]) c?.close();
    await server?.stop();
  });

  it('lists in-house rooms, arrivals and departures of the business date in the housekeeping snapshot', async () => {
    const { snapshot } = await snapshotOf(mgr, mgr.propertyId);
    const idsOf = (...numbers: string[]) => numbers.map((n) => h.room(n).id).sort();
    expect(snapshot.occupancy.date).toBe(today);
    expect([...snapshot.occupancy.inHouse].sort()).toEqual(idsOf('104', '106', '108'));
    expect([...snapshot.occupancy.arrivals].sort()).toEqual(idsOf('106'));
    expect([...snapshot.occupancy.departures].sort()).toEqual(idsOf('106', '108'));
  });

  it('generates a stayover for a checked-in stay, none for rooms whose guest leaves today', async () => {
    const made = ok(await mgr.command<{ created: TaskView[] }>('task.generateDaily', { propertyId: mgr.propertyId, date: today }));
    expect(made.created.map((t) => [t.roomNumber, t.type, t.priority])).toEqual([['104', 'stayover', 'normal']]);
  });

  it('a check-out in a room with an arrival today queues a high-priority departure clean; without one, normal', async () => {
    const before = mgr.events.length;
    ok(await checkOut(ids.leaver));
    ok(await checkOut(ids.quiet));
    await mgr.waitForEvent((e) => e.type === 'task.created' && (e.payload as TaskView).roomId === h.room('108').id);
    const fresh = mgr.events.slice(before);
    expect(tasksOf(fresh, 'task.created', '106').map((t) => [t.type, t.priority])).toEqual([['departure_clean', 'high']]);
    expect(tasksOf(fresh, 'task.created', '108').map((t) => [t.type, t.priority])).toEqual([['departure_clean', 'normal']]);
    const { snapshot } = await snapshotOf(mgr, mgr.propertyId);
    expect([...snapshot.occupancy.departures]).toEqual([]);
    expect([...snapshot.occupancy.inHouse]).toEqual([h.room('104').id]);
  });

  const cleanPriority = async (roomNumber: string) => (await server.app.orm.em.fork().execute<{ priority: string }[]>(
    "select priority from housekeeping_task where room_id = ? and type = 'departure_clean'", [h.room(roomNumber).id],
  )).map((r) => r.priority);

  it('a stay booked into a room waiting for its clean, arriving today, raises that clean to high in the same commit', async () => {
    // 108's clean is normal (nobody was due); a walk-in booked straight into it is.
    expect(await cleanPriority('108')).toEqual(['normal']);
    const ack = await book('108', today, h.day(2), 'Walk');
    ok(ack);
    const raised = await mgr.waitForEvent((e) => e.type === 'task.updated' && (e.payload as TaskView).roomId === h.room('108').id);
    expect(raised.payload).toMatchObject({ type: 'departure_clean', priority: 'high', status: 'open' });
    // The ack's seq is the last event of the commit: the raise is part of the booking's unit of work.
    expect(ack.ok && ack.seq).toBe(raised.seq);
    expect(await cleanPriority('108')).toEqual(['high']);
  });

  it('assigning a room later the same way raises it; a stay due on a later day leaves it alone', async () => {
    ok(await checkOut(ids.stayer));
    await mgr.waitForEvent((e) => e.type === 'task.created' && (e.payload as TaskView).roomId === h.room('104').id);
    expect(await cleanPriority('104')).toEqual(['normal']);
    const before = mgr.events.length;
    ok(await book('104', h.day(2), h.day(4), 'Later'));
    await settle();
    expect(tasksOf(mgr.events.slice(before), 'task.updated', '104')).toEqual([]);
    expect(await cleanPriority('104')).toEqual(['normal']);

    const walkIn = ok(await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: h.room('104').roomTypeId, arrival: today, departure: h.day(2), adults: 1, guest: guest('Late'),
    }));
    const ack = await desk.command('reservation.assignRoom', { reservationId: walkIn.reservationId, roomId: h.room('104').id });
    ok(ack);
    const raised = await mgr.waitForEvent((e) => e.type === 'task.updated' && (e.payload as TaskView).roomId === h.room('104').id && (e.payload as TaskView).type === 'departure_clean');
    expect(raised.payload).toMatchObject({ type: 'departure_clean', priority: 'high' });
    expect(ack.ok && ack.seq).toBe(raised.seq);
  });
});
