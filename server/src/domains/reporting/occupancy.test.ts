import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OccupancyReport, ReservationCreateResult } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, guest, hotelOf, ok, setBusinessDate, sql, type Conn, type Hotel } from '../reservations/testing.ts';

describe('report.occupancy', () => {
  let server: TestServer;
  let desk: Conn;
  let manager: Conn;
  let h: Hotel;
  const ROOMS = 60;
  const report = (from: string, days: number) => manager.command<OccupancyReport>('report.occupancy', { propertyId: desk.propertyId, from, days });
  const book = (code: string, from: number, to: number, extra: Record<string, unknown> = {}) =>
    desk.command<ReservationCreateResult>('reservation.create', { propertyId: desk.propertyId, roomTypeId: h.type(code).id, arrival: h.day(from), departure: h.day(to), adults: 1, guest: guest('Otto'), ...extra });
  const revenueOn = async (date: string) => Number((await sql<{ r: string }>(server, 'select coalesce(sum(amount), 0) as r from reservation_night where date = ?', [date]))[0]!.r);

  beforeAll(async () => {
    server = await startTestServer();
    [desk, manager] = await Promise.all(['frontdesk@innboard.demo', 'manager@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, manager]) c?.close();
    await server?.stop();
  });

  it('counts rooms sold, revenue, ADR and RevPAR per night with out-of-order rooms excluded', async () => {
    const a = ok(await book('STD', 100, 102));
    ok(await book('DLX', 100, 102, { ratePlanId: h.plan('NRF').id }));
    ok(await book('STE', 100, 102, { ratePlanId: h.plan('BB').id }));
    ok(await manager.command('room.block', { roomId: h.room('115').id, from: h.day(100), to: h.day(101), kind: 'out_of_order', reason: 'Paint' }));
    const ack = await report(h.day(100), 3);
    expect(ack.ok && !('seq' in ack)).toBe(true);
    const r = ok(ack);
    expect(r.days.map((d) => d.date)).toEqual([h.day(100), h.day(101), h.day(102)]);
    const revenue = await revenueOn(h.day(100));
    expect(r.days[0]).toEqual({
      date: h.day(100), available: ROOMS - 1, outOfOrder: 1, sold: 3, occupancy: Math.round((3 / 59) * 1000) / 10, revenue,
      adr: Math.round(revenue / 3), revpar: Math.round(revenue / 59), arrivals: 3, departures: 0, inHouse: 3,
    });
    expect(r.days[1]).toMatchObject({ available: ROOMS, outOfOrder: 0, sold: 3, occupancy: 5, arrivals: 0, departures: 0 });
    expect(r.days[2]).toMatchObject({ sold: 0, revenue: 0, adr: 0, departures: 3 });
    ok(await desk.command('reservation.cancel', { reservationId: a.reservationId, reason: 'x' }));
    expect(ok(await report(h.day(100), 1)).days[0]).toMatchObject({ sold: 2, arrivals: 2, revenue: await revenueOn(h.day(100)) });
  });

  it('today: arrivals expected and checked in, departures, in-house', async () => {
    const one = ok(await book('STD', 0, 1, { roomId: h.room('103').id }));
    ok(await book('STD', 0, 2, { guest: guest('Pending') }));
    ok(await desk.command('reservation.checkIn', { reservationId: one.reservationId }));
    expect(ok(await report(h.day(0), 1)).today).toEqual({
      date: h.day(0), available: ROOMS, sold: 2, occupancy: Math.round((2 / 60) * 1000) / 10,
      arrivalsExpected: 1, arrivalsCheckedIn: 1, departuresExpected: 0, departuresCheckedOut: 0, inHouse: 1,
    });
    await setBusinessDate(server, desk.propertyId, h.day(1));
    try {
      expect(ok(await report(h.day(1), 1)).today).toMatchObject({ departuresExpected: 1, departuresCheckedOut: 0, inHouse: 1 });
      ok(await desk.command('reservation.checkOut', { reservationId: one.reservationId }));
      expect(ok(await report(h.day(1), 1)).today).toMatchObject({ date: h.day(1), departuresExpected: 0, departuresCheckedOut: 1, inHouse: 0 });
    } finally {
      await setBusinessDate(server, desk.propertyId, h.businessDate);
    }
  });

  it('needs report.read: the front desk is refused', async () => {
    expect(errorCode(await desk.command('report.occupancy', { propertyId: desk.propertyId, from: h.day(0), days: 1 }))).toBe('FORBIDDEN');
    expect(errorCode(await manager.command('report.occupancy', { propertyId: desk.propertyId, from: h.day(0), days: 0 }))).toBe('VALIDATION');
  });
});
