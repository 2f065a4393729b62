import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Property } from '../property/entities.ts';
import { Reservation } from '../reservations/entities.ts';
import { Payment } from '../billing/entities.ts';

/**
 * A booking made on the public site. Its random id is what the signed manage-booking token names
 * (never the reservation id). The deposit the guest owes is billing's: a pending payment on the
 * stay's guest folio, which the desk collects.
 */
const GuestBookingSchema = defineEntity({
  name: 'GuestBooking',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    reservation: () => p.oneToOne(Reservation).owner().unique(),
    /** The first night's price as a pending payment on the guest folio; null when nothing was due. */
    depositPayment: () => p.manyToOne(Payment).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class GuestBooking extends GuestBookingSchema.class {}
GuestBookingSchema.setClass(GuestBooking);

export const guestSiteEntities = [GuestBooking];
