import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Property } from '../property/entities.ts';
import { Reservation } from '../reservations/entities.ts';

/**
 * A booking made on the public site. Its random id is what the signed manage-booking token names
 * (never the reservation id), and it holds the deposit the guest owes until billing collects it.
 */
const GuestBookingSchema = defineEntity({
  name: 'GuestBooking',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    reservation: () => p.oneToOne(Reservation).owner().unique(),
    /** First night's price, in minor units; recorded as a pending payment (no folio service on main yet). */
    depositAmount: p.integer(),
    currency: p.string().length(3),
    depositStatus: p.string().length(20).default('pending'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class GuestBooking extends GuestBookingSchema.class {}
GuestBookingSchema.setClass(GuestBooking);

export const guestSiteEntities = [GuestBooking];
