import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { currency, hotelDate, id, minorUnits } from './common.ts';
import { cancellationPolicy } from './rates.ts';
import { guestSummary } from './guests.ts';

// Contract of the front desk (issue 4). Hotel dates are YYYY-MM-DD in the property's zone,
// departure exclusive (a stay of nights arrival .. departure-1). Money in minor units + currency.
// Board rule: every event whose payload has `reservation` carries the full view; upsert it by id.

export const RESERVATION_STATUSES = ['tentative', 'confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show'] as const;
export const reservationStatus = z.enum(RESERVATION_STATUSES);
export type ReservationStatus = z.infer<typeof reservationStatus>;
export const RESERVATION_SOURCES = ['phone', 'walk_in', 'email', 'direct', 'group'] as const;

const adults = z.number().int().min(1).max(10);
const children = z.number().int().min(0).max(10);
const departureAfterArrival = (p: { arrival?: string; departure?: string }) => !p.arrival || !p.departure || p.departure > p.arrival;
const departureMessage = { message: 'Departure must be after arrival', path: ['departure'] };

export const guestInput = z.union([
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
  description: 'Room types that fit the party, with nights left and a priced quote per bookable rate plan (offer applied). Emits no event.',
  payload: z
    .object({ propertyId: id, arrival: hotelDate, departure: hotelDate, adults, children: children.optional(), offerCode: z.string().trim().max(40).optional() })
    .refine(departureAfterArrival, departureMessage),
});

export const quote = z.object({
  ratePlanId: id,
  name: z.string(),
  total: minorUnits,
  currency,
  nightly: z.array(z.object({ date: hotelDate, amount: minorUnits })),
  /** Offer discount included in `total` (0 without an offer). */
  discount: minorUnits,
  offerCode: z.string().nullable(),
  refundable: z.boolean(),
  cancellationPolicy,
  inclusions: z.array(z.string()),
});
export type Quote = z.infer<typeof quote>;

export const availabilityResult = z.object({
  arrival: hotelDate,
  departure: hotelDate,
  nights: z.number().int(),
  currency,
  /** Present when an offer code was given: whether it could be used, and why not. */
  offer: z.object({ code: z.string(), valid: z.boolean(), reason: z.string().optional() }).nullable(),
  roomTypes: z.array(z.object({
    roomTypeId: id,
    name: z.string(),
    /** Rooms of the type still free on EVERY night (0 = sold out; out-of-order rooms excluded). */
    available: z.number().int(),
    quotes: z.array(quote),
    /** Plans of the type that cannot be booked for this stay, with the reason (min stay, closed ...). */
    restricted: z.array(z.object({ ratePlanId: id, name: z.string(), reason: z.string() })),
  })),
});
export type AvailabilityResult = z.infer<typeof availabilityResult>;

export const reservationCreate = defineCommand('reservation.create', {
  permission: 'reservation.write',
  description: 'Book a stay (phone, walk-in). CONFLICT when the room or room type is not free for every night.',
  payload: z
    .object({
      propertyId: id,
      roomTypeId: id,
      arrival: hotelDate,
      departure: hotelDate,
      adults,
      children: children.optional(),
      ratePlanId: id.optional(),
      roomId: id.optional(),
      offerCode: z.string().trim().max(40).optional(),
      guest: guestInput,
      status: z.enum(['tentative', 'confirmed']).optional(),
      source: z.enum(RESERVATION_SOURCES).optional(),
      note: z.string().trim().min(1).max(2000).optional(),
    })
    .refine(departureAfterArrival, departureMessage),
});
export const reservationCreateResult = z.object({
  reservationId: id, status: reservationStatus, total: minorUnits, currency, guestId: id, roomId: id.nullable(), version: z.number().int(),
});
export type ReservationCreateResult = z.infer<typeof reservationCreateResult>;

const byId = z.object({ reservationId: id });
const withVersion = { version: z.number().int().min(1).optional() };

export const reservationGet = defineCommand('reservation.get', {
  permission: 'reservation.read',
  description: 'One reservation with its nightly prices and booked cancellation policy. Emits no event.',
  payload: byId,
});

export const reservationModify = defineCommand('reservation.modify', {
  permission: 'reservation.write',
  description: 'Change dates, room type, guests or plan of a reservation not yet checked in; re-priced. offerCode null removes the offer.',
  payload: z
    .object({
      reservationId: id,
      version: z.number().int().min(1),
      arrival: hotelDate.optional(),
      departure: hotelDate.optional(),
      roomTypeId: id.optional(),
      adults: adults.optional(),
      children: children.optional(),
      ratePlanId: id.optional(),
      offerCode: z.string().trim().max(40).nullable().optional(),
    })
    .refine(departureAfterArrival, departureMessage),
});

export const reservationConfirm = defineCommand('reservation.confirm', {
  permission: 'reservation.write',
  description: 'Confirm a tentative reservation.',
  payload: byId.extend(withVersion),
});

export const reservationCancel = defineCommand('reservation.cancel', {
  permission: 'reservation.write',
  description: 'Cancel a reservation, applying its rate plan\'s cancellation policy (fee in the result).',
  payload: z.object({ reservationId: id, reason: z.string().trim().min(1).max(500), ...withVersion }),
});

export const reservationMarkNoShow = defineCommand('reservation.markNoShow', {
  permission: 'reservation.write',
  description: 'Mark a guest who did not arrive (from the arrival date on); the policy penalty is the fee.',
  payload: byId.extend(withVersion),
});

export const reservationAssignRoom = defineCommand('reservation.assignRoom', {
  permission: 'reservation.write',
  description: 'Assign (or re-assign) a room of the booked type for the whole stay, before check-in.',
  payload: z.object({ reservationId: id, roomId: id }),
});

export const reservationUnassignRoom = defineCommand('reservation.unassignRoom', {
  permission: 'reservation.write',
  description: 'Remove the room assignment of a reservation not yet checked in.',
  payload: byId,
});

export const reservationAutoAssign = defineCommand('reservation.autoAssign', {
  permission: 'reservation.write',
  description: 'Pick the best free room of the booked type: preferred floor, clean/inspected first, liked features.',
  payload: z.object({ reservationId: id, preferFloor: z.number().int().min(-5).max(200).optional() }),
});

export const reservationMoveRoom = defineCommand('reservation.moveRoom', {
  permission: 'reservation.write',
  description: 'Move an in-house guest to another room (any type; price kept) from the business date on; the old room becomes dirty.',
  payload: z.object({ reservationId: id, roomId: id, reason: z.string().trim().max(500).optional() }),
});

export const reservationExtend = defineCommand('reservation.extend', {
  permission: 'reservation.write',
  description: 'Extend a stay to a later departure, keeping its room; CONFLICT unless the room (or type) is free.',
  payload: z.object({ reservationId: id, departure: hotelDate }),
});

export const reservationSetLateCheckout = defineCommand('reservation.setLateCheckout', {
  permission: 'reservation.write',
  description: 'Agree a late check-out time on the departure day (null removes it).',
  payload: z.object({ reservationId: id, time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM').nullable() }),
});

export const reservationAddNote = defineCommand('reservation.addNote', {
  permission: 'reservation.write',
  description: 'Add a note to a reservation.',
  payload: z.object({ reservationId: id, text: z.string().trim().min(1).max(2000) }),
});

export const reservationCheckIn = defineCommand('reservation.checkIn', {
  permission: 'reservation.checkIn',
  description: 'Check a guest in. The assigned room must be clean or inspected unless an audited override is given.',
  payload: z.object({ reservationId: id, override: z.object({ reason: z.string().trim().min(3).max(500) }).optional() }),
});

export const reservationCheckOut = defineCommand('reservation.checkOut', {
  permission: 'reservation.checkIn',
  description: 'Check a guest out; before the departure date it is an early departure that frees the remaining nights.',
  payload: byId,
});

export const stayNote = z.object({ at: z.iso.datetime(), authorId: id, authorName: z.string(), text: z.string() });
export const staySegment = z.object({ roomId: id, roomTypeId: id, from: hotelDate, to: hotelDate });

export const reservationView = z.object({
  id,
  propertyId: id,
  status: reservationStatus,
  /** The type of the current (or first) room; for an unassigned stay the booked type. */
  roomTypeId: id,
  /** The current room: the segment covering the business date, else the first; null when unassigned. */
  roomId: id.nullable(),
  /** Room assignment per part of the stay (more than one after a move); draw these on the tape chart. */
  segments: z.array(staySegment),
  arrival: hotelDate,
  departure: hotelDate,
  nights: z.number().int(),
  adults: z.number().int(),
  children: z.number().int(),
  guest: guestSummary,
  ratePlanId: id,
  offerCode: z.string().nullable(),
  total: minorUnits,
  currency,
  cancellationFee: minorUnits.nullable(),
  groupId: id.nullable(),
  source: z.enum(RESERVATION_SOURCES),
  notes: z.array(stayNote),
  /** Agreed late check-out time on the departure day (HH:MM). */
  lateCheckout: z.string().nullable(),
  checkedInAt: z.iso.datetime().nullable(),
  checkedOutAt: z.iso.datetime().nullable(),
  version: z.number().int(),
});
export type ReservationView = z.infer<typeof reservationView>;

export const reservationDetail = z.object({
  reservation: reservationView,
  nightly: z.array(z.object({ date: hotelDate, amount: minorUnits, roomTypeId: id })),
  cancellationPolicy,
  cancelReason: z.string().nullable(),
});
export type ReservationDetail = z.infer<typeof reservationDetail>;

export const RESERVATION_CHANGES = ['modified', 'confirmed', 'room_assigned', 'room_unassigned', 'room_moved', 'extended', 'late_checkout', 'note_added', 'no_show', 'checked_out'] as const;

export const reservationCreated = defineEvent('reservation.created', {
  description: 'A reservation was booked.',
  payload: z.object({ reservation: reservationView }),
});
export const reservationUpdated = defineEvent('reservation.updated', {
  description: 'A reservation changed; `change` says how (room_assigned, room_moved, extended, no_show, checked_out ...).',
  payload: z.object({ reservation: reservationView, change: z.enum(RESERVATION_CHANGES) }),
});
export const reservationCancelled = defineEvent('reservation.cancelled', {
  description: 'A reservation was cancelled; `fee` is what the policy charges.',
  payload: z.object({ reservation: reservationView, reason: z.string(), fee: minorUnits, currency }),
});
export const reservationCheckedIn = defineEvent('reservation.checkedIn', {
  description: 'A guest checked in; `override` is set when the room was not clean or inspected.',
  payload: z.object({ reservation: reservationView, roomId: id, override: z.object({ reason: z.string(), roomStatus: z.string() }).nullable() }),
});
export const reservationCheckedOut = defineEvent('reservation.checkedOut', {
  description: 'A guest left; housekeeping reacts (room dirty, departure clean task). Followed by reservation.updated (checked_out).',
  payload: z.object({ reservationId: id, roomId: id, departure: hotelDate, early: z.boolean() }),
});

export const reservationCommands = [
  availabilitySearch, reservationCreate, reservationGet, reservationModify, reservationConfirm, reservationCancel, reservationMarkNoShow,
  reservationAssignRoom, reservationUnassignRoom, reservationAutoAssign, reservationMoveRoom, reservationExtend, reservationSetLateCheckout,
  reservationAddNote, reservationCheckIn, reservationCheckOut,
] as const;
export const reservationEvents = [reservationCreated, reservationUpdated, reservationCancelled, reservationCheckedIn, reservationCheckedOut] as const;
