import {
  guestCreated, guestUpdated,
  type GuestGetResult, type GuestSummary, type GuestView, type PayloadOf,
  type guestCreate, type guestGet, type guestInput, type guestSearch, type guestUpdate,
} from '@innboard/shared';
import type { z } from 'zod';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, notFound } from '../../pipeline/errors.ts';
import { Guest } from './entities.ts';

// Guest profiles. Contact data and the document number are personal data: they never go into events
// (every board of the property hears those) and the audit writer masks them by key name.

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
/** Keeps digits and a leading +, so "+49 (30) 123-45" and "+493012345" are the same phone. */
export const normalizePhone = (phone: string) => phone.trim().replace(/(?!^\+)[^0-9]/g, '');

export const guestDisplayName = (g: Pick<Guest, 'firstName' | 'lastName'>) => `${g.lastName}, ${g.firstName}`;
export const toGuestSummary = (g: Guest): GuestSummary => ({ id: g.id, name: guestDisplayName(g), vip: g.vip });

/** Shows only the last 4 characters of an ID document number. */
export function maskDocumentNumber(number: string): string {
  return number.length <= 4 ? '*'.repeat(number.length) : `${'*'.repeat(number.length - 4)}${number.slice(-4)}`;
}

export function toGuestView(g: Guest, stayCount: number): GuestView {
  return {
    ...toGuestSummary(g), firstName: g.firstName, lastName: g.lastName, email: g.email ?? null, phone: g.phone ?? null, language: g.language ?? null,
    preferences: g.preferences ?? {},
    document: g.documentNumber
      ? { type: g.documentType ?? 'other', numberMasked: maskDocumentNumber(g.documentNumber), country: g.documentCountry ?? '', expiresOn: g.documentExpiresOn ?? null }
      : null,
    stayCount, version: g.version,
  };
}

/** The audit trail's record of a profile: field names the audit writer knows to mask. */
const auditFields = (g: Guest) => ({
  firstName: g.firstName, lastName: g.lastName, email: g.email, phone: g.phone, language: g.language, vip: g.vip,
  preferences: g.preferences, documentNumber: g.documentNumber, documentType: g.documentType,
});

async function stayCounts(ctx: CommandContext, guestIds: string[]): Promise<Map<string, number>> {
  if (!guestIds.length) return new Map();
  const rows = await ctx.em.execute<{ guest_id: string; n: number }[]>(
    `select guest_id, count(*)::int as n from reservation where guest_id in (?) and status in ('checked_in', 'checked_out') group by guest_id`,
    [guestIds],
  );
  return new Map(rows.map((r) => [r.guest_id, r.n]));
}

/** Profiles sharing the email or phone: the duplicates a front-desk agent should look at first. */
async function findByContact(ctx: CommandContext, email: string | null, phone: string | null, exceptId?: string): Promise<Guest[]> {
  if (!email && !phone) return [];
  const or = [...(email ? [{ email }] : []), ...(phone ? [{ phone }] : [])];
  return ctx.em.find(Guest, { property: ctx.propertyId, $or: or, ...(exceptId ? { id: { $ne: exceptId } } : {}) }, { orderBy: { createdAt: 'asc' }, limit: 10 });
}

function duplicatesDetail(found: Guest[], email: string | null, phone: string | null) {
  return {
    duplicates: found.map((g) => ({
      guestId: g.id, name: guestDisplayName(g),
      matchedOn: [...(email && g.email === email ? ['email'] : []), ...(phone && g.phone === phone ? ['phone'] : [])],
    })),
  };
}

type NewGuestFields = Omit<PayloadOf<typeof guestCreate>, 'propertyId' | 'allowDuplicate'>;

function newGuest(ctx: CommandContext, input: NewGuestFields): Guest {
  return ctx.em.create(Guest, {
    property: ctx.propertyId, firstName: input.firstName, lastName: input.lastName,
    email: input.email ? normalizeEmail(input.email) : null, phone: input.phone ? normalizePhone(input.phone) : null,
    language: input.language ?? null, vip: input.vip ?? false, preferences: input.preferences ?? {},
    documentType: input.document?.type ?? null, documentNumber: input.document?.number ?? null,
    documentCountry: input.document?.country ?? null, documentExpiresOn: input.document?.expiresOn ?? null,
  });
}

async function announceNewGuest(ctx: CommandContext, guest: Guest): Promise<void> {
  await ctx.em.flush();
  ctx.recordChange({ type: 'guest', id: guest.id, after: auditFields(guest) });
  ctx.emit(guestCreated, { guest: toGuestSummary(guest) });
}

export async function createGuest(ctx: CommandContext, input: PayloadOf<typeof guestCreate>): Promise<{ guestId: string; guest: GuestView }> {
  const email = input.email ? normalizeEmail(input.email) : null;
  const phone = input.phone ? normalizePhone(input.phone) : null;
  const found = await findByContact(ctx, email, phone);
  if (found.length && !input.allowDuplicate) {
    throw conflict('A guest with that email or phone is already on file; use that profile or confirm a new one', duplicatesDetail(found, email, phone));
  }
  const guest = newGuest(ctx, input);
  await announceNewGuest(ctx, guest);
  return { guestId: guest.id, guest: toGuestView(guest, 0) };
}

/**
 * The guest of a booking: an existing profile by id, or the profile with the same name and the same
 * email or phone (a returning guest), or a new one.
 */
export async function resolveGuest(ctx: CommandContext, input: z.infer<typeof guestInput>): Promise<Guest> {
  if ('guestId' in input) {
    const guest = await ctx.em.findOne(Guest, { id: input.guestId, property: ctx.propertyId });
    if (!guest) throw notFound('Guest');
    return guest;
  }
  const email = input.email ? normalizeEmail(input.email) : null;
  const phone = input.phone ? normalizePhone(input.phone) : null;
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const match = (await findByContact(ctx, email, phone)).find((g) => same(g.firstName, input.firstName) && same(g.lastName, input.lastName));
  if (match) return match;
  const guest = newGuest(ctx, input);
  await announceNewGuest(ctx, guest);
  return guest;
}

export async function updateGuest(ctx: CommandContext, input: PayloadOf<typeof guestUpdate>): Promise<{ guestId: string; guest: GuestView }> {
  const guest = await ctx.em.findOne(Guest, { id: input.guestId, property: ctx.propertyId });
  if (!guest) throw notFound('Guest');
  if (guest.version !== input.version) throw conflict('Someone else changed this guest in the meantime; reload and try again', { currentVersion: guest.version });
  const before = auditFields(guest);
  const summaryBefore = JSON.stringify(toGuestSummary(guest));
  if (input.firstName !== undefined) guest.firstName = input.firstName;
  if (input.lastName !== undefined) guest.lastName = input.lastName;
  if (input.email !== undefined) guest.email = input.email === null ? null : normalizeEmail(input.email);
  if (input.phone !== undefined) guest.phone = input.phone === null ? null : normalizePhone(input.phone);
  if (input.language !== undefined) guest.language = input.language;
  if (input.vip !== undefined) guest.vip = input.vip;
  if (input.preferences !== undefined) guest.preferences = input.preferences;
  if (input.document !== undefined) {
    guest.documentType = input.document?.type ?? null;
    guest.documentNumber = input.document?.number ?? null;
    guest.documentCountry = input.document?.country ?? null;
    guest.documentExpiresOn = input.document?.expiresOn ?? null;
  }
  const after = auditFields(guest);
  const changed = Object.keys(after).filter((k) => JSON.stringify(after[k as keyof typeof after]) !== JSON.stringify(before[k as keyof typeof before]));
  const counts = await stayCounts(ctx, [guest.id]);
  if (!changed.length) return { guestId: guest.id, guest: toGuestView(guest, counts.get(guest.id) ?? 0) };
  await ctx.em.flush();
  ctx.recordChange({
    type: 'guest', id: guest.id,
    before: Object.fromEntries(changed.map((k) => [k, before[k as keyof typeof before]])),
    after: Object.fromEntries(changed.map((k) => [k, after[k as keyof typeof after]])),
  });
  // Boards only show the name and VIP flag; a phone change is nothing they need to hear about.
  if (JSON.stringify(toGuestSummary(guest)) !== summaryBefore) ctx.emit(guestUpdated, { guest: toGuestSummary(guest) });
  return { guestId: guest.id, guest: toGuestView(guest, counts.get(guest.id) ?? 0) };
}

export async function searchGuests(ctx: CommandContext, input: PayloadOf<typeof guestSearch>): Promise<{ guests: GuestView[] }> {
  const q = input.query.trim();
  const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const phone = normalizePhone(q);
  const rows = await ctx.em.execute<{ id: string }[]>(
    `select id from guest where property_id = ? and (
       lower(first_name || ' ' || last_name) like ? or lower(last_name || ', ' || first_name) like ? or email like ?
       or (length(?) >= 5 and phone like ?))
     order by last_name, first_name limit ?`,
    [ctx.propertyId, like, like, like, phone, `%${phone}%`, input.limit ?? 20],
  );
  const guests = await ctx.em.find(Guest, { id: { $in: rows.map((r) => r.id) } }, { orderBy: { lastName: 'asc', firstName: 'asc' } });
  const counts = await stayCounts(ctx, guests.map((g) => g.id));
  return { guests: guests.map((g) => toGuestView(g, counts.get(g.id) ?? 0)) };
}

export async function getGuest(ctx: CommandContext, input: PayloadOf<typeof guestGet>): Promise<GuestGetResult> {
  const guest = await ctx.em.findOne(Guest, { id: input.guestId, property: ctx.propertyId });
  if (!guest) throw notFound('Guest');
  const stays = await ctx.em.execute<GuestGetResult['stays']>(
    `select r.id as "reservationId", r.status, r.arrival, r.departure, r.room_type_id as "roomTypeId", r.total, r.currency,
       (select rm.number from room_occupancy o join room rm on rm.id = o.room_id where o.reservation_id = r.id order by o.departure desc limit 1) as "roomNumber"
     from reservation r where r.guest_id = ? order by r.arrival desc limit 100`,
    [guest.id],
  );
  const counts = await stayCounts(ctx, [guest.id]);
  return { guest: toGuestView(guest, counts.get(guest.id) ?? 0), stays };
}
