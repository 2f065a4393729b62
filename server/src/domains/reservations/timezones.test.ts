// Hotel dates are calendar dates in the property's zone. This suite runs the server in a process
// whose clock zone is UTC+14 (Pacific/Kiritimati) against a hotel in Pacific/Auckland and one in
// America/New_York: no date may shift by a day anywhere between the socket and Postgres.
// (Imports are evaluated first, but nothing reads the clock zone before the server starts below.)
process.env.TZ = 'Pacific/Kiritimati';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityResult, OccupancyReport, RatePlanView, ReservationCreateResult, ReservationDetail } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { Property, Room, RoomType } from '../property/entities.ts';
import { addDays, hotelToday, nightsOf } from '../property/hotel-date.ts';
import { Membership, User } from '../../identity/entities.ts';
import { errorCode, guest, ok, snapshotOf, sql, type Conn } from './testing.ts';

describe('time zones: a hotel in Auckland served from a UTC+14 process', () => {
  let server: TestServer;
  let admin: Conn;
  let kiwi: { propertyId: string; businessDate: string; roomTypeId: string; roomIds: string[] };

  beforeAll(async () => {
    server = await startTestServer();
    // A new property the way an operator would set it up: rows first, then rates through commands.
    const em = server.app.orm.em.fork();
    const property = em.create(Property, { name: 'Kiwi Lodge', timeZone: 'Pacific/Auckland', currency: 'NZD', businessDate: hotelToday('Pacific/Auckland') });
    const type = em.create(RoomType, { property, code: 'KNG', name: 'King', maxAdults: 2, maxChildren: 0 });
    const rooms = [1, 2].map((n) => em.create(Room, { property, roomType: type, number: `K${n}`, floor: 1, status: 'clean' }));
    em.create(Membership, { user: await em.findOneOrFail(User, { email: 'admin@innboard.demo' }), property, role: 'admin' });
    await em.flush();
    kiwi = { propertyId: property.id, businessDate: property.businessDate, roomTypeId: type.id, roomIds: rooms.map((r) => r.id) };
    admin = await loginAndConnect(server.url, 'admin@innboard.demo');
    const plan = ok(await admin.command<RatePlanView>('ratePlan.create', {
      propertyId: kiwi.propertyId, code: 'BAR', name: 'Rack', roomTypeIds: [type.id], isDefault: true, cancellationPolicy: { freeUntilDaysBefore: 2, penalty: 'first_night' },
    }));
    ok(await admin.command('ratePlan.setPrices', { ratePlanId: plan.id, roomTypeIds: [type.id], from: kiwi.businessDate, to: addDays(kiwi.businessDate, 30), amount: 25_000 }));
  });
  afterAll(async () => {
    admin?.close();
    await server?.stop();
  });

  it('really runs in a UTC+14 process, where local midnight is another UTC day', () => {
    expect(new Date(2026, 0, 15).getTimezoneOffset()).toBe(-14 * 60);
    expect(hotelToday('Pacific/Auckland', new Date('2026-06-30T13:00:00Z'))).toBe('2026-07-01');
    expect(hotelToday('America/New_York', new Date('2026-07-01T03:00:00Z'))).toBe('2026-06-30');
    // Auckland leaves daylight saving on 2026-04-05: still three nights.
    expect(nightsOf('2026-04-04', '2026-04-07')).toEqual(['2026-04-04', '2026-04-05', '2026-04-06']);
    expect(addDays('2026-10-31', 1)).toBe('2026-11-01');
  });

  it('books, stores, shows and reports exactly the calendar dates given', async () => {
    const bd = kiwi.businessDate;
    const search = ok(await admin.command<AvailabilityResult>('availability.search', { propertyId: kiwi.propertyId, arrival: bd, departure: addDays(bd, 2), adults: 2 }));
    expect(search).toMatchObject({ arrival: bd, departure: addDays(bd, 2), nights: 2, currency: 'NZD', roomTypes: [{ available: 2, quotes: [{ total: 50_000 }] }] });
    const res = ok(await admin.command<ReservationCreateResult>('reservation.create', {
      propertyId: kiwi.propertyId, roomTypeId: kiwi.roomTypeId, roomId: kiwi.roomIds[0], arrival: bd, departure: addDays(bd, 2), adults: 2, guest: guest('Kiri'),
    }));
    const detail = ok(await admin.command<ReservationDetail>('reservation.get', { reservationId: res.reservationId }));
    expect(detail.reservation).toMatchObject({ arrival: bd, departure: addDays(bd, 2), nights: 2, segments: [{ from: bd, to: addDays(bd, 2) }] });
    expect(detail.nightly.map((n) => n.date)).toEqual([bd, addDays(bd, 1)]);
    const [row] = await sql<{ a: string; d: string }>(server, `select to_char(arrival, 'YYYY-MM-DD') as a, to_char(departure, 'YYYY-MM-DD') as d from reservation where id = ?`, [res.reservationId]);
    expect(row).toEqual({ a: bd, d: addDays(bd, 2) });
    const snap = await snapshotOf(admin, kiwi.propertyId);
    expect(snap.property).toMatchObject({ timeZone: 'Pacific/Auckland', businessDate: bd });
    expect(snap.reservations.find((r) => r.id === res.reservationId)).toMatchObject({ arrival: bd, departure: addDays(bd, 2) });
    const report = ok(await admin.command<OccupancyReport>('report.occupancy', { propertyId: kiwi.propertyId, from: bd, days: 3 }));
    expect(report.days.map((d) => [d.date, d.sold, d.arrivals, d.departures])).toEqual([[bd, 1, 1, 0], [addDays(bd, 1), 1, 0, 0], [addDays(bd, 2), 0, 0, 1]]);
    expect(report.today).toMatchObject({ date: bd, arrivalsExpected: 1 });
  });

  it('check-in is allowed on the Auckland business date and not the day before arrival', async () => {
    const bd = kiwi.businessDate;
    const tomorrow = ok(await admin.command<ReservationCreateResult>('reservation.create', {
      propertyId: kiwi.propertyId, roomTypeId: kiwi.roomTypeId, roomId: kiwi.roomIds[1], arrival: addDays(bd, 1), departure: addDays(bd, 3), adults: 1, guest: guest('Tama'),
    }));
    expect(errorCode(await admin.command('reservation.checkIn', { reservationId: tomorrow.reservationId }))).toBe('CONFLICT');
    const [today] = await sql<{ id: string }>(server, 'select id from reservation where property_id = ? and arrival = ?', [kiwi.propertyId, bd]);
    ok(await admin.command('reservation.checkIn', { reservationId: today!.id }));
    // Cancelling tomorrow's stay is inside the 2-day deadline: the first night is due.
    expect(ok(await admin.command<{ fee: number }>('reservation.cancel', { reservationId: tomorrow.reservationId, reason: 'flight cancelled' })).fee).toBe(25_000);
  });

  it('the New York hotel sells on its own business date', async () => {
    const harbor = await loginAndConnect(server.url, 'harbor.frontdesk@innboard.demo');
    try {
      const snap = await snapshotOf(harbor);
      const bd = snap.property.businessDate;
      expect(snap.property.timeZone).toBe('America/New_York');
      const type = snap.roomTypes[0]!;
      const res = ok(await harbor.command<ReservationCreateResult>('reservation.create', { propertyId: harbor.propertyId, roomTypeId: type.id, arrival: bd, departure: addDays(bd, 1), adults: 1, guest: guest('Ned') }));
      expect(res.currency).toBe('USD');
      expect(errorCode(await harbor.command('reservation.create', { propertyId: harbor.propertyId, roomTypeId: type.id, arrival: addDays(bd, -1), departure: bd, adults: 1, guest: guest('Yday') }))).toBe('VALIDATION');
    } finally {
      harbor.close();
    }
  });
});
