// Occupied / vacant is derived from stays, which the reservations domain owns. Housekeeping reads
// occupancy only through `loadOccupancy`, so the stays query lives in exactly one place; tests that
// want a fixed picture install their own source with `useOccupancySource`.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface RoomOccupancy {
  inHouse: ReadonlySet<string>;
  arrivals: ReadonlySet<string>;
  departures: ReadonlySet<string>;
}

export type OccupancySource = (em: EntityManager, propertyId: string, date: string) => Promise<RoomOccupancy>;

type Kind = 'in_house' | 'arrival' | 'departure';

/**
 * One query over stays and their room segments for (property, date):
 *   in_house  - checked in, the room the guest sleeps in on `date`, or on their departure day the
 *               room of the last segment (they are still in it until they check out);
 *   arrival   - assigned, not yet checked in, arriving on `date` (the first segment's room);
 *   departure - checked in and leaving on `date` (the last segment's room).
 * Checked-out, cancelled and no-show stays hold no room here.
 */
/** The arrival condition for stays `r` with room segments `o`; params: property, date. */
const ARRIVAL_WHERE = `r.property_id = ? and r.status in ('tentative', 'confirmed') and r.arrival = ? and o.arrival = r.arrival`;

const OCCUPANCY_SQL = `
  select 'in_house' as kind, o.room_id as "roomId" from reservation r join room_occupancy o on o.reservation_id = r.id
   where r.property_id = ? and r.status = 'checked_in'
     and ((o.arrival <= ? and ? < o.departure) or (r.departure = ? and o.departure = r.departure))
  union all
  select 'arrival', o.room_id from reservation r join room_occupancy o on o.reservation_id = r.id
   where ${ARRIVAL_WHERE}
  union all
  select 'departure', o.room_id from reservation r join room_occupancy o on o.reservation_id = r.id
   where r.property_id = ? and r.status = 'checked_in' and r.departure = ? and o.departure = r.departure`;

const staysQuery: OccupancySource = async (em, propertyId, date) => {
  // Pending changes of the caller's unit of work (a check-in a moment ago) must be visible.
  await em.flush();
  const rows = await em.execute<Array<{ kind: Kind; roomId: string }>>(OCCUPANCY_SQL, [
    propertyId, date, date, date, propertyId, date, propertyId, date,
  ]);
  const pick = (kind: Kind) => new Set(rows.filter((r) => r.kind === kind).map((r) => r.roomId));
  return { inHouse: pick('in_house'), arrivals: pick('arrival'), departures: pick('departure') };
};

let source: OccupancySource = staysQuery;

/** Occupancy of a property's rooms on a hotel date, read in the caller's unit of work. */
export function loadOccupancy(em: EntityManager, propertyId: string, date: string): Promise<RoomOccupancy> {
  return source(em, propertyId, date);
}

/**
 * "Does a stay arrive in this room on this date?" as an SQL condition over column expressions (their values
 * bound by the enclosing query: a room's id, property id and hotel date), the same rule as the arrivals of
 * `loadOccupancy`, for a query that wants the answer without a round trip of its own. Null while another
 * source is installed: then only `loadOccupancy` knows.
 */
export function arrivalDueSql(roomId: string, propertyId: string, date: string): string | null {
  if (source !== staysQuery) return null;
  const where = ARRIVAL_WHERE.replace('?', propertyId).replace('?', date);
  return `exists (select 1 from reservation r join room_occupancy o on o.reservation_id = r.id where ${where} and o.room_id = ${roomId})`;
}

/** Swaps the source (tests that need a fixed picture). Returns a function that restores the previous one. */
export function useOccupancySource(next: OccupancySource): () => void {
  const previous = source;
  source = next;
  return () => {
    source = previous;
  };
}
