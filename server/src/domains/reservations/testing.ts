// Helpers for the front-desk medium tests (real server, real sockets, real Postgres).
import { expect } from 'vitest';
import { EVENTS_BY_TYPE, type Ack, type EventEnvelope, type FrontDeskSnapshot } from '@innboard/shared';
import { addDays } from '../property/hotel-date.ts';
import { loginAndConnect, type TestServer } from '../../testing/factory.ts';

export type Conn = Awaited<ReturnType<typeof loginAndConnect>>;

export const errorCode = (ack: Ack) => (ack.ok ? 'OK' : ack.error.code);

/** The result of an ack that must be ok (the failure's message shows up in the assertion). */
export function ok<R>(ack: Ack<R>): R {
  if (!ack.ok) expect.fail(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.result;
}

export async function snapshotOf(conn: Conn, propertyId = conn.propertyId): Promise<FrontDeskSnapshot> {
  const res = await conn.sync(propertyId);
  if (!res.ok || !('snapshot' in res)) throw new Error('expected a snapshot');
  return res.snapshot as FrontDeskSnapshot;
}

export interface Hotel {
  snapshot: FrontDeskSnapshot;
  businessDate: string;
  /** Business date + n days. */
  day(n: number): string;
  type(code: string): FrontDeskSnapshot['roomTypes'][number];
  room(number: string): FrontDeskSnapshot['rooms'][number];
  plan(code: string): FrontDeskSnapshot['ratePlans'][number];
}

export async function hotelOf(conn: Conn): Promise<Hotel> {
  const snapshot = await snapshotOf(conn);
  const businessDate = snapshot.property.businessDate;
  return {
    snapshot,
    businessDate,
    day: (n) => addDays(businessDate, n),
    type: (code) => snapshot.roomTypes.find((t) => t.code === code)!,
    room: (number) => snapshot.rooms.find((r) => r.number === number)!,
    plan: (code) => snapshot.ratePlans.find((p) => p.code === code)!,
  };
}

export function sql<T = Record<string, unknown>>(server: TestServer, query: string, params: unknown[] = []): Promise<T[]> {
  return server.app.orm.em.fork().execute<T[]>(query, params);
}

/** Stands in for the night audit (billing's job): moves the property's business date. */
export async function setBusinessDate(server: TestServer, propertyId: string, date: string): Promise<void> {
  await sql(server, 'update property set business_date = ? where id = ?', [date, propertyId]);
}

/** Rooms of the type still sellable on the night (capacity - sold), straight from the inventory row. */
export async function freeOn(server: TestServer, roomTypeId: string, date: string): Promise<number> {
  const [row] = await sql<{ free: number }>(server, 'select capacity - sold as free from room_type_night where room_type_id = ? and date = ?', [roomTypeId, date]);
  return Number(row!.free);
}

/** Asserts every event a board received matches its contract schema (what the board will parse). */
export function expectEventsMatchContract(events: EventEnvelope[]): void {
  for (const e of events) {
    const spec = EVENTS_BY_TYPE.get(e.type);
    expect(spec, `event type ${e.type} is in the contract`).toBeDefined();
    const parsed = spec!.payload.safeParse(e.payload);
    expect(parsed.success, `${e.type} payload matches its schema: ${parsed.success ? '' : JSON.stringify(parsed.error.issues)}`).toBe(true);
  }
}

export const guest = (first: string, last = 'Tester', extra: Record<string, string> = {}) => ({ firstName: first, lastName: last, ...extra });

/**
 * Inventory rows whose counters disagree with the ledger: sold must equal the general-inventory
 * nights sold plus the rooms groups hold, and capacity the rooms of the type minus rooms out of order.
 */
export async function inventoryMismatches(server: TestServer): Promise<unknown[]> {
  return sql(server, `
    with expected as (
      select n.room_type_id, n.date, n.capacity, n.sold,
        (select count(*) from reservation_night rn where rn.room_type_id = n.room_type_id and rn.date = n.date and not rn.from_block)::int
          + coalesce((select sum(g.held) from group_block_night g where g.room_type_id = n.room_type_id and g.date = n.date), 0)::int as ledger,
        (select count(*) from room r where r.room_type_id = n.room_type_id and r.deleted_at is null)::int
          - (select count(*) from room_block b join room r on r.id = b.room_id where r.room_type_id = n.room_type_id and b.kind = 'out_of_order'
             and b.from_date <= n.date and b.to_date > n.date)::int as rooms
      from room_type_night n)
    select * from expected where sold <> ledger or capacity <> rooms`);
}
