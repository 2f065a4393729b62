import { reservationCancelled, type CancellationPolicy, type PayloadOf, type ReservationStatus, type reservationCancel, type reservationMarkNoShow } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict } from '../../pipeline/errors.ts';
import { daysBetween } from '../property/hotel-date.ts';
import { vacateFrom, type LedgerNight } from './inventory.repository.ts';
import { lockReservation, propertyOf } from './lookups.ts';
import { announceUpdate, auditView, currentView, requireStatus, requireVersion } from './reservation.service.ts';
import { releaseNights, returnOfferUse } from './stay-ledger.ts';
import { announceGroup } from './group.service.ts';

/**
 * What the booked policy charges: nothing when cancelled at least `freeUntilDaysBefore` days before
 * arrival (business date vs arrival), else the first night or the whole stay. A no-show is never in time.
 */
export function cancellationFee(policy: CancellationPolicy, nights: LedgerNight[], businessDate: string, arrival: string, noShow = false): number {
  const daysBefore = daysBetween(businessDate, arrival);
  if (!noShow && policy.freeUntilDaysBefore !== null && daysBefore >= policy.freeUntilDaysBefore) return 0;
  if (policy.penalty === 'first_night') return nights[0]?.amount ?? 0;
  return nights.reduce((s, n) => s + n.amount, 0);
}

async function endBeforeArrival(ctx: CommandContext, input: { reservationId: string; version?: number }, status: Extract<ReservationStatus, 'cancelled' | 'no_show'>) {
  const res = await lockReservation(ctx, input.reservationId);
  requireVersion(res, input.version);
  requireStatus(res, ['tentative', 'confirmed'], status === 'cancelled' ? 'cancel it' : 'mark it as a no-show');
  const property = await propertyOf(ctx);
  if (status === 'no_show' && property.businessDate < res.arrival) throw conflict(`The guest is due on ${res.arrival}; a no-show can only be marked from then`);
  const before = await currentView(ctx, res);
  // Rooms and nights go back to sale in this transaction; the nights priced the fee.
  await vacateFrom(ctx.em, res.id);
  const nights = await releaseNights(ctx, res);
  const fee = cancellationFee(res.cancellationPolicy, nights, property.businessDate, res.arrival, status === 'no_show');
  // A cancelled booking gives its offer use back; a no-show used it.
  if (status === 'cancelled' && res.offer) await returnOfferUse(ctx, res.offer.id);
  res.status = status;
  res.cancellationFee = fee;
  if (status === 'cancelled') res.cancelledAt = ctx.now;
  return { res, before, fee };
}

export async function cancelReservation(ctx: CommandContext, input: PayloadOf<typeof reservationCancel>) {
  const { res, before, fee } = await endBeforeArrival(ctx, input, 'cancelled');
  res.cancelReason = input.reason;
  const view = await currentView(ctx, res);
  ctx.recordChange({ type: 'reservation', id: res.id, before: { status: before.status }, after: { ...auditView(view), reason: input.reason, fee } });
  ctx.emit(reservationCancelled, { reservation: view, reason: input.reason, fee, currency: res.currency });
  if (res.group) await announceGroup(ctx, res.group);
  return { reservationId: res.id, status: view.status, fee, currency: res.currency, version: view.version };
}

export async function markNoShow(ctx: CommandContext, input: PayloadOf<typeof reservationMarkNoShow>) {
  const { res, before, fee } = await endBeforeArrival(ctx, input, 'no_show');
  const view = await announceUpdate(ctx, res, before, 'no_show', { fee });
  if (res.group) await announceGroup(ctx, res.group);
  return { reservationId: res.id, status: view.status, fee, currency: res.currency, version: view.version };
}
