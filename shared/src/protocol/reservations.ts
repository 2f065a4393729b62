import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { currency, hotelDate, id, minorUnits } from './common.ts';

// Contract of the front desk (issue 4). Hotel dates are YYYY-MM-DD, departure exclusive.
// NOTE for whoever completes this domain: add the lists to catalog.ts once handlers exist.

export const RESERVATION_STATUSES = ['tentative', 'confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show'] as const;
export const reservationStatus = z.enum(RESERVATION_STATUSES);
export type ReservationStatus = z.infer<typeof reservationStatus>;

const stayDates = { arrival: hotelDate, departure: hotelDate };
const guestInput = z.union([
  z.object({ guestId: id }),
  z.object({
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    email: z.email().max(254).optional(),
    phone: z.string().trim().min(5).max(30).optional(),
  }),
]);

export const availabilitySearch = defineCommand('availability.search', {
  permission: 'reservation.read',
  description: 'Room types with nights left and a priced quote per rate plan for a stay.',
  payload: z.object({ propertyId: id, ...stayDates, adults: z.number().int().min(1).max(10), children: z.number().int().min(0).max(10).optional(), offerCode: z.string().trim().max(40).optional() }),
});

export const reservationCreate = defineCommand('reservation.create', {
  permission: 'reservation.write',
  description: 'Book a stay (phone, walk-in). CONFLICT when the room or room type is not free for every night.',
  payload: z.object({
    propertyId: id,
    roomTypeId: id,
    ...stayDates,
    adults: z.number().int().min(1).max(10),
    children: z.number().int().min(0).max(10).optional(),
    ratePlanId: id.optional(),
    roomId: id.optional(),
    offerCode: z.string().trim().max(40).optional(),
    guest: guestInput,
  }),
});

export const reservationAssignRoom = defineCommand('reservation.assignRoom', {
  permission: 'reservation.write',
  description: 'Assign (or re-assign) a room to a reservation.',
  payload: z.object({ reservationId: id, roomId: id }),
});

export const reservationCancel = defineCommand('reservation.cancel', {
  permission: 'reservation.write',
  description: 'Cancel a reservation, applying its rate plan\'s cancellation policy.',
  payload: z.object({ reservationId: id, reason: z.string().trim().min(1).max(500) }),
});

export const reservationCheckIn = defineCommand('reservation.checkIn', {
  permission: 'reservation.checkIn',
  description: 'Check a guest in. The assigned room must be clean or inspected unless an audited override is given.',
  payload: z.object({ reservationId: id, override: z.object({ reason: z.string().trim().min(3).max(500) }).optional() }),
});

export const reservationCheckOut = defineCommand('reservation.checkOut', {
  permission: 'reservation.checkIn',
  description: 'Check a guest out; before the departure date it is an early departure that frees the remaining nights.',
  payload: z.object({ reservationId: id }),
});

export const reservationCheckedOut = defineEvent('reservation.checkedOut', {
  description: 'A guest left; housekeeping reacts (room dirty, departure clean task).',
  payload: z.object({ reservationId: id, roomId: id, departure: hotelDate, early: z.boolean() }),
});

export const quote = z.object({ ratePlanId: id, name: z.string(), total: minorUnits, currency });
