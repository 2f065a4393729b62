// Prices, restrictions and offers. The rules are pure functions over a plan's calendar so they can be
// read (and tested) without a database; `loadCalendars` is the one query that feeds them.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OfferDiscount } from '@innboard/shared';
import { addDays, nightsOf } from '../property/hotel-date.ts';
import type { Offer, RatePlan } from './entities.ts';

export interface PlanDay {
  amount: number | null;
  minStay: number | null;
  closed: boolean;
  closedToArrival: boolean;
  closedToDeparture: boolean;
}
/** date -> day of one plan for one room type. */
export type PlanCalendar = Map<string, PlanDay>;
export interface PricedNight {
  date: string;
  amount: number;
}

const EMPTY_DAY: PlanDay = { amount: null, minStay: null, closed: false, closedToArrival: false, closedToDeparture: false };

/** A derived plan's nightly price: parent x (100 % + adjustment) + fixed amount, never below zero. */
export function derivedAmount(parentAmount: number, basisPoints: number, amount: number): number {
  return Math.max(0, Math.round((parentAmount * (10_000 + basisPoints)) / 10_000) + amount);
}

/** A derived plan sells on its parent's calendar; its own restrictions add to the parent's. */
export function deriveDay(parent: PlanDay, own: PlanDay | undefined, plan: Pick<RatePlan, 'adjustBasisPoints' | 'adjustAmount'>): PlanDay {
  const o = own ?? EMPTY_DAY;
  return {
    amount: parent.amount === null ? null : derivedAmount(parent.amount, plan.adjustBasisPoints, plan.adjustAmount),
    minStay: Math.max(parent.minStay ?? 0, o.minStay ?? 0) || null,
    closed: parent.closed || o.closed,
    closedToArrival: parent.closedToArrival || o.closedToArrival,
    closedToDeparture: parent.closedToDeparture || o.closedToDeparture,
  };
}

type StayCheck = { ok: true; nightly: PricedNight[] } | { ok: false; reason: string };

/**
 * Whether a plan sells [arrival, departure) and at what nightly prices. Min stay is read on the
 * arrival date; closed-to-departure on the departure date (which is not a night of the stay).
 */
export function evaluateStay(calendar: PlanCalendar, arrival: string, departure: string, opts: { ignoreRestrictions?: boolean } = {}): StayCheck {
  const nights = nightsOf(arrival, departure);
  const nightly: PricedNight[] = [];
  for (const date of nights) {
    const day = calendar.get(date);
    if (!day || day.amount === null) return { ok: false, reason: `Not for sale on ${date}` };
    if (day.closed && !opts.ignoreRestrictions) return { ok: false, reason: `Closed on ${date}` };
    nightly.push({ date, amount: day.amount });
  }
  if (opts.ignoreRestrictions) return { ok: true, nightly };
  const first = calendar.get(arrival)!;
  if (first.closedToArrival) return { ok: false, reason: `Closed to arrival on ${arrival}` };
  if (first.minStay && nights.length < first.minStay) return { ok: false, reason: `Minimum stay is ${first.minStay} nights for arrival on ${arrival}` };
  if (calendar.get(departure)?.closedToDeparture) return { ok: false, reason: `Closed to departure on ${departure}` };
  return { ok: true, nightly };
}

export function offerDiscount(offer: Pick<Offer, 'discountKind' | 'discountValue'>): OfferDiscount {
  return offer.discountKind === 'percent' ? { kind: 'percent', percent: offer.discountValue } : { kind: 'amount', amount: offer.discountValue };
}

/** Why an offer cannot be used for this booking, or null when it can. Usage limits are checked when it is taken. */
export function offerProblem(
  offer: Pick<Offer, 'code' | 'active' | 'bookingFrom' | 'bookingUntil' | 'stayFrom' | 'stayUntil' | 'minNights' | 'ratePlanIds' | 'roomTypeIds'>,
  stay: { businessDate: string; arrival: string; departure: string; ratePlanId?: string; roomTypeId?: string },
  opts: { alreadyHeld?: boolean } = {},
): string | null {
  const lastNight = addDays(stay.departure, -1);
  const nights = nightsOf(stay.arrival, stay.departure).length;
  if (!opts.alreadyHeld) {
    if (!offer.active) return `Offer ${offer.code} is no longer available`;
    if (offer.bookingFrom && stay.businessDate < offer.bookingFrom) return `Offer ${offer.code} can be booked from ${offer.bookingFrom}`;
    if (offer.bookingUntil && stay.businessDate > offer.bookingUntil) return `Offer ${offer.code} could be booked until ${offer.bookingUntil}`;
  }
  if (offer.stayFrom && stay.arrival < offer.stayFrom) return `Offer ${offer.code} is valid for nights from ${offer.stayFrom}`;
  if (offer.stayUntil && lastNight > offer.stayUntil) return `Offer ${offer.code} is valid for nights until ${offer.stayUntil}`;
  if (offer.minNights && nights < offer.minNights) return `Offer ${offer.code} needs at least ${offer.minNights} nights`;
  if (stay.ratePlanId && offer.ratePlanIds.length && !offer.ratePlanIds.includes(stay.ratePlanId)) return `Offer ${offer.code} does not apply to this rate plan`;
  if (stay.roomTypeId && offer.roomTypeIds.length && !offer.roomTypeIds.includes(stay.roomTypeId)) return `Offer ${offer.code} does not apply to this room type`;
  return null;
}

/** The discount taken off each night (percent rounded per night; fixed amounts never below zero). */
export function applyDiscount(nightly: PricedNight[], discount: OfferDiscount | null): { nightly: PricedNight[]; discount: number } {
  if (!discount) return { nightly, discount: 0 };
  let total = 0;
  const out = nightly.map((n) => {
    const off = discount.kind === 'percent' ? Math.round((n.amount * discount.percent) / 100) : Math.min(n.amount, discount.amount);
    total += off;
    return { date: n.date, amount: n.amount - off };
  });
  return { nightly: out, discount: total };
}

export const sumNights = (nightly: Array<{ amount: number }>) => nightly.reduce((s, n) => s + n.amount, 0);

interface RateDayRow extends PlanDay {
  ratePlanId: string;
  roomTypeId: string;
  date: string;
}

/**
 * Calendars of `plans` for `roomTypeIds` over [from, to] (inclusive: a stay needs its departure
 * day for closed-to-departure). Derived plans are computed from their parent's rows.
 */
export async function loadCalendars(em: EntityManager, plans: RatePlan[], roomTypeIds: string[], from: string, to: string): Promise<Map<string, Map<string, PlanCalendar>>> {
  const planIds = [...new Set(plans.flatMap((p) => [p.id, ...(p.parent ? [p.parent.id] : [])]))];
  const out = new Map<string, Map<string, PlanCalendar>>();
  if (!planIds.length || !roomTypeIds.length) return out;
  const rows = await em.execute<RateDayRow[]>(
    `select rate_plan_id as "ratePlanId", room_type_id as "roomTypeId", date, amount, min_stay as "minStay", closed,
       closed_to_arrival as "closedToArrival", closed_to_departure as "closedToDeparture"
     from rate_day where rate_plan_id in (?) and room_type_id in (?) and date >= ? and date <= ?`,
    [planIds, roomTypeIds, from, to],
  );
  const own = new Map<string, Map<string, PlanCalendar>>();
  for (const r of rows) {
    const byType = own.get(r.ratePlanId) ?? own.set(r.ratePlanId, new Map()).get(r.ratePlanId)!;
    const cal = byType.get(r.roomTypeId) ?? byType.set(r.roomTypeId, new Map()).get(r.roomTypeId)!;
    cal.set(r.date, { amount: r.amount, minStay: r.minStay, closed: r.closed, closedToArrival: r.closedToArrival, closedToDeparture: r.closedToDeparture });
  }
  for (const plan of plans) {
    const byType = new Map<string, PlanCalendar>();
    for (const typeId of roomTypeIds) {
      if (!plan.parent) {
        byType.set(typeId, own.get(plan.id)?.get(typeId) ?? new Map());
        continue;
      }
      const parentCal = own.get(plan.parent.id)?.get(typeId) ?? new Map<string, PlanDay>();
      const ownCal = own.get(plan.id)?.get(typeId);
      const cal: PlanCalendar = new Map();
      for (const [date, day] of parentCal) cal.set(date, deriveDay(day, ownCal?.get(date), plan));
      byType.set(typeId, cal);
    }
    out.set(plan.id, byType);
  }
  return out;
}
