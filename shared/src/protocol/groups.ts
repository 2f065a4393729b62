import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { hotelDate, id } from './common.ts';
import { guestInput, reservationView } from './reservations.ts';

// Groups: a block of rooms per type held for a group's dates (taken from inventory when the group
// is created), a rooming list (the group's reservations) that picks rooms up from the block, and a
// release that gives the rooms nobody picked up back to general sale.

export const groupCreate = defineCommand('group.create', {
  permission: 'reservation.write',
  description: 'Hold a block of rooms per type for a group\'s dates. CONFLICT when the type has not that many rooms free every night.',
  payload: z
    .object({
      propertyId: id,
      name: z.string().trim().min(1).max(200),
      arrival: hotelDate,
      departure: hotelDate,
      blocks: z.array(z.object({ roomTypeId: id, rooms: z.number().int().min(1).max(500) })).min(1).max(20),
      ratePlanId: id.optional(),
      notes: z.string().trim().max(2000).optional(),
    })
    .refine((g) => g.departure > g.arrival, { message: 'Departure must be after arrival', path: ['departure'] }),
});

export const groupAddReservation = defineCommand('group.addReservation', {
  permission: 'reservation.write',
  description: 'Add a guest to the rooming list: a reservation picked up from the group\'s block (dates default to the group\'s).',
  payload: z.object({
    groupId: id,
    roomTypeId: id,
    arrival: hotelDate.optional(),
    departure: hotelDate.optional(),
    adults: z.number().int().min(1).max(10),
    children: z.number().int().min(0).max(10).optional(),
    roomId: id.optional(),
    guest: guestInput,
  }),
});

export const groupRelease = defineCommand('group.release', {
  permission: 'reservation.write',
  description: 'Give the rooms of the block nobody picked up back to general sale (cut-off).',
  payload: z.object({ groupId: id }),
});

export const groupGet = defineCommand('group.get', {
  permission: 'reservation.read',
  description: 'A group with its block pick-up and rooming list. Emits no event.',
  payload: z.object({ groupId: id }),
});

export const groupView = z.object({
  id,
  name: z.string(),
  arrival: hotelDate,
  departure: hotelDate,
  ratePlanId: id,
  status: z.enum(['open', 'released']),
  notes: z.string(),
  /** Per room type: rooms held on the busiest night, rooms picked up on it, and room-night totals. */
  blocks: z.array(z.object({ roomTypeId: id, rooms: z.number().int(), pickedUp: z.number().int(), roomNightsHeld: z.number().int(), roomNightsPickedUp: z.number().int() })),
  version: z.number().int(),
});
export type GroupView = z.infer<typeof groupView>;
export const groupGetResult = z.object({ group: groupView, roomingList: z.array(reservationView) });

export const groupCreated = defineEvent('group.created', { description: 'A group block was created.', payload: z.object({ group: groupView }) });
export const groupUpdated = defineEvent('group.updated', { description: 'A group\'s block or pick-up changed.', payload: z.object({ group: groupView }) });

export const groupCommands = [groupCreate, groupAddReservation, groupRelease, groupGet] as const;
export const groupEvents = [groupCreated, groupUpdated] as const;
