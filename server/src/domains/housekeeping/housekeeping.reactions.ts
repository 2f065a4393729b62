import { reservationCheckedOut, reservationCreated, reservationUpdated } from '@innboard/shared/protocol/reservations';
import { defineReaction } from '../../pipeline/types.ts';
import { queueDepartureClean, raiseCleanForArrival } from './task-generation.service.ts';

/** Check-out -> room dirty + departure clean, in the check-out's own transaction. */
export const departureCleanOnCheckOut = defineReaction(reservationCheckedOut, async (ctx, payload) => {
  await queueDepartureClean(ctx, payload);
});

/** A stay lands in a room today -> that room's departure clean jumps the queue, in the same transaction. */
export const arrivalRaisesCleanOnCreate = defineReaction(reservationCreated, async (ctx, payload) => {
  await raiseCleanForArrival(ctx, payload.reservation);
});
export const arrivalRaisesCleanOnUpdate = defineReaction(reservationUpdated, async (ctx, payload) => {
  await raiseCleanForArrival(ctx, payload.reservation);
});

export const housekeepingReactions = [departureCleanOnCheckOut, arrivalRaisesCleanOnCreate, arrivalRaisesCleanOnUpdate];
