import { reservationCheckedIn, reservationCheckedOut, type PayloadOf, type ReservationView, type reservationCheckIn, type reservationCheckOut, type reservationExtend } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid } from '../../pipeline/errors.ts';
import { addDays, daysBetween } from '../property/hotel-date.ts';
import { Room } from '../property/entities.ts';
import { setRoomStatus } from '../property/room.service.ts';
import { extendLastSegment, findOverlap, nightsOfReservation, segmentsOf, vacateFrom } from './inventory.repository.ts';
import { lockReservation, propertyOf } from './lookups.ts';
import { announceUpdate, currentView, MAX_NIGHTS, requireStatus } from './reservation.service.ts';
import { applyDiscount, evaluateStay, loadCalendars, offerDiscount, sumNights } from './pricing.ts';
import { bookNights, releaseNights } from './stay-ledger.ts';
import { announceGroup } from './group.service.ts';

const READY = new Set(['clean', 'inspected']);

/**
 * Check-in on a day of the stay, into the assigned room. A room that is not clean or inspected, or
 * still holds a guest who has not checked out, needs an explicit override, which the audit records.
 */
export async function checkIn(ctx: CommandContext, input: PayloadOf<typeof reservationCheckIn>) {
  const res = await lockReservation(ctx, input.reservationId);
  requireStatus(res, ['tentative', 'confirmed'], 'check in');
  const property = await propertyOf(ctx);
  const today = property.businessDate;
  if (today < res.arrival) throw conflict(`The guest is due on ${res.arrival}; today is ${today}`);
  if (today >= res.departure) throw conflict(`The stay ended on ${res.departure}; extend or rebook it first`);
  const before = await currentView(ctx, res);
  if (!before.roomId) throw conflict('Assign a room before check-in');
  const room = await ctx.em.findOneOrFail(Room, before.roomId);
  const problems: string[] = [];
  if (!READY.has(room.status)) problems.push(`Room ${room.number} is ${room.status.replaceAll('_', ' ')}`);
  // The previous guest may still be in the room on their departure day (their last segment is this room).
  const [occupant] = await ctx.em.execute<{ id: string }[]>(
    `select r.id from reservation r join room_occupancy o on o.reservation_id = r.id and o.departure = r.departure
     where o.room_id = ? and r.status = 'checked_in' and r.id <> ? limit 1`,
    [room.id, res.id],
  );
  if (occupant) problems.push(`Room ${room.number} still has a guest who has not checked out`);
  if (problems.length && !input.override) throw conflict(`${problems.join('; ')}. Pick another room or check in with an override and a reason`, { roomId: room.id, roomStatus: room.status });
  res.status = 'checked_in';
  res.checkedInAt = ctx.now;
  const override = problems.length && input.override ? { reason: input.override.reason, roomStatus: room.status } : null;
  const view = await currentView(ctx, res);
  ctx.recordChange({
    type: 'reservation', id: res.id, before: { status: before.status },
    after: { status: view.status, roomId: room.id, ...(override ? { checkInOverride: { ...override, problems } } : {}) },
  });
  ctx.emit(reservationCheckedIn, { reservation: view, roomId: room.id, override });
  return { reservationId: res.id, status: view.status, roomId: room.id, version: view.version, override: !!override };
}

/**
 * Check-out at any time after check-in. Before the departure date it is an early departure: the
 * remaining nights (from the business date on) go back on sale. The room becomes dirty.
 */
export async function checkOut(ctx: CommandContext, input: PayloadOf<typeof reservationCheckOut>) {
  const res = await lockReservation(ctx, input.reservationId);
  requireStatus(res, ['checked_in'], 'check out');
  const property = await propertyOf(ctx);
  const before = await currentView(ctx, res);
  const roomId = before.roomId!;
  // Leaving on the arrival day still pays the first night.
  const newDeparture = property.businessDate < res.departure ? (property.businessDate > res.arrival ? property.businessDate : addDays(res.arrival, 1)) : res.departure;
  const early = newDeparture < res.departure;
  if (early) {
    await vacateFrom(ctx.em, res.id, newDeparture);
    await releaseNights(ctx, res, newDeparture);
    res.departure = newDeparture;
    res.total = sumNights(await nightsOfReservation(ctx.em, res.id));
  }
  res.status = 'checked_out';
  res.checkedOutAt = ctx.now;
  await setRoomStatus(ctx, { roomId, status: 'dirty', reason: 'Guest checked out' });
  ctx.emit(reservationCheckedOut, { reservationId: res.id, roomId, departure: res.departure, early });
  const view = await announceUpdate(ctx, res, before, 'checked_out', { early });
  if (early && res.group) await announceGroup(ctx, res.group);
  return { reservationId: res.id, status: view.status, departure: view.departure, early, total: view.total, currency: view.currency, version: view.version };
}

/**
 * A later departure for a booked or in-house stay, in the same room. New nights are priced on the
 * stay's plan (arrival restrictions do not apply to an extension) with its offer's discount.
 */
export async function extendStay(ctx: CommandContext, input: PayloadOf<typeof reservationExtend>): Promise<ReservationView> {
  const res = await lockReservation(ctx, input.reservationId);
  requireStatus(res, ['tentative', 'confirmed', 'checked_in'], 'extend the stay');
  if (input.departure <= res.departure) throw invalid(`The new departure must be after ${res.departure}; to shorten a stay use modify or an early check-out`);
  if (daysBetween(res.arrival, input.departure) > MAX_NIGHTS) throw invalid(`A stay can be at most ${MAX_NIGHTS} nights`);
  const before = await currentView(ctx, res);
  const calendars = await loadCalendars(ctx.em, [res.ratePlan], [res.roomType.id], res.departure, input.departure);
  const check = evaluateStay(calendars.get(res.ratePlan.id)?.get(res.roomType.id) ?? new Map(), res.departure, input.departure, { ignoreRestrictions: true });
  if (!check.ok) throw conflict(`${res.ratePlan.name}: ${check.reason}`);
  const { nightly } = applyDiscount(check.nightly, res.offer ? offerDiscount(res.offer) : null);
  await bookNights(ctx, res, res.roomType, nightly);
  const segments = await segmentsOf(ctx.em, [res.id]);
  const last = segments[segments.length - 1];
  if (last) {
    const holder = await findOverlap(ctx.em, last.roomId, res.departure, input.departure, res.id);
    if (holder) {
      const room = await ctx.em.findOneOrFail(Room, last.roomId);
      throw conflict(`Room ${room.number} is not free from ${holder.arrival}; move the guest or pick other dates`, { roomId: room.id, from: holder.arrival, to: holder.departure });
    }
    await extendLastSegment(ctx.em, res.id, res.departure, input.departure);
  }
  res.departure = input.departure;
  res.total += sumNights(nightly);
  return announceUpdate(ctx, res, before, 'extended');
}
