import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Property } from '../property/entities.ts';
import { Reservation } from '../reservations/entities.ts';

/** One guest review per stay; hiding keeps the row (and why) instead of deleting it. */
const ReviewSchema = defineEntity({
  name: 'Review',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    reservation: () => p.oneToOne(Reservation).owner().unique(),
    author: p.string().length(120),
    rating: p.integer(),
    text: p.text(),
    createdAt: p.datetime(),
    response: p.text().nullable(),
    respondedAt: p.datetime().nullable(),
    respondedBy: p.uuid().nullable(),
    hiddenAt: p.datetime().nullable(),
    hiddenReason: p.string().length(500).nullable(),
    hiddenBy: p.uuid().nullable(),
  },
  indexes: [{ properties: ['property', 'createdAt'] }],
  checks: [{ name: 'review_rating_range', expression: 'rating between 1 and 5' }],
});
export class Review extends ReviewSchema.class {}
ReviewSchema.setClass(Review);

export const reviewEntities = [Review];
