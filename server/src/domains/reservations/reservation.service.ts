import {
  reservationCreated, reservationUpdated,
  type PayloadOf, type ReservationCreateResult, type ReservationDetail, type ReservationView, type guestInput,
  type reservationAddNote, type reservationConfirm, type reservationCreate, type reservationGet, type reservationModify, type reservationSetLateCheckout,
} from '@innboard/shared';
import type { z } from 'zod';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid } from '../../pipeline/errors.ts';
import { daysBetween } from '../property/hotel-date.ts';
import type { Room, RoomType } from '../property/entities.ts';
import { Reservation, type Group, type Offer, type RatePlan } from './entities.ts';
import { findOverlap, nightsOfReservation, occupy, vacateFrom } from './inventory.repository.ts';
import { actorName, defaultPlanFor, findReservation, lockReservation, propertyOf, requireOfferByCode, requireRatePlan, requireRoom, requireRoomType } from './lookups.ts';
import { offerProblem } from './pricing.ts';
import { resolveGuest } from './guests.service.ts';
import { bookNights, holdRoom, priceStay, releaseNights, returnOfferUse, takeOfferUse } from './stay-ledger.ts';
import { reservationView } from './reservation.view.ts';
import { tellArrivalAssigned } from './arrival-notice.ts';

export const MAX_NIGHTS = 90;
const ACTIVE_BEFORE_ARRIVAL = ['tentative', 'confirmed'];

/** The audit record of a reservation: no guest contact data, only ids and the stay. */
export const auditView = (v: ReservationView) => ({
  status: v.status, roomTypeId: v.roomTypeId, roomId: v.roomId, arrival: v.arrival, departure: v.departure, adults: v.adults, children: v.children,
  ratePlanId: v.ratePlanId, offerCode: v.offerCode, total: v.total, guestId: v.guest.id, groupId: v.groupId,
});

export function requireVersion(res: Reservation, version: number | undefined): void {
  if (version !== undefined && version !== res.version) {
    throw conflict('Someone else changed this reservation in the meantime; reload and try again', { currentVersion: res.version });
  }
}

export function requireStatus(res: Reservation, allowed: string[], action: string): void {
  if (!allowed.includes(res.status)) throw conflict(`Cannot ${action}: the reservation is ${res.status.replace('_', ' ')}`, { status: res.status });
}

function checkStay(businessDate: string, arrival: string, departure: string): void {
  if (arrival < businessDate) throw invalid(`Arrival cannot be before the hotel date ${businessDate}`);
  if (daysBetween(arrival, departure) > MAX_NIGHTS) throw invalid(`A stay can be at most ${MAX_NIGHTS} nights`);
}

function checkParty(roomType: RoomType, adults: number, children: number): void {
  if (adults > roomType.maxAdults || children > roomType.maxChildren) {
    throw invalid(`${roomType.name} sleeps at most ${roomType.maxAdults} adults and ${roomType.maxChildren} children`);
  }
}

async function planFor(ctx: CommandContext, roomType: RoomType, ratePlanId: string | undefined): Promise<RatePlan> {
  const plan = ratePlanId ? await requireRatePlan(ctx, ratePlanId) : await defaultPlanFor(ctx, roomType.id);
  if (!plan) throw conflict(`No rate plan sells ${roomType.name}`);
  if (!plan.active || !plan.roomTypeIds.includes(roomType.id)) throw invalid(`${plan.name} is not sold for ${roomType.name}`);
  return plan;
}

function requireRoomOfType(room: Room, roomType: RoomType): void {
  if (room.roomType.id !== roomType.id) throw invalid(`Room ${room.number} is not a ${roomType.name}`);
}

export interface BookStayInput {
  roomTypeId: string;
  arrival: string;
  departure: string;
  adults: number;
  children?: number;
  ratePlanId?: string;
  roomId?: string;
  offerCode?: string;
  guest: z.infer<typeof guestInput>;
  status?: 'tentative' | 'confirmed';
  source?: ReservationView['source'];
  note?: string;
  /** A rooming-list booking: the group's plan, no restrictions, nights from the block first. */
  group?: Group;
}

/** Books a stay: prices it, takes the offer use, the nights and the room, all in this transaction. */
export async function bookStay(ctx: CommandContext, input: BookStayInput): Promise<{ result: ReservationCreateResult; view: ReservationView }> {
  const property = await propertyOf(ctx);
  checkStay(property.businessDate, input.arrival, input.departure);
  const roomType = await requireRoomType(ctx, input.roomTypeId);
  checkParty(roomType, input.adults, input.children ?? 0);
  const plan = input.group ? input.group.ratePlan : await planFor(ctx, roomType, input.ratePlanId);
  const offer = input.offerCode ? await requireOfferByCode(ctx, input.offerCode) : null;
  const problem = offer && offerProblem(offer, { businessDate: property.businessDate, arrival: input.arrival, departure: input.departure, ratePlanId: plan.id, roomTypeId: roomType.id });
  if (problem) throw invalid(problem);
  const room = input.roomId ? await requireRoom(ctx, input.roomId) : null;
  if (room) requireRoomOfType(room, roomType);
  const priced = await priceStay(ctx, { plan, roomType, arrival: input.arrival, departure: input.departure, offer, ignoreRestrictions: !!input.group });
  const guest = await resolveGuest(ctx, input.guest);
  const notes = input.note ? [{ at: ctx.now.toISOString(), authorId: ctx.actor.userId, authorName: await actorName(ctx), text: input.note }] : [];
  const res = ctx.em.create(Reservation, {
    property: ctx.propertyId, guest, group: input.group ?? null, status: input.status ?? 'confirmed', roomType, arrival: input.arrival, departure: input.departure,
    adults: input.adults, children: input.children ?? 0, ratePlan: plan, offer, total: priced.total, currency: property.currency,
    cancellationPolicy: plan.cancellationPolicy, source: input.source ?? (input.group ? 'group' : 'phone'), notes, createdBy: ctx.actor.userId,
  });
  await ctx.em.flush();
  if (offer) await takeOfferUse(ctx, offer);
  await bookNights(ctx, res, roomType, priced.nightly);
  if (room) await holdRoom(ctx, res, room, input.arrival, input.departure);
  const view = await reservationView(ctx.em, res, property.businessDate);
  ctx.recordChange({ type: 'reservation', id: res.id, after: auditView(view) });
  ctx.emit(reservationCreated, { reservation: view });
  if (room) tellArrivalAssigned(ctx, res, room.number);
  return { view, result: { reservationId: res.id, status: view.status, total: view.total, currency: view.currency, guestId: guest.id, roomId: view.roomId, version: view.version } };
}

export async function createReservation(ctx: CommandContext, input: PayloadOf<typeof reservationCreate>): Promise<ReservationCreateResult> {
  return (await bookStay(ctx, input)).result;
}

/** Emits the board's single "this reservation changed" event and records the audit diff. */
export async function announceUpdate(ctx: CommandContext, res: Reservation, before: ReservationView, change: z.infer<typeof reservationUpdated.payload>['change'], extra: Record<string, unknown> = {}): Promise<ReservationView> {
  const property = await propertyOf(ctx);
  const view = await reservationView(ctx.em, res, property.businessDate);
  const a = auditView(before);
  const b = auditView(view);
  const keys = (Object.keys(b) as Array<keyof typeof b>).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  ctx.recordChange({
    type: 'reservation', id: res.id,
    before: Object.fromEntries(keys.map((k) => [k, a[k]])),
    after: { ...Object.fromEntries(keys.map((k) => [k, b[k]])), ...extra },
  });
  ctx.emit(reservationUpdated, { reservation: view, change });
  return view;
}

export async function currentView(ctx: CommandContext, res: Reservation): Promise<ReservationView> {
  return reservationView(ctx.em, res, (await propertyOf(ctx)).businessDate);
}

/** Re-books a not-yet-arrived stay with new dates / type / party / plan / offer at today's prices. */
export async function modifyReservation(ctx: CommandContext, input: PayloadOf<typeof reservationModify>): Promise<ReservationCreateResult> {
  const res = await lockReservation(ctx, input.reservationId);
  requireVersion(res, input.version);
  requireStatus(res, ACTIVE_BEFORE_ARRIVAL, 'change it (use extend, move or check-out for in-house guests)');
  const property = await propertyOf(ctx);
  const before = await currentView(ctx, res);
  const arrival = input.arrival ?? res.arrival;
  const departure = input.departure ?? res.departure;
  if (departure <= arrival) throw invalid('Departure must be after arrival');
  if (input.arrival !== undefined || input.departure !== undefined) checkStay(property.businessDate, arrival, departure);
  const roomType = input.roomTypeId ? await requireRoomType(ctx, input.roomTypeId) : res.roomType;
  const adults = input.adults ?? res.adults;
  const children = input.children ?? res.children;
  checkParty(roomType, adults, children);
  const plan = input.ratePlanId ? await planFor(ctx, roomType, input.ratePlanId) : res.ratePlan;
  if (!res.group && !plan.roomTypeIds.includes(roomType.id)) throw invalid(`${plan.name} is not sold for ${roomType.name}; pick another rate plan`);
  let offer: Offer | null = res.offer ?? null;
  if (input.offerCode !== undefined) offer = input.offerCode === null ? null : await requireOfferByCode(ctx, input.offerCode);
  const newOffer = offer && offer.id !== res.offer?.id;
  // An offer the guest already holds stays valid after its booking window; it must still fit the new stay.
  const problem = offer && offerProblem(offer, { businessDate: property.businessDate, arrival, departure, ratePlanId: plan.id, roomTypeId: roomType.id }, { alreadyHeld: !newOffer });
  if (problem) throw conflict(`${problem}; remove the offer (offerCode: null) or keep the stay`);

  const unchanged = arrival === res.arrival && departure === res.departure && roomType.id === res.roomType.id && adults === res.adults
    && children === res.children && plan.id === res.ratePlan.id && (offer?.id ?? null) === (res.offer?.id ?? null);
  if (unchanged) return { reservationId: res.id, status: before.status, total: before.total, currency: before.currency, guestId: before.guest.id, roomId: before.roomId, version: before.version };

  // Give everything back, then take it again: the same guards apply as for a new booking.
  const keptRoomId = before.roomId;
  await vacateFrom(ctx.em, res.id);
  await releaseNights(ctx, res);
  if (res.offer && res.offer.id !== offer?.id) await returnOfferUse(ctx, res.offer.id);
  if (offer && newOffer) await takeOfferUse(ctx, offer);
  const priced = await priceStay(ctx, { plan, roomType, arrival, departure, offer, ignoreRestrictions: !!res.group });
  res.arrival = arrival;
  res.departure = departure;
  res.roomType = roomType;
  res.adults = adults;
  res.children = children;
  res.ratePlan = plan;
  res.offer = offer;
  res.total = priced.total;
  if (plan.id !== before.ratePlanId) res.cancellationPolicy = plan.cancellationPolicy;
  await bookNights(ctx, res, roomType, priced.nightly);
  // Keep the room when it is still the right type and free for the new dates; otherwise it is unassigned.
  if (keptRoomId) {
    const room = await requireRoom(ctx, keptRoomId);
    if (room.roomType.id === roomType.id && !(await findOverlap(ctx.em, room.id, arrival, departure, res.id))) {
      await occupy(ctx.em, { propertyId: ctx.propertyId, roomId: room.id, reservationId: res.id, arrival, departure });
    }
  }
  res.updatedAt = ctx.now;
  const view = await announceUpdate(ctx, res, before, 'modified');
  return { reservationId: res.id, status: view.status, total: view.total, currency: view.currency, guestId: view.guest.id, roomId: view.roomId, version: view.version };
}

export async function confirmReservation(ctx: CommandContext, input: PayloadOf<typeof reservationConfirm>): Promise<ReservationView> {
  const res = await lockReservation(ctx, input.reservationId);
  requireVersion(res, input.version);
  if (res.status === 'confirmed') return currentView(ctx, res);
  requireStatus(res, ['tentative'], 'confirm it');
  const before = await currentView(ctx, res);
  res.status = 'confirmed';
  return announceUpdate(ctx, res, before, 'confirmed');
}

export async function addNote(ctx: CommandContext, input: PayloadOf<typeof reservationAddNote>): Promise<ReservationView> {
  const res = await lockReservation(ctx, input.reservationId);
  const before = await currentView(ctx, res);
  res.notes = [...(res.notes ?? []), { at: ctx.now.toISOString(), authorId: ctx.actor.userId, authorName: await actorName(ctx), text: input.text }];
  return announceUpdate(ctx, res, before, 'note_added', { note: input.text });
}

export async function setLateCheckout(ctx: CommandContext, input: PayloadOf<typeof reservationSetLateCheckout>): Promise<ReservationView> {
  const res = await lockReservation(ctx, input.reservationId);
  requireStatus(res, ['tentative', 'confirmed', 'checked_in'], 'agree a late check-out');
  if ((res.lateCheckout ?? null) === input.time) return currentView(ctx, res);
  const before = await currentView(ctx, res);
  res.lateCheckout = input.time;
  return announceUpdate(ctx, res, before, 'late_checkout', { lateCheckout: input.time });
}

export async function getReservation(ctx: CommandContext, input: PayloadOf<typeof reservationGet>): Promise<ReservationDetail> {
  const res = await findReservation(ctx, input.reservationId);
  const nights = await nightsOfReservation(ctx.em, res.id);
  return {
    reservation: await currentView(ctx, res),
    nightly: nights.map((n) => ({ date: n.date, amount: n.amount, roomTypeId: n.roomTypeId })),
    cancellationPolicy: res.cancellationPolicy,
    cancelReason: res.cancelReason ?? null,
  };
}

