import {
  offerCreated, offerUpdated, ratePlanCreated, ratePlanRatesChanged, ratePlanUpdated,
  type OfferView, type PayloadOf, type RatePlanGridResult, type RatePlanView,
  type offerCreate, type offerUpdate, type ratePlanCreate, type ratePlanGrid, type ratePlanSetPrices, type ratePlanSetRestrictions, type ratePlanUpdate,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid, notFound } from '../../pipeline/errors.ts';
import { addDays, daysBetween, weekdayOf } from '../property/hotel-date.ts';
import { Offer, RatePlan } from './entities.ts';
import { openInventory } from './inventory.repository.ts';
import { propertyOf, requireRatePlan, requireRoomTypes } from './lookups.ts';
import { loadCalendars, offerDiscount } from './pricing.ts';

const MAX_RANGE_DAYS = 800;

export function toRatePlanView(plan: RatePlan): RatePlanView {
  return {
    id: plan.id, code: plan.code, name: plan.name, description: plan.description, roomTypeIds: [...plan.roomTypeIds], currency: plan.currency,
    derivedFrom: plan.parent ? { ratePlanId: plan.parent.id, percent: plan.adjustBasisPoints / 100, amount: plan.adjustAmount } : null,
    cancellationPolicy: plan.cancellationPolicy, inclusions: [...plan.inclusions], isDefault: plan.isDefault, active: plan.active, version: plan.version,
  };
}

export function toOfferView(offer: Offer): OfferView {
  return {
    id: offer.id, code: offer.code, name: offer.name, discount: offerDiscount(offer),
    bookingWindow: offer.bookingFrom && offer.bookingUntil ? { from: offer.bookingFrom, until: offer.bookingUntil } : null,
    stayWindow: offer.stayFrom && offer.stayUntil ? { from: offer.stayFrom, until: offer.stayUntil } : null,
    usageLimit: offer.usageLimit ?? null, usedCount: offer.usedCount, minNights: offer.minNights ?? null,
    ratePlanIds: [...offer.ratePlanIds], roomTypeIds: [...offer.roomTypeIds], active: offer.active, version: offer.version,
  };
}

function checkRange(from: string, to: string): string[] {
  if (to <= from) throw invalid('`to` must be after `from`');
  if (daysBetween(from, to) > MAX_RANGE_DAYS) throw invalid(`At most ${MAX_RANGE_DAYS} days at a time`);
  const dates: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

/** Only one plan is the default: the one a booking gets when it names none. */
async function clearOtherDefaults(ctx: CommandContext, keep: RatePlan): Promise<void> {
  const others = await ctx.em.find(RatePlan, { property: ctx.propertyId, isDefault: true, id: { $ne: keep.id } });
  for (const other of others) {
    other.isDefault = false;
    await ctx.em.flush();
    ctx.emit(ratePlanUpdated, { ratePlan: toRatePlanView(other) });
  }
}

export async function createRatePlan(ctx: CommandContext, input: PayloadOf<typeof ratePlanCreate>): Promise<RatePlanView> {
  const property = await propertyOf(ctx);
  await requireRoomTypes(ctx, input.roomTypeIds);
  if (await ctx.em.findOne(RatePlan, { property: ctx.propertyId, code: input.code })) throw conflict(`Rate plan ${input.code} already exists`);
  let parent: RatePlan | null = null;
  if (input.derivedFrom) {
    parent = await requireRatePlan(ctx, input.derivedFrom.ratePlanId);
    if (parent.parent) throw invalid(`${parent.code} is itself derived; derive from a base plan`);
    const missing = input.roomTypeIds.filter((t) => !parent!.roomTypeIds.includes(t));
    if (missing.length) throw invalid(`${parent.code} has no prices for some of those room types`);
  }
  const plan = ctx.em.create(RatePlan, {
    property: ctx.propertyId, code: input.code, name: input.name, description: input.description ?? '', roomTypeIds: [...new Set(input.roomTypeIds)],
    currency: property.currency, parent, adjustBasisPoints: Math.round((input.derivedFrom?.percent ?? 0) * 100), adjustAmount: input.derivedFrom?.amount ?? 0,
    cancellationPolicy: input.cancellationPolicy, inclusions: input.inclusions ?? [], isDefault: input.isDefault ?? false, active: true,
  });
  await ctx.em.flush();
  if (plan.isDefault) await clearOtherDefaults(ctx, plan);
  const view = toRatePlanView(plan);
  ctx.recordChange({ type: 'ratePlan', id: plan.id, after: view });
  ctx.emit(ratePlanCreated, { ratePlan: view });
  return view;
}

export async function updateRatePlan(ctx: CommandContext, input: PayloadOf<typeof ratePlanUpdate>): Promise<RatePlanView> {
  const plan = await requireRatePlan(ctx, input.ratePlanId);
  if (plan.version !== input.version) throw conflict('Someone else changed this rate plan in the meantime; reload and try again', { currentVersion: plan.version });
  const before = toRatePlanView(plan);
  if (input.roomTypeIds) {
    await requireRoomTypes(ctx, input.roomTypeIds);
    plan.roomTypeIds = [...new Set(input.roomTypeIds)];
  }
  if (input.derivedFrom) {
    if (!plan.parent) throw invalid('Only a derived plan has an adjustment');
    plan.adjustBasisPoints = Math.round(input.derivedFrom.percent * 100);
    plan.adjustAmount = input.derivedFrom.amount;
  }
  if (input.name !== undefined) plan.name = input.name;
  if (input.description !== undefined) plan.description = input.description;
  if (input.cancellationPolicy) plan.cancellationPolicy = input.cancellationPolicy;
  if (input.inclusions) plan.inclusions = input.inclusions;
  if (input.isDefault !== undefined) plan.isDefault = input.isDefault;
  if (input.active !== undefined) plan.active = input.active;
  if (JSON.stringify(toRatePlanView(plan)) === JSON.stringify(before)) return before;
  await ctx.em.flush();
  if (plan.isDefault && !before.isDefault) await clearOtherDefaults(ctx, plan);
  const view = toRatePlanView(plan);
  ctx.recordChange({ type: 'ratePlan', id: plan.id, before, after: view });
  ctx.emit(ratePlanUpdated, { ratePlan: view });
  return view;
}

export async function setPrices(ctx: CommandContext, input: PayloadOf<typeof ratePlanSetPrices>): Promise<{ ratePlanId: string; nights: number }> {
  const plan = await requireRatePlan(ctx, input.ratePlanId);
  if (plan.parent) throw invalid(`${plan.code} is derived; its prices follow its base plan`);
  const typeIds = [...new Set(input.roomTypeIds)];
  if (typeIds.some((t) => !plan.roomTypeIds.includes(t))) throw invalid(`${plan.code} is not sold for one of those room types`);
  const dates = checkRange(input.from, input.to).filter((d) => !input.weekdays || input.weekdays.includes(weekdayOf(d)));
  const rows = typeIds.flatMap((t) => dates.map((d) => [plan.id, t, d, input.amount]));
  if (rows.length) {
    await ctx.em.execute(
      `insert into rate_day (rate_plan_id, room_type_id, date, amount) values ${rows.map(() => '(?, ?, ?, ?)').join(', ')}
       on conflict (rate_plan_id, room_type_id, date) do update set amount = excluded.amount`,
      rows.flat(),
      'run',
    );
  }
  // A price makes the night sellable: make sure the inventory exists for it.
  await openInventory(ctx.em, typeIds, input.from, input.to);
  ctx.recordChange({ type: 'ratePlan', id: plan.id, after: { prices: { from: input.from, to: input.to, roomTypeIds: typeIds, amount: input.amount, weekdays: input.weekdays ?? null } } });
  ctx.emit(ratePlanRatesChanged, { ratePlanId: plan.id, roomTypeIds: typeIds, from: input.from, to: input.to, what: 'prices' });
  return { ratePlanId: plan.id, nights: dates.length };
}

const RESTRICTION_COLUMNS = { minStay: 'min_stay', closed: 'closed', closedToArrival: 'closed_to_arrival', closedToDeparture: 'closed_to_departure' } as const;

export async function setRestrictions(ctx: CommandContext, input: PayloadOf<typeof ratePlanSetRestrictions>): Promise<{ ratePlanId: string; nights: number }> {
  const plan = await requireRatePlan(ctx, input.ratePlanId);
  const typeIds = [...new Set(input.roomTypeIds ?? plan.roomTypeIds)];
  if (typeIds.some((t) => !plan.roomTypeIds.includes(t))) throw invalid(`${plan.code} is not sold for one of those room types`);
  const given = (Object.keys(RESTRICTION_COLUMNS) as Array<keyof typeof RESTRICTION_COLUMNS>).filter((k) => input[k] !== undefined);
  if (!given.length) throw invalid('Give at least one restriction to set');
  const dates = checkRange(input.from, input.to).filter((d) => !input.weekdays || input.weekdays.includes(weekdayOf(d)));
  const rows = typeIds.flatMap((t) => dates.map((d) => [plan.id, t, d, input.minStay ?? null, input.closed ?? false, input.closedToArrival ?? false, input.closedToDeparture ?? false]));
  if (rows.length) {
    // Only the restrictions given change on existing days; prices are never touched here.
    await ctx.em.execute(
      `insert into rate_day (rate_plan_id, room_type_id, date, min_stay, closed, closed_to_arrival, closed_to_departure)
       values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
       on conflict (rate_plan_id, room_type_id, date) do update set ${given.map((k) => `${RESTRICTION_COLUMNS[k]} = excluded.${RESTRICTION_COLUMNS[k]}`).join(', ')}`,
      rows.flat(),
      'run',
    );
  }
  const changed = Object.fromEntries(given.map((k) => [k, input[k]]));
  ctx.recordChange({ type: 'ratePlan', id: plan.id, after: { restrictions: { from: input.from, to: input.to, roomTypeIds: typeIds, weekdays: input.weekdays ?? null, ...changed } } });
  ctx.emit(ratePlanRatesChanged, { ratePlanId: plan.id, roomTypeIds: typeIds, from: input.from, to: input.to, what: 'restrictions' });
  return { ratePlanId: plan.id, nights: dates.length };
}

export async function rateGrid(ctx: CommandContext, input: PayloadOf<typeof ratePlanGrid>): Promise<RatePlanGridResult> {
  const property = await propertyOf(ctx);
  const plans = await ctx.em.find(RatePlan, { property: ctx.propertyId, ...(input.ratePlanIds ? { id: { $in: input.ratePlanIds } } : {}) }, { orderBy: { code: 'asc' } });
  const typeIds = [...new Set(plans.flatMap((p) => p.roomTypeIds))];
  const last = addDays(input.from, input.days - 1);
  const calendars = await loadCalendars(ctx.em, plans, typeIds, input.from, last);
  const dates = Array.from({ length: input.days }, (_, i) => addDays(input.from, i));
  return {
    currency: property.currency,
    ratePlans: plans.map((plan) => ({
      ratePlanId: plan.id,
      roomTypes: plan.roomTypeIds.map((typeId) => {
        const cal = calendars.get(plan.id)?.get(typeId);
        return {
          roomTypeId: typeId,
          days: dates.map((date) => {
            const day = cal?.get(date);
            return { date, amount: day?.amount ?? null, minStay: day?.minStay ?? null, closed: day?.closed ?? false, closedToArrival: day?.closedToArrival ?? false, closedToDeparture: day?.closedToDeparture ?? false };
          }),
        };
      }),
    })),
  };
}

function checkWindow(w: { from: string; until: string } | null | undefined, what: string) {
  if (w && w.until < w.from) throw invalid(`The ${what} window ends before it starts`);
}

export async function createOffer(ctx: CommandContext, input: PayloadOf<typeof offerCreate>): Promise<OfferView> {
  checkWindow(input.bookingWindow, 'booking');
  checkWindow(input.stayWindow, 'stay');
  if (input.roomTypeIds?.length) await requireRoomTypes(ctx, input.roomTypeIds);
  for (const planId of input.ratePlanIds ?? []) await requireRatePlan(ctx, planId);
  if (await ctx.em.findOne(Offer, { property: ctx.propertyId, code: input.code })) throw conflict(`Offer code ${input.code} already exists`);
  const offer = ctx.em.create(Offer, {
    property: ctx.propertyId, code: input.code, name: input.name,
    discountKind: input.discount.kind, discountValue: input.discount.kind === 'percent' ? input.discount.percent : input.discount.amount,
    bookingFrom: input.bookingWindow?.from ?? null, bookingUntil: input.bookingWindow?.until ?? null,
    stayFrom: input.stayWindow?.from ?? null, stayUntil: input.stayWindow?.until ?? null,
    usageLimit: input.usageLimit ?? null, usedCount: 0, minNights: input.minNights ?? null,
    ratePlanIds: input.ratePlanIds ?? [], roomTypeIds: input.roomTypeIds ?? [], active: true,
  });
  await ctx.em.flush();
  const view = toOfferView(offer);
  ctx.recordChange({ type: 'offer', id: offer.id, after: view });
  ctx.emit(offerCreated, { offer: view });
  return view;
}

export async function updateOffer(ctx: CommandContext, input: PayloadOf<typeof offerUpdate>): Promise<OfferView> {
  const offer = await ctx.em.findOne(Offer, { id: input.offerId, property: ctx.propertyId });
  if (!offer) throw notFound('Offer');
  if (offer.version !== input.version) throw conflict('Someone else changed this offer in the meantime; reload and try again', { currentVersion: offer.version });
  checkWindow(input.bookingWindow, 'booking');
  checkWindow(input.stayWindow, 'stay');
  const before = toOfferView(offer);
  if (input.name !== undefined) offer.name = input.name;
  if (input.active !== undefined) offer.active = input.active;
  if (input.usageLimit !== undefined) {
    if (input.usageLimit !== null && input.usageLimit < offer.usedCount) throw conflict(`The offer is already used ${offer.usedCount} times`);
    offer.usageLimit = input.usageLimit;
  }
  if (input.minNights !== undefined) offer.minNights = input.minNights;
  if (input.bookingWindow !== undefined) [offer.bookingFrom, offer.bookingUntil] = [input.bookingWindow?.from ?? null, input.bookingWindow?.until ?? null];
  if (input.stayWindow !== undefined) [offer.stayFrom, offer.stayUntil] = [input.stayWindow?.from ?? null, input.stayWindow?.until ?? null];
  if (JSON.stringify(toOfferView(offer)) === JSON.stringify(before)) return before;
  await ctx.em.flush();
  const view = toOfferView(offer);
  ctx.recordChange({ type: 'offer', id: offer.id, before, after: view });
  ctx.emit(offerUpdated, { offer: view });
  return view;
}
