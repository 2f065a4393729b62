// Occupancy badges from the live reservations. The snapshot's `occupancy` is a picture taken at connect
// time; a check-in or a new booking made since then only shows if we derive the badges from the
// reservations the read model keeps current, event by event.
import type { FrontDeskModel } from '#lib/frontdesk/model.ts';
import type { Occupancy, PropertyReadModel } from '#lib/live/read-model.ts';

/**
 * Who sleeps where on `today`, as room ids: checked in = occupied; a stay with a room, arriving today and
 * not yet checked in = arrival; checked in and due out today (or overdue, as the desk's departures list
 * counts it) = departure.
 */
export function occupancyFromReservations(frontDesk: FrontDeskModel, today: string): Occupancy {
  const inHouse = new Set<string>();
  const arrivals = new Set<string>();
  const departures = new Set<string>();
  for (const r of Object.values(frontDesk.reservations)) {
    if (!r.roomId) continue;
    if (r.status === 'checked_in') {
      inHouse.add(r.roomId);
      if (r.departure <= today) departures.add(r.roomId);
    } else if ((r.status === 'confirmed' || r.status === 'tentative') && r.arrival === today) {
      arrivals.add(r.roomId);
    }
  }
  return { date: today, inHouse, arrivals, departures };
}

// One derivation per (reservations, date): every tile asks, and the reducer replaces the object on change.
const cache = new WeakMap<FrontDeskModel, Occupancy>();

/**
 * The occupancy the board shows: live from reservations when the server sends them (the snapshot had a
 * reservation window), else the snapshot's `occupancy` (an older server, or none at all: null).
 */
export function currentOccupancy(model: Pick<PropertyReadModel, 'occupancy' | 'frontDesk' | 'property'>): Occupancy | null {
  if (!model.frontDesk.window) return model.occupancy;
  const today = model.property.businessDate;
  const have = cache.get(model.frontDesk);
  if (have && have.date === today) return have;
  const derived = occupancyFromReservations(model.frontDesk, today);
  cache.set(model.frontDesk, derived);
  return derived;
}
