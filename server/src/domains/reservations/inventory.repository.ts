// The rows that make double booking impossible, written with guarded SQL in the command's
// transaction. Callers get a nicer error first (rows are locked and checked in date order, the same
// order for everyone, so concurrent bookings queue instead of deadlocking); the guards and the
// database constraints (sold <= capacity, the room exclusion constraint) hold even if a check is wrong.
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict } from '../../pipeline/errors.ts';

type Em = EntityManager;
const affected = (res: unknown) => (res as { affectedRows?: number }).affectedRows ?? 0;

const CAPACITY_OF_NIGHT = (typeCol: string, dateExpr: string) => `(
  (select count(*) from room r where r.room_type_id = ${typeCol} and r.deleted_at is null)
  - (select count(*) from room_block b join room r on r.id = b.room_id
     where r.room_type_id = ${typeCol} and b.kind = 'out_of_order' and b.from_date <= ${dateExpr} and b.to_date > ${dateExpr}))::int`;

/** Opens nights [from, to) for sale: creates missing inventory rows with their current capacity. */
export async function openInventory(em: Em, roomTypeIds: string[], from: string, to: string): Promise<void> {
  if (!roomTypeIds.length || to <= from) return;
  await em.execute(
    `insert into room_type_night (room_type_id, date, property_id, capacity, sold)
     select t.id, d::date, t.property_id, ${CAPACITY_OF_NIGHT('t.id', 'd::date')}, 0
     from room_type t cross join generate_series(?::timestamp, ?::timestamp - interval '1 day', interval '1 day') d
     where t.id in (?)
     on conflict do nothing`,
    [from, to, roomTypeIds],
    'run',
  );
}

/**
 * Recomputes capacity (rooms of the type minus rooms out of order) of the property's rows from
 * `from` on. The check constraint refuses a capacity below what is already sold.
 */
export async function recountCapacity(em: Em, propertyId: string, from: string, to = '9999-12-31'): Promise<void> {
  await em.execute(
    `update room_type_night n set capacity = c.capacity
     from (select n2.room_type_id, n2.date, ${CAPACITY_OF_NIGHT('n2.room_type_id', 'n2.date')} as capacity
           from room_type_night n2 where n2.property_id = ? and n2.date >= ? and n2.date < ?) c
     where n.room_type_id = c.room_type_id and n.date = c.date and n.capacity <> c.capacity`,
    [propertyId, from, to],
    'run',
  );
}

export interface TypeNight {
  date: string;
  capacity: number;
  sold: number;
}

/** Locks the type's inventory rows for `dates` in date order and returns them. */
export async function lockTypeNights(em: Em, roomTypeId: string, dates: string[]): Promise<TypeNight[]> {
  if (!dates.length) return [];
  return em.execute<TypeNight[]>(
    'select date, capacity, sold from room_type_night where room_type_id = ? and date in (?) order by date for update',
    [roomTypeId, dates],
  );
}

/** Sells `count` rooms of the type on each of `dates`; CONFLICT naming the nights that are full or not for sale. */
export async function takeTypeNights(em: Em, roomType: { id: string; name: string }, dates: string[], count = 1): Promise<void> {
  if (!dates.length) return;
  const rows = await lockTypeNights(em, roomType.id, dates);
  const have = new Set(rows.map((r) => r.date));
  const closed = dates.filter((d) => !have.has(d));
  if (closed.length) throw conflict(`${roomType.name} is not open for sale on ${closed.join(', ')}`, { roomTypeId: roomType.id, nights: closed });
  const full = rows.filter((r) => r.capacity - r.sold < count).map((r) => r.date);
  if (full.length) throw conflict(`${roomType.name} is sold out on ${full.join(', ')}`, { roomTypeId: roomType.id, nights: full });
  // The guard is the rule; the lock and check above only make the answer friendlier.
  const res = await em.execute(
    'update room_type_night set sold = sold + ? where room_type_id = ? and date in (?) and sold + ? <= capacity',
    [count, roomType.id, dates, count],
    'run',
  );
  if (affected(res) !== dates.length) throw conflict(`${roomType.name} is sold out for those nights`, { roomTypeId: roomType.id });
}

/** Gives rooms of the type back to sale on `dates`. */
export async function releaseTypeNights(em: Em, roomTypeId: string, dates: string[], count = 1): Promise<void> {
  if (!dates.length) return;
  await lockTypeNights(em, roomTypeId, dates);
  await em.execute('update room_type_night set sold = sold - ? where room_type_id = ? and date in (?)', [count, roomTypeId, dates], 'run');
}

export interface OccupancyRow {
  id: string;
  roomId: string;
  roomTypeId: string;
  reservationId: string | null;
  blockId: string | null;
  arrival: string;
  departure: string;
}
const OCCUPANCY_COLUMNS = `o.id, o.room_id as "roomId", r.room_type_id as "roomTypeId", o.reservation_id as "reservationId",
  o.block_id as "blockId", o.arrival, o.departure`;

/** The first holder of `roomId` overlapping [from, to), ignoring the given reservation's own segments. */
export async function findOverlap(em: Em, roomId: string, from: string, to: string, exceptReservationId?: string): Promise<OccupancyRow | null> {
  const rows = await em.execute<OccupancyRow[]>(
    `select ${OCCUPANCY_COLUMNS} from room_occupancy o join room r on r.id = o.room_id
     where o.room_id = ? and o.arrival < ? and o.departure > ? and (o.reservation_id is null or o.reservation_id <> ?)
     order by o.arrival limit 1`,
    [roomId, to, from, exceptReservationId ?? '00000000-0000-0000-0000-000000000000'],
  );
  return rows[0] ?? null;
}

/** Holds a room for [arrival, departure); the exclusion constraint refuses any overlap (23P01 -> CONFLICT). */
export async function occupy(em: Em, row: { propertyId: string; roomId: string; reservationId?: string; blockId?: string; arrival: string; departure: string }): Promise<void> {
  await em.execute(
    'insert into room_occupancy (id, property_id, room_id, reservation_id, block_id, arrival, departure) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?)',
    [row.propertyId, row.roomId, row.reservationId ?? null, row.blockId ?? null, row.arrival, row.departure],
    'run',
  );
}

export async function segmentsOf(em: Em, reservationIds: string[]): Promise<OccupancyRow[]> {
  if (!reservationIds.length) return [];
  return em.execute<OccupancyRow[]>(
    `select ${OCCUPANCY_COLUMNS} from room_occupancy o join room r on r.id = o.room_id where o.reservation_id in (?) order by o.arrival`,
    [reservationIds],
  );
}

/** Frees the reservation's rooms from `from` on (everything when omitted): later segments go, one is cut short. */
export async function vacateFrom(em: Em, reservationId: string, from?: string): Promise<void> {
  if (!from) {
    await em.execute('delete from room_occupancy where reservation_id = ?', [reservationId], 'run');
    return;
  }
  await em.execute('delete from room_occupancy where reservation_id = ? and arrival >= ?', [reservationId, from], 'run');
  await em.execute('update room_occupancy set departure = ? where reservation_id = ? and departure > ?', [from, reservationId, from], 'run');
}

/** Moves the end of the reservation's last segment (stay extension); the exclusion constraint guards it. */
export async function extendLastSegment(em: Em, reservationId: string, oldDeparture: string, newDeparture: string): Promise<void> {
  await em.execute('update room_occupancy set departure = ? where reservation_id = ? and departure = ?', [newDeparture, reservationId, oldDeparture], 'run');
}

export async function vacateBlock(em: Em, blockId: string, from: string): Promise<void> {
  await em.execute('delete from room_occupancy where block_id = ? and arrival >= ?', [blockId, from], 'run');
  await em.execute('update room_occupancy set departure = ? where block_id = ? and departure > ?', [from, blockId, from], 'run');
}

export interface LedgerNight {
  date: string;
  roomTypeId: string;
  amount: number;
  fromBlock: boolean;
}

export async function insertNights(em: Em, propertyId: string, reservationId: string, nights: LedgerNight[]): Promise<void> {
  if (!nights.length) return;
  await em.execute(
    `insert into reservation_night (reservation_id, date, property_id, room_type_id, amount, from_block) values ${nights.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
    nights.flatMap((n) => [reservationId, n.date, propertyId, n.roomTypeId, n.amount, n.fromBlock]),
    'run',
  );
}

export async function nightsOfReservation(em: Em, reservationId: string): Promise<LedgerNight[]> {
  return em.execute<LedgerNight[]>(
    'select date, room_type_id as "roomTypeId", amount, from_block as "fromBlock" from reservation_night where reservation_id = ? order by date',
    [reservationId],
  );
}

/** Removes the reservation's nights from `from` on (all when omitted) and returns them. */
export async function deleteNights(em: Em, reservationId: string, from = '0001-01-01'): Promise<LedgerNight[]> {
  return em.execute<LedgerNight[]>(
    'delete from reservation_night where reservation_id = ? and date >= ? returning date, room_type_id as "roomTypeId", amount, from_block as "fromBlock"',
    [reservationId, from],
  );
}

/** Holds `rooms` of a type per night for a group (inventory must already be taken). */
export async function insertBlockNights(em: Em, groupId: string, roomTypeId: string, dates: string[], rooms: number): Promise<void> {
  if (!dates.length) return;
  await em.execute(
    `insert into group_block_night (group_id, room_type_id, date, held, picked_up) values ${dates.map(() => '(?, ?, ?, ?, 0)').join(', ')}`,
    dates.flatMap((d) => [groupId, roomTypeId, d, rooms]),
    'run',
  );
}

/** Picks a room up from the group's block on each date it still has one; returns those dates. */
export async function pickUpBlockNights(em: Em, groupId: string, roomTypeId: string, dates: string[]): Promise<string[]> {
  if (!dates.length) return [];
  await em.execute('select date from group_block_night where group_id = ? and room_type_id = ? and date in (?) order by date for update', [groupId, roomTypeId, dates]);
  const rows = await em.execute<{ date: string }[]>(
    'update group_block_night set picked_up = picked_up + 1 where group_id = ? and room_type_id = ? and date in (?) and picked_up < held returning date',
    [groupId, roomTypeId, dates],
  );
  return rows.map((r) => r.date);
}

/**
 * A picked-up night comes back: to the block while the group is open; once released, the block
 * shrinks and the room goes back to general sale.
 */
export async function returnBlockNights(em: Em, groupId: string, roomTypeId: string, dates: string[], released: boolean): Promise<void> {
  if (!dates.length) return;
  await em.execute(
    `update group_block_night set picked_up = picked_up - 1${released ? ', held = held - 1' : ''} where group_id = ? and room_type_id = ? and date in (?)`,
    [groupId, roomTypeId, dates],
    'run',
  );
  if (released) await releaseTypeNights(em, roomTypeId, dates);
}

/** Cut-off: shrinks the block to what was picked up; returns the rooms given back per type and night. */
export async function shrinkBlockToPickUp(em: Em, groupId: string, from: string): Promise<Array<{ roomTypeId: string; date: string; freed: number }>> {
  const rows = await em.execute<Array<{ roomTypeId: string; date: string; freed: number }>>(
    `update group_block_night g set held = g.picked_up from group_block_night old
     where g.group_id = ? and g.date >= ? and old.group_id = g.group_id and old.room_type_id = g.room_type_id and old.date = g.date and old.held > old.picked_up
     returning g.room_type_id as "roomTypeId", g.date, old.held - old.picked_up as freed`,
    [groupId, from],
  );
  return rows;
}

export interface BlockSummary {
  roomTypeId: string;
  rooms: number;
  pickedUp: number;
  roomNightsHeld: number;
  roomNightsPickedUp: number;
}

export async function blockSummaries(em: Em, groupIds: string[]): Promise<Map<string, BlockSummary[]>> {
  const out = new Map<string, BlockSummary[]>();
  if (!groupIds.length) return out;
  const rows = await em.execute<Array<BlockSummary & { groupId: string }>>(
    `select group_id as "groupId", room_type_id as "roomTypeId", max(held)::int as rooms, max(picked_up)::int as "pickedUp",
       sum(held)::int as "roomNightsHeld", sum(picked_up)::int as "roomNightsPickedUp"
     from group_block_night where group_id in (?) group by group_id, room_type_id order by group_id, room_type_id`,
    [groupIds],
  );
  for (const { groupId, ...summary } of rows) out.set(groupId, [...(out.get(groupId) ?? []), summary]);
  return out;
}
