import type { AvailabilityResult, PayloadOf, Quote, availabilitySearch } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { invalid } from '../../pipeline/errors.ts';
import { RoomType } from '../property/entities.ts';
import { nightsOf } from '../property/hotel-date.ts';
import { Offer, RatePlan } from './entities.ts';
import { propertyOf } from './lookups.ts';
import { applyDiscount, evaluateStay, loadCalendars, offerDiscount, offerProblem, sumNights } from './pricing.ts';
import { MAX_NIGHTS } from './reservation.service.ts';

/** Rooms of each type free on every night of [arrival, departure); a night not open for sale counts as none. */
async function freeRooms(ctx: CommandContext, arrival: string, departure: string, nights: number): Promise<Map<string, number>> {
  const rows = await ctx.em.execute<{ roomTypeId: string; free: number; n: number }[]>(
    `select room_type_id as "roomTypeId", min(capacity - sold)::int as free, count(*)::int as n
     from room_type_night where property_id = ? and date >= ? and date < ? group by room_type_id`,
    [ctx.propertyId, arrival, departure],
  );
  return new Map(rows.map((r) => [r.roomTypeId, r.n === nights ? Math.max(0, r.free) : 0]));
}

/**
 * What can be sold for a stay: each room type that fits the party, how many rooms are left on every
 * night (out-of-order rooms are not in the capacity), and a quote per plan whose restrictions allow
 * the stay. Reads only; an unusable offer code is reported, not an error.
 */
export async function searchAvailability(ctx: CommandContext, input: PayloadOf<typeof availabilitySearch>): Promise<AvailabilityResult> {
  const property = await propertyOf(ctx);
  const nights = nightsOf(input.arrival, input.departure).length;
  if (input.arrival < property.businessDate) throw invalid(`Arrival cannot be before the hotel date ${property.businessDate}`);
  if (nights > MAX_NIGHTS) throw invalid(`A stay can be at most ${MAX_NIGHTS} nights`);
  const children = input.children ?? 0;
  const types = (await ctx.em.find(RoomType, { property: ctx.propertyId, deletedAt: null }, { orderBy: { code: 'asc' } }))
    .filter((t) => input.adults <= t.maxAdults && children <= t.maxChildren);
  const plans = await ctx.em.find(RatePlan, { property: ctx.propertyId, active: true }, { orderBy: { isDefault: 'desc', code: 'asc' } });
  const offer = input.offerCode ? await ctx.em.findOne(Offer, { property: ctx.propertyId, code: input.offerCode.trim().toUpperCase() }) : null;
  const stay = { businessDate: property.businessDate, arrival: input.arrival, departure: input.departure };
  const offerStatus = input.offerCode
    ? offer
      ? { code: offer.code, problem: offerProblem(offer, stay) ?? (offer.usageLimit != null && offer.usedCount >= offer.usageLimit ? `Offer ${offer.code} has been used up` : null) }
      : { code: input.offerCode.trim().toUpperCase(), problem: 'Unknown offer code' }
    : null;
  const calendars = await loadCalendars(ctx.em, plans, types.map((t) => t.id), input.arrival, input.departure);
  const free = await freeRooms(ctx, input.arrival, input.departure, nights);

  let offerUsed = false;
  const roomTypes = types.map((type) => {
    const quotes: Quote[] = [];
    const restricted: AvailabilityResult['roomTypes'][number]['restricted'] = [];
    for (const plan of plans.filter((p) => p.roomTypeIds.includes(type.id))) {
      const check = evaluateStay(calendars.get(plan.id)?.get(type.id) ?? new Map(), input.arrival, input.departure);
      if (!check.ok) {
        restricted.push({ ratePlanId: plan.id, name: plan.name, reason: check.reason });
        continue;
      }
      const applies = offer && !offerStatus?.problem && !offerProblem(offer, { ...stay, ratePlanId: plan.id, roomTypeId: type.id });
      const { nightly, discount } = applyDiscount(check.nightly, applies ? offerDiscount(offer) : null);
      if (applies) offerUsed = true;
      quotes.push({
        ratePlanId: plan.id, name: plan.name, total: sumNights(nightly), currency: property.currency, nightly, discount, offerCode: applies ? offer.code : null,
        refundable: plan.cancellationPolicy.freeUntilDaysBefore !== null, cancellationPolicy: plan.cancellationPolicy, inclusions: [...plan.inclusions],
      });
    }
    return { roomTypeId: type.id, name: type.name, available: free.get(type.id) ?? 0, quotes, restricted };
  });
  const offerResult = offerStatus
    ? offerStatus.problem
      ? { code: offerStatus.code, valid: false, reason: offerStatus.problem }
      : offerUsed ? { code: offerStatus.code, valid: true } : { code: offerStatus.code, valid: false, reason: `Offer ${offerStatus.code} does not apply to any plan for this stay` }
    : null;
  return { arrival: input.arrival, departure: input.departure, nights, currency: property.currency, offer: offerResult, roomTypes };
}
