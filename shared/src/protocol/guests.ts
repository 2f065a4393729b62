import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { currency, hotelDate, id, minorUnits } from './common.ts';

// Guest profiles. Contact data is shown to staff with guest.read; the ID document number is stored
// but only ever shown masked. Events carry no contact data (every board of the property hears them).

const name = z.string().trim().min(1).max(100);
export const guestPreferences = z.object({
  /** Preferred floor; auto-assignment tries it first. */
  floor: z.number().int().min(-5).max(200).optional(),
  /** Room features the guest likes (`near-elevator`, `quiet`, ...); auto-assignment prefers them. */
  features: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  notes: z.string().trim().max(1000).optional(),
});
export type GuestPreferences = z.infer<typeof guestPreferences>;
export const guestDocumentInput = z.object({
  type: z.enum(['passport', 'id_card', 'driving_licence', 'other']),
  number: z.string().trim().min(3).max(40),
  /** ISO 3166-1 alpha-2 issuing country. */
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/),
  expiresOn: hotelDate.optional(),
});

const profileFields = {
  firstName: name,
  lastName: name,
  email: z.email().max(254),
  phone: z.string().trim().regex(/^\+?[0-9 ()./-]{5,30}$/, 'A phone number'),
  language: z.string().trim().min(2).max(10),
  vip: z.boolean(),
  preferences: guestPreferences,
  document: guestDocumentInput,
};

export const guestCreate = defineCommand('guest.create', {
  permission: 'guest.write',
  description: 'Create a guest profile. CONFLICT (details.duplicates) when the email or phone is already on file, unless allowDuplicate.',
  payload: z.object({
    propertyId: id,
    firstName: profileFields.firstName,
    lastName: profileFields.lastName,
    email: profileFields.email.optional(),
    phone: profileFields.phone.optional(),
    language: profileFields.language.optional(),
    vip: profileFields.vip.optional(),
    preferences: profileFields.preferences.optional(),
    document: profileFields.document.optional(),
    allowDuplicate: z.boolean().optional(),
  }),
});

export const guestUpdate = defineCommand('guest.update', {
  permission: 'guest.write',
  description: 'Change a guest profile; null clears a field. `version` guards against concurrent edits.',
  payload: z.object({
    guestId: id,
    version: z.number().int().min(1),
    firstName: profileFields.firstName.optional(),
    lastName: profileFields.lastName.optional(),
    email: profileFields.email.nullable().optional(),
    phone: profileFields.phone.nullable().optional(),
    language: profileFields.language.nullable().optional(),
    vip: profileFields.vip.optional(),
    preferences: profileFields.preferences.optional(),
    document: profileFields.document.nullable().optional(),
  }),
});

export const guestSearch = defineCommand('guest.search', {
  permission: 'guest.read',
  description: 'Find guests by name, email or phone (duplicate check before creating one). Emits no event.',
  payload: z.object({ propertyId: id, query: z.string().trim().min(2).max(100), limit: z.number().int().min(1).max(50).optional() }),
});

export const guestGet = defineCommand('guest.get', {
  permission: 'guest.read',
  description: 'A guest profile with its stay history. Emits no event.',
  payload: z.object({ guestId: id }),
});

export const guestSummary = z.object({
  id,
  /** Display name for staff boards: "Last, First". */
  name: z.string(),
  vip: z.boolean(),
});
export type GuestSummary = z.infer<typeof guestSummary>;

export const guestView = guestSummary.extend({
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string().nullable(),
  preferences: guestPreferences,
  /** The number is masked (last 4 characters visible). */
  document: z.object({ type: z.string(), numberMasked: z.string(), country: z.string(), expiresOn: hotelDate.nullable() }).nullable(),
  stayCount: z.number().int(),
  version: z.number().int(),
});
export type GuestView = z.infer<typeof guestView>;

export const guestStay = z.object({
  reservationId: id,
  status: z.string(),
  arrival: hotelDate,
  departure: hotelDate,
  roomTypeId: id,
  roomNumber: z.string().nullable(),
  total: minorUnits,
  currency,
});

export const guestSearchResult = z.object({ guests: z.array(guestView) });
export const guestGetResult = z.object({ guest: guestView, stays: z.array(guestStay) });
export type GuestGetResult = z.infer<typeof guestGetResult>;

export const guestCreated = defineEvent('guest.created', { description: 'A guest profile was created (no contact data).', payload: z.object({ guest: guestSummary }) });
export const guestUpdated = defineEvent('guest.updated', { description: 'A guest profile changed (no contact data); boards rename the guest\'s reservations.', payload: z.object({ guest: guestSummary }) });

export const guestCommands = [guestCreate, guestUpdate, guestSearch, guestGet] as const;
export const guestEvents = [guestCreated, guestUpdated] as const;
