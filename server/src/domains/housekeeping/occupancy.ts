// MERGE SEAM (reservations): occupied / vacant is derived from stays, which the reservations
// domain owns. Housekeeping reads occupancy only through `loadOccupancy`, so the stays query lands in
// exactly one place. Until that domain is merged, the default source knows no stays (every room is
// vacant, no arrivals), and tests install their own source with `useOccupancySource`.
//
// After the merge, replace `noStaysKnown` with a query on stays for (propertyId, date):
//   inHouse    = stays checked in and not checked out (their room ids)
//   arrivals   = assigned stays arriving on `date`, not yet checked in
//   departures = in-house stays whose departure is `date`
import type { EntityManager } from '@mikro-orm/postgresql';

export interface RoomOccupancy {
  inHouse: ReadonlySet<string>;
  arrivals: ReadonlySet<string>;
  departures: ReadonlySet<string>;
}

export type OccupancySource = (em: EntityManager, propertyId: string, date: string) => Promise<RoomOccupancy>;

const EMPTY: RoomOccupancy = { inHouse: new Set(), arrivals: new Set(), departures: new Set() };

const noStaysKnown: OccupancySource = async () => EMPTY;

let source: OccupancySource = noStaysKnown;

/** Occupancy of a property's rooms on a hotel date, read in the caller's unit of work. */
export function loadOccupancy(em: EntityManager, propertyId: string, date: string): Promise<RoomOccupancy> {
  return source(em, propertyId, date);
}

/** Swaps the source (tests; the reservations merge). Returns a function that restores the previous one. */
export function useOccupancySource(next: OccupancySource): () => void {
  const previous = source;
  source = next;
  return () => {
    source = previous;
  };
}
