// Helpers for the night audit's medium tests: a hotel moved back in time so several days can be closed,
// stays booked and checked in through the real commands, and the run's events.
import type { EventEnvelope, NightAuditRunResult, ReservationCreateResult } from '@innboard/shared';
import { addDays } from '../property/hotel-date.ts';
import { guest, ok, sql, type Conn, type Hotel } from '../reservations/testing.ts';
import type { TestServer } from '../../testing/factory.ts';

/** SQL with `?` placeholders against the test's database: through a test server's ORM or a plain client. */
export type Query = <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;

export const queryOf = (server: TestServer): Query => (query, params = []) => sql(server, query, params);

/** The same key the runner locks (audit-lock.ts), for tests that hold it from another session. */
export const LOCK_KEY_SQL = `hashtextextended('innboard.night-audit:' || $1::text, 0)`;

/** Sets the business date `daysBack` days before the seeded one and prices every type from there on. */
export async function moveHotelBack(q: Query, manager: Conn, h: Hotel, daysBack: number, price: number): Promise<string> {
  const start = addDays(h.businessDate, -daysBack);
  await q('update property set business_date = ? where id = ?', [start, manager.propertyId]);
  ok(await manager.command('ratePlan.setPrices', {
    ratePlanId: h.plan('BAR').id, roomTypeIds: h.snapshot.roomTypes.map((t) => t.id), from: start, to: addDays(h.businessDate, 10), amount: price,
  }));
  return start;
}

export async function bookStay(desk: Conn, h: Hotel, input: { type: string; arrival: string; departure: string; room?: string; name: string; adults?: number }): Promise<string> {
  const res = ok(await desk.command<ReservationCreateResult>('reservation.create', {
    propertyId: desk.propertyId, roomTypeId: h.type(input.type).id, arrival: input.arrival, departure: input.departure, adults: input.adults ?? 1,
    guest: guest(input.name), ...(input.room ? { roomId: h.room(input.room).id } : {}),
  }));
  return res.reservationId;
}

/** Books into the given room and checks in (the business date must be the arrival). */
export async function checkedInStay(desk: Conn, h: Hotel, input: { type: string; arrival: string; departure: string; room: string; name: string; adults?: number }): Promise<string> {
  const id = await bookStay(desk, h, input);
  ok(await desk.command('reservation.checkIn', { reservationId: id }));
  return id;
}

export async function startAudit(conn: Conn, id?: string): Promise<NightAuditRunResult> {
  return ok(await conn.command<NightAuditRunResult>('nightAudit.run', { propertyId: conn.propertyId }, id));
}

export const ofRun = (runId: string, type: string) => (e: EventEnvelope) => e.type === type && (e.payload as { runId?: string }).runId === runId;

export async function businessDateOf(q: Query, propertyId: string): Promise<string> {
  return (await q<{ d: string }>('select business_date::text as d from property where id = ?', [propertyId]))[0]!.d;
}

/** Room lines dated `date` per stay: how many, and their total. */
export async function roomLines(q: Query, reservationIds: string[], date: string): Promise<Map<string, { n: number; total: number }>> {
  const rows = await q<{ reservation_id: string; n: number; total: string }>(
    `select f.reservation_id, count(*)::int as n, sum(l.amount)::bigint as total from folio_line l join folio f on f.id = l.folio_id
      where f.reservation_id = any(?::uuid[]) and l.department = 'room' and l.business_date = ? group by f.reservation_id`,
    [`{${reservationIds.join(',')}}`, date]);
  return new Map(reservationIds.map((id) => {
    const r = rows.find((x) => x.reservation_id === id);
    return [id, { n: r?.n ?? 0, total: Number(r?.total ?? 0) }];
  }));
}
