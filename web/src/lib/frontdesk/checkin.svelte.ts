import type { ErrorBody } from '@innboard/shared';
import { describeError } from '#lib/live/errors.ts';
import { toast } from '#lib/ui/toast.svelte.ts';
import { checkIn } from './actions.ts';
import type { Reservation } from './model.ts';

/**
 * Check-in with the server's own refusal: a room that is not clean or inspected answers CONFLICT, and
 * the desk may then check in anyway with a reason, which the audit trail records.
 */
class CheckInFlow {
  /** A refused check-in waiting for the agent to override or give up. */
  refused = $state<{ reservation: Reservation; message: string } | null>(null);

  async start(r: Reservation, roomNumber: string | null): Promise<void> {
    const ack = await checkIn(r);
    if (ack.ok) {
      toast.show(`${r.guest.name} checked in${roomNumber ? ` to room ${roomNumber}` : ''}`);
      return;
    }
    this.#refusal(r, ack.error);
  }

  async override(reason: string, roomNumber: string | null): Promise<boolean> {
    const r = this.refused?.reservation;
    if (!r) return false;
    const ack = await checkIn(r, reason);
    if (!ack.ok) {
      this.refused = { reservation: r, message: describeError(ack.error) };
      return false;
    }
    this.refused = null;
    toast.show(`${r.guest.name} checked in${roomNumber ? ` to room ${roomNumber}` : ''} (override recorded)`);
    return true;
  }

  dismiss(): void {
    this.refused = null;
  }

  #refusal(r: Reservation, error: ErrorBody): void {
    // Only a room that is not ready can be overridden; anything else is just reported.
    const details = error.details as { roomStatus?: string } | undefined;
    if (error.code === 'CONFLICT' && (details?.roomStatus !== undefined || /override/i.test(error.message))) this.refused = { reservation: r, message: describeError(error) };
    else toast.error(`${r.guest.name} was not checked in: ${describeError(error)}`);
  }
}

export const checkInFlow = new CheckInFlow();
