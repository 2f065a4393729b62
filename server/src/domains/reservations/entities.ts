import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import type { CancellationPolicy, GuestPreferences } from '@innboard/shared';
import { Property, Room, RoomType } from '../property/entities.ts';

// The reservations domain's tables. Rows that enforce "no double booking" (room_type_night,
// room_occupancy, group_block_night, reservation_night) are written with guarded SQL in
// inventory.repository.ts, never through the unit of work: their correctness lives in the database.

const RatePlanSchema = defineEntity({
  name: 'RatePlan',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    code: p.string().length(20),
    name: p.string().length(100),
    description: p.text().default(''),
    roomTypeIds: p.array().default([]),
    currency: p.string().length(3),
    /** Base plan of a derived plan; derived plans have no prices of their own. */
    parent: () => p.manyToOne(RatePlan).nullable(),
    /** Derivation in basis points (-1000 = -10 %) plus a fixed amount per night. */
    adjustBasisPoints: p.integer().default(0),
    adjustAmount: p.integer().default(0),
    cancellationPolicy: p.json<CancellationPolicy>(),
    inclusions: p.array().default([]),
    isDefault: p.boolean().default(false),
    active: p.boolean().default(true),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['property', 'code'] }],
});
export class RatePlan extends RatePlanSchema.class {}
RatePlanSchema.setClass(RatePlan);

/** Price and restrictions of a base plan for one room type and date (derived plans read their parent's). */
const RateDaySchema = defineEntity({
  name: 'RateDay',
  properties: {
    ratePlan: () => p.manyToOne(RatePlan).primary(),
    roomType: () => p.manyToOne(RoomType).primary(),
    date: p.date().primary(),
    amount: p.integer().nullable(),
    minStay: p.integer().nullable(),
    closed: p.boolean().default(false),
    closedToArrival: p.boolean().default(false),
    closedToDeparture: p.boolean().default(false),
  },
});
export class RateDay extends RateDaySchema.class {}
RateDaySchema.setClass(RateDay);

const OfferSchema = defineEntity({
  name: 'Offer',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    code: p.string().length(20),
    name: p.string().length(100),
    discountKind: p.string().length(10),
    discountValue: p.integer(),
    bookingFrom: p.date().nullable(),
    bookingUntil: p.date().nullable(),
    stayFrom: p.date().nullable(),
    stayUntil: p.date().nullable(),
    usageLimit: p.integer().nullable(),
    usedCount: p.integer().default(0),
    minNights: p.integer().nullable(),
    ratePlanIds: p.array().default([]),
    roomTypeIds: p.array().default([]),
    active: p.boolean().default(true),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['property', 'code'] }],
  // The usage limit holds even if two bookings take the last use at the same moment.
  checks: [{ name: 'offer_usage_within_limit', expression: 'used_count >= 0 and (usage_limit is null or used_count <= usage_limit)' }],
});
export class Offer extends OfferSchema.class {}
OfferSchema.setClass(Offer);

const GuestSchema = defineEntity({
  name: 'Guest',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    firstName: p.string().length(100),
    lastName: p.string().length(100),
    /** Lower-cased, for duplicate detection. */
    email: p.string().length(254).nullable(),
    /** Digits (and a leading +) only, for duplicate detection. */
    phone: p.string().length(30).nullable(),
    language: p.string().length(10).nullable(),
    vip: p.boolean().default(false),
    preferences: p.json<GuestPreferences>(),
    documentType: p.string().length(20).nullable(),
    documentNumber: p.string().length(40).nullable(),
    documentCountry: p.string().length(2).nullable(),
    documentExpiresOn: p.date().nullable(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['property', 'email'] }, { properties: ['property', 'phone'] }, { properties: ['property', 'lastName'] }],
});
export class Guest extends GuestSchema.class {}
GuestSchema.setClass(Guest);

const GroupSchema = defineEntity({
  name: 'Group',
  tableName: 'guest_group',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    name: p.string().length(200),
    arrival: p.date(),
    departure: p.date(),
    ratePlan: () => p.manyToOne(RatePlan),
    status: p.string().length(10).default('open'),
    notes: p.text().default(''),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Group extends GroupSchema.class {}
GroupSchema.setClass(Group);

export interface StayNoteRecord {
  at: string;
  authorId: string;
  authorName: string;
  text: string;
}

const ReservationSchema = defineEntity({
  name: 'Reservation',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    guest: () => p.manyToOne(Guest),
    group: () => p.manyToOne(Group).nullable(),
    status: p.string().length(20),
    /** The type of the current room, or the booked type while unassigned. */
    roomType: () => p.manyToOne(RoomType),
    arrival: p.date(),
    departure: p.date(),
    adults: p.integer(),
    children: p.integer().default(0),
    ratePlan: () => p.manyToOne(RatePlan),
    offer: () => p.manyToOne(Offer).nullable(),
    total: p.integer(),
    currency: p.string().length(3),
    /** The policy the guest booked under; later plan changes do not touch it. */
    cancellationPolicy: p.json<CancellationPolicy>(),
    cancellationFee: p.integer().nullable(),
    cancelReason: p.string().length(500).nullable(),
    source: p.string().length(20),
    notes: p.json<StayNoteRecord[]>(),
    lateCheckout: p.string().length(5).nullable(),
    checkedInAt: p.datetime().nullable(),
    checkedOutAt: p.datetime().nullable(),
    cancelledAt: p.datetime().nullable(),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['property', 'arrival'] }, { properties: ['property', 'departure'] }, { properties: ['guest'] }, { properties: ['group'] }],
  checks: [{ name: 'reservation_dates_ordered', expression: 'departure > arrival' }],
});
export class Reservation extends ReservationSchema.class {}
ReservationSchema.setClass(Reservation);

/** One sold room-night: its price and the type it consumes. Cancelled stays have none. */
const ReservationNightSchema = defineEntity({
  name: 'ReservationNight',
  properties: {
    reservation: () => p.manyToOne(Reservation).primary().deleteRule('cascade'),
    date: p.date().primary(),
    property: () => p.manyToOne(Property),
    roomType: () => p.manyToOne(RoomType),
    amount: p.integer(),
    /** Taken from the group's block rather than general inventory. */
    fromBlock: p.boolean().default(false),
  },
  indexes: [{ properties: ['property', 'date'] }],
});
export class ReservationNight extends ReservationNightSchema.class {}
ReservationNightSchema.setClass(ReservationNight);

/** Rooms sellable and sold per room type and night. The check makes overselling impossible. */
const RoomTypeNightSchema = defineEntity({
  name: 'RoomTypeNight',
  properties: {
    roomType: () => p.manyToOne(RoomType).primary(),
    date: p.date().primary(),
    property: () => p.manyToOne(Property),
    capacity: p.integer(),
    sold: p.integer().default(0),
  },
  indexes: [{ properties: ['property', 'date'] }],
  checks: [{ name: 'room_type_night_not_oversold', expression: 'sold >= 0 and sold <= capacity' }],
});
export class RoomTypeNight extends RoomTypeNightSchema.class {}
RoomTypeNightSchema.setClass(RoomTypeNight);

const RoomBlockSchema = defineEntity({
  name: 'RoomBlock',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    room: () => p.manyToOne(Room),
    kind: p.string().length(20),
    fromDate: p.date(),
    toDate: p.date(),
    reason: p.string().length(500),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    releasedAt: p.datetime().nullable(),
    releasedBy: p.uuid().nullable(),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['property', 'toDate'] }, { properties: ['room'] }],
  checks: [{ name: 'room_block_dates_ordered', expression: 'to_date > from_date' }],
});
export class RoomBlock extends RoomBlockSchema.class {}
RoomBlockSchema.setClass(RoomBlock);

/**
 * Who holds a room over [arrival, departure): an assigned stay segment or an out-of-order block.
 * Exclusion constraint below: two holders of one room never overlap.
 */
const RoomOccupancySchema = defineEntity({
  name: 'RoomOccupancy',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    room: () => p.manyToOne(Room),
    reservation: () => p.manyToOne(Reservation).nullable().deleteRule('cascade'),
    block: () => p.manyToOne(RoomBlock).nullable().deleteRule('cascade'),
    arrival: p.date(),
    departure: p.date(),
  },
  indexes: [{ properties: ['reservation'] }, { properties: ['block'] }],
  checks: [
    { name: 'room_occupancy_dates_ordered', expression: 'departure > arrival' },
    { name: 'room_occupancy_one_holder', expression: 'num_nonnulls(reservation_id, block_id) = 1' },
    // No room is ever held twice for one night (two stays, or a stay and an out-of-order block): this
    // constraint, not application code, is what prevents double booking. Written as Postgres prints it
    // so the migration check compares equal.
    { name: 'room_occupancy_no_overlap', expression: "EXCLUDE USING gist (room_id WITH =, daterange(arrival, departure, '[)'::text) WITH &&)" },
  ],
});
export class RoomOccupancy extends RoomOccupancySchema.class {}
RoomOccupancySchema.setClass(RoomOccupancy);

/** A group's block: rooms held per type and night, and how many the rooming list picked up. */
const GroupBlockNightSchema = defineEntity({
  name: 'GroupBlockNight',
  properties: {
    group: () => p.manyToOne(Group).primary(),
    roomType: () => p.manyToOne(RoomType).primary(),
    date: p.date().primary(),
    held: p.integer(),
    pickedUp: p.integer().default(0),
  },
  checks: [{ name: 'group_block_night_within_held', expression: 'picked_up >= 0 and picked_up <= held' }],
});
export class GroupBlockNight extends GroupBlockNightSchema.class {}
GroupBlockNightSchema.setClass(GroupBlockNight);

export const reservationEntities = [
  RatePlan, RateDay, Offer, Guest, Group, Reservation, ReservationNight, RoomTypeNight, RoomBlock, RoomOccupancy, GroupBlockNight,
];
