import { reservationCheckedOut } from '@innboard/shared/protocol/reservations';
import { defineReaction } from '../../pipeline/types.ts';
import { queueDepartureClean } from './task-generation.service.ts';

/** Check-out -> room dirty + departure clean, in the check-out's own transaction. */
export const departureCleanOnCheckOut = defineReaction(reservationCheckedOut, async (ctx, payload) => {
  await queueDepartureClean(ctx, payload);
});

export const housekeepingReactions = [departureCleanOnCheckOut];
