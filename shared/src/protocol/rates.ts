import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { currency, hotelDate, id, minorUnits } from './common.ts';

// Rate plans, prices and restrictions per room type and date, and offers (promo codes).
// Date ranges are half-open like stays: `from` is the first night, `to` the first night NOT included.
// Offer windows are inclusive (`until`), because that is how promotions are printed.

const code = z.string().trim().toUpperCase().regex(/^[A-Z0-9_-]{2,20}$/, '2-20 letters, digits, - or _');
const nightRange = z.object({ from: hotelDate, to: hotelDate });
/** 0 = Sunday ... 6 = Saturday; omitted means every day of the range. */
const weekdays = z.array(z.number().int().min(0).max(6)).min(1).max(7);

/**
 * Applied when a guest cancels (or does not show): free when cancelled at least `freeUntilDaysBefore`
 * days before arrival (business date vs arrival), otherwise the penalty. `null` = never free.
 */
export const cancellationPolicy = z.object({
  freeUntilDaysBefore: z.number().int().min(0).max(365).nullable(),
  penalty: z.enum(['first_night', 'full_stay']),
});
export type CancellationPolicy = z.infer<typeof cancellationPolicy>;

/** A derived plan has no prices of its own: parent price x (100 + percent) / 100 + amount, per night. */
export const derivation = z.object({
  ratePlanId: id,
  percent: z.number().min(-100).max(500).multipleOf(0.01),
  amount: minorUnits.default(0),
});

export const ratePlanView = z.object({
  id,
  code: z.string(),
  name: z.string(),
  description: z.string(),
  roomTypeIds: z.array(id),
  currency,
  derivedFrom: z.object({ ratePlanId: id, percent: z.number(), amount: minorUnits }).nullable(),
  cancellationPolicy,
  inclusions: z.array(z.string()),
  /** The plan a booking gets when it names none. */
  isDefault: z.boolean(),
  active: z.boolean(),
  version: z.number().int(),
});
export type RatePlanView = z.infer<typeof ratePlanView>;

export const ratePlanCreate = defineCommand('ratePlan.create', {
  permission: 'rate.manage',
  description: 'Create a rate plan for some room types; derived plans take their prices from a base plan.',
  payload: z.object({
    propertyId: id,
    code,
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(1000).optional(),
    roomTypeIds: z.array(id).min(1).max(50),
    cancellationPolicy,
    derivedFrom: derivation.optional(),
    inclusions: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    isDefault: z.boolean().optional(),
  }),
});

export const ratePlanUpdate = defineCommand('ratePlan.update', {
  permission: 'rate.manage',
  description: 'Change a rate plan. `version` guards against concurrent edits. Bookings keep the policy they were sold with.',
  payload: z.object({
    ratePlanId: id,
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(1000).optional(),
    roomTypeIds: z.array(id).min(1).max(50).optional(),
    cancellationPolicy: cancellationPolicy.optional(),
    derivedFrom: derivation.omit({ ratePlanId: true }).optional(),
    inclusions: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    isDefault: z.boolean().optional(),
    active: z.boolean().optional(),
  }),
});

export const ratePlanSetPrices = defineCommand('ratePlan.setPrices', {
  permission: 'rate.manage',
  description: 'Set the nightly price of a base plan for room types over a range of nights; also opens those nights for sale.',
  payload: nightRange.extend({
    ratePlanId: id,
    roomTypeIds: z.array(id).min(1).max(50),
    amount: minorUnits.min(0).max(100_000_000),
    weekdays: weekdays.optional(),
  }),
});

export const ratePlanSetRestrictions = defineCommand('ratePlan.setRestrictions', {
  permission: 'rate.manage',
  description: 'Set stay restrictions over a range of dates; only the fields given change (minStay null clears it).',
  payload: nightRange.extend({
    ratePlanId: id,
    roomTypeIds: z.array(id).min(1).max(50).optional(),
    weekdays: weekdays.optional(),
    /** Minimum nights for stays ARRIVING on the date. */
    minStay: z.number().int().min(1).max(60).nullable().optional(),
    /** No night of a stay may fall on the date. */
    closed: z.boolean().optional(),
    closedToArrival: z.boolean().optional(),
    closedToDeparture: z.boolean().optional(),
  }),
});

export const rateDay = z.object({
  date: hotelDate,
  /** Null when the plan is not priced (not for sale) that night. */
  amount: minorUnits.nullable(),
  minStay: z.number().int().nullable(),
  closed: z.boolean(),
  closedToArrival: z.boolean(),
  closedToDeparture: z.boolean(),
});
export type RateDay = z.infer<typeof rateDay>;

export const ratePlanGrid = defineCommand('ratePlan.grid', {
  permission: 'reservation.read',
  description: 'Read the price and restriction grid (derived plans computed) for up to 62 days. Emits no event.',
  payload: z.object({ propertyId: id, from: hotelDate, days: z.number().int().min(1).max(62), ratePlanIds: z.array(id).max(50).optional() }),
});
export const ratePlanGridResult = z.object({
  currency,
  ratePlans: z.array(z.object({ ratePlanId: id, roomTypes: z.array(z.object({ roomTypeId: id, days: z.array(rateDay) })) })),
});
export type RatePlanGridResult = z.infer<typeof ratePlanGridResult>;

export const offerDiscount = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), percent: z.number().int().min(1).max(100) }),
  /** Off every night, in minor units. */
  z.object({ kind: z.literal('amount'), amount: minorUnits.min(1) }),
]);
export type OfferDiscount = z.infer<typeof offerDiscount>;
const inclusiveWindow = z.object({ from: hotelDate, until: hotelDate });

export const offerView = z.object({
  id,
  code: z.string(),
  name: z.string(),
  discount: offerDiscount,
  /** Business dates on which the code may be booked (inclusive). */
  bookingWindow: inclusiveWindow.nullable(),
  /** Every night of the stay must fall inside (inclusive). */
  stayWindow: inclusiveWindow.nullable(),
  usageLimit: z.number().int().nullable(),
  /** Bookings holding the code; a cancellation gives its use back. */
  usedCount: z.number().int(),
  minNights: z.number().int().nullable(),
  /** Empty: every plan / room type. */
  ratePlanIds: z.array(id),
  roomTypeIds: z.array(id),
  active: z.boolean(),
  version: z.number().int(),
});
export type OfferView = z.infer<typeof offerView>;

export const offerCreate = defineCommand('offer.create', {
  permission: 'rate.manage',
  description: 'Create a promo code with validity windows, a usage limit and conditions.',
  payload: z.object({
    propertyId: id,
    code,
    name: z.string().trim().min(1).max(100),
    discount: offerDiscount,
    bookingWindow: inclusiveWindow.optional(),
    stayWindow: inclusiveWindow.optional(),
    usageLimit: z.number().int().min(1).max(1_000_000).optional(),
    minNights: z.number().int().min(1).max(60).optional(),
    ratePlanIds: z.array(id).max(50).optional(),
    roomTypeIds: z.array(id).max(50).optional(),
  }),
});

export const offerUpdate = defineCommand('offer.update', {
  permission: 'rate.manage',
  description: 'Change or deactivate an offer. Bookings already made keep their discount.',
  payload: z.object({
    offerId: id,
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(100).optional(),
    active: z.boolean().optional(),
    usageLimit: z.number().int().min(1).max(1_000_000).nullable().optional(),
    bookingWindow: inclusiveWindow.nullable().optional(),
    stayWindow: inclusiveWindow.nullable().optional(),
    minNights: z.number().int().min(1).max(60).nullable().optional(),
  }),
});

export const ratePlanCreated = defineEvent('ratePlan.created', { description: 'A rate plan was created.', payload: z.object({ ratePlan: ratePlanView }) });
export const ratePlanUpdated = defineEvent('ratePlan.updated', { description: 'A rate plan changed.', payload: z.object({ ratePlan: ratePlanView }) });
export const ratePlanRatesChanged = defineEvent('ratePlan.ratesChanged', {
  description: 'Prices or restrictions changed for a range of nights; boards showing the grid refetch that range.',
  payload: z.object({ ratePlanId: id, roomTypeIds: z.array(id), from: hotelDate, to: hotelDate, what: z.enum(['prices', 'restrictions']) }),
});
export const offerCreated = defineEvent('offer.created', { description: 'An offer was created.', payload: z.object({ offer: offerView }) });
export const offerUpdated = defineEvent('offer.updated', { description: 'An offer changed.', payload: z.object({ offer: offerView }) });

export const rateCommands = [ratePlanCreate, ratePlanUpdate, ratePlanSetPrices, ratePlanSetRestrictions, ratePlanGrid, offerCreate, offerUpdate] as const;
export const rateEvents = [ratePlanCreated, ratePlanUpdated, ratePlanRatesChanged, offerCreated, offerUpdated] as const;
