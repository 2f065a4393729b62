import type { Reservation } from './model.ts';

// The front desk's three lists for the business date, and the search across them.

export type DeskList = 'arrivals' | 'departures' | 'inHouse';

const byArrivalThenName = (a: Reservation, b: Reservation) => a.arrival.localeCompare(b.arrival) || a.guest.name.localeCompare(b.guest.name);

/**
 * Arrivals: due today (still to check in, or already in since this morning). Departures: in-house guests
 * due out today or overdue, plus those who left today. In-house: everyone checked in.
 */
export function deskList(reservations: Iterable<Reservation>, list: DeskList, today: string): Reservation[] {
  const out: Reservation[] = [];
  for (const r of reservations) {
    if (list === 'arrivals' && r.arrival === today && ['tentative', 'confirmed', 'checked_in'].includes(r.status)) out.push(r);
    if (list === 'departures' && ((r.status === 'checked_in' && r.departure <= today) || (r.status === 'checked_out' && r.departure === today))) out.push(r);
    if (list === 'inHouse' && r.status === 'checked_in') out.push(r);
  }
  // Work still to do first, done rows after.
  const done = (r: Reservation) => (list === 'arrivals' ? r.status === 'checked_in' : list === 'departures' ? r.status === 'checked_out' : false);
  return out.sort((a, b) => Number(done(a)) - Number(done(b)) || byArrivalThenName(a, b));
}

/** Case- and accent-insensitive match on guest name, room number or booking reference. */
export function matches(r: Reservation, query: string, roomNumber: (id: string | null) => string | null): boolean {
  const q = fold(query.trim());
  if (!q) return true;
  const hay = [r.guest.name, roomNumber(r.roomId) ?? '', r.id.slice(0, 8)].map(fold);
  return q.split(/\s+/).every((word) => hay.some((h) => h.includes(word)));
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}
