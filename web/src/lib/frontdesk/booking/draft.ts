import type { AvailabilityResult, GuestView, Quote, RESERVATION_SOURCES } from '@innboard/shared';
import { addDays } from '../dates.ts';

// The new-reservation flow's state, step by step. Kept plain so each step component only edits its part.

export type Step = 'stay' | 'quote' | 'guest' | 'confirm' | 'done';
export const STEPS: ReadonlyArray<{ id: Exclude<Step, 'done'>; label: string }> = [
  { id: 'stay', label: 'Stay' },
  { id: 'quote', label: 'Room & rate' },
  { id: 'guest', label: 'Guest' },
  { id: 'confirm', label: 'Confirm' },
];

export interface StayInput {
  arrival: string;
  nights: number;
  adults: number;
  children: number;
  offerCode: string;
}

export interface Choice {
  roomTypeId: string;
  roomTypeName: string;
  quote: Quote;
}

export type GuestChoice =
  | { kind: 'existing'; guest: GuestView }
  | { kind: 'new'; firstName: string; lastName: string; email: string; phone: string };

/** What the last step adds: a room now or later, the status, who booked it, a note. */
export interface Extras {
  roomId: string;
  status: 'confirmed' | 'tentative';
  source: (typeof RESERVATION_SOURCES)[number];
  note: string;
}

export function newStay(businessDate: string): StayInput {
  return { arrival: businessDate, nights: 1, adults: 2, children: 0, offerCode: '' };
}

export function departureOf(stay: StayInput): string {
  return addDays(stay.arrival, Math.max(1, stay.nights));
}

/**
 * The quote to preselect: the cheapest flexible (refundable) rate of any type with rooms left, which is
 * what an agent quotes first; the cheapest of all when nothing is refundable.
 */
export function firstChoice(result: AvailabilityResult): Choice | null {
  const all = result.roomTypes
    .filter((t) => t.available > 0)
    .flatMap((t) => t.quotes.map((quote) => ({ roomTypeId: t.roomTypeId, roomTypeName: t.name, quote })));
  const cheapest = (list: Choice[]) => list.reduce<Choice | null>((best, c) => (!best || c.quote.total < best.quote.total ? c : best), null);
  return cheapest(all.filter((c) => c.quote.refundable)) ?? cheapest(all);
}

/** Room types cheapest first, sold-out ones last: the order an agent reads prices out. */
export function byPrice(result: AvailabilityResult): AvailabilityResult['roomTypes'] {
  const from = (t: AvailabilityResult['roomTypes'][number]) => (t.available > 0 && t.quotes.length ? Math.min(...t.quotes.map((q) => q.total)) : Infinity);
  return [...result.roomTypes].sort((a, b) => from(a) - from(b));
}

export function guestLabel(g: GuestChoice): string {
  return g.kind === 'existing' ? g.guest.name : `${g.lastName}, ${g.firstName} (new guest)`;
}

/** The `guest` of reservation.create: an id, or the new guest's details without empty fields. */
export function guestPayload(g: GuestChoice): { guestId: string } | { firstName: string; lastName: string; email?: string; phone?: string } {
  if (g.kind === 'existing') return { guestId: g.guest.id };
  return {
    firstName: g.firstName.trim(),
    lastName: g.lastName.trim(),
    email: g.email.trim() || undefined,
    phone: g.phone.trim() || undefined,
  };
}

/** "Ada Lovelace" typed into the search becomes first and last name of a new guest. */
export function splitName(query: string): { firstName: string; lastName: string } {
  const q = query.trim();
  if (q.includes(',')) {
    const [last, first = ''] = q.split(',', 2);
    return { firstName: first.trim(), lastName: last!.trim() };
  }
  const parts = q.split(/\s+/);
  if (parts.length < 2) return { firstName: '', lastName: q };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1]! };
}
