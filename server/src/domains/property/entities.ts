import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

const PropertySchema = defineEntity({
  name: 'Property',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    name: p.string().length(200),
    /** The `<property-slug>` of the guest site's addresses (`/p/<slug>/<page>`, `/book/<slug>`). */
    slug: p.string().length(60).unique().nullable(),
    timeZone: p.string().length(64),
    currency: p.string().length(3),
    /** The hotel day the night audit has reached; a calendar date in the property's zone. */
    businessDate: p.date(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Property extends PropertySchema.class {}
PropertySchema.setClass(Property);

const RoomTypeSchema = defineEntity({
  name: 'RoomType',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    code: p.string().length(20),
    name: p.string().length(100),
    description: p.text().default(''),
    maxAdults: p.integer(),
    maxChildren: p.integer().default(0),
    amenities: p.array().default([]),
    deletedAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['property', 'code'] }],
});
export class RoomType extends RoomTypeSchema.class {}
RoomTypeSchema.setClass(RoomType);

const RoomSchema = defineEntity({
  name: 'Room',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    roomType: () => p.manyToOne(RoomType),
    number: p.string().length(10),
    floor: p.integer(),
    features: p.array().default([]),
    status: p.string().length(20).default('clean'),
    statusReason: p.string().length(500).nullable(),
    version: p.integer().version(),
    deletedAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['property', 'number'] }],
});
export class Room extends RoomSchema.class {}
RoomSchema.setClass(Room);

export const propertyEntities = [Property, RoomType, Room];
