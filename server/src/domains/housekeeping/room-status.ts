// The room status machine, as pure rules. Two kinds of change exist:
//  - by hand (room.setStatus): anyone with room.setStatus, except where a row below needs more;
//  - as the consequence of work (check-out, task done, inspection, maintenance ticket): the
//    triggering command already carried its permission, so only the current status matters.
import type { RoomStatus } from '@innboard/shared';

/** What an actor may do beyond room.setStatus: inspect (task.inspect). */
export interface StatusCapabilities {
  canInspect: boolean;
}

type Requirement = 'any' | 'inspect';

/**
 * Hand-made transitions and what they need. Skipping cleaning (dirty -> inspected) is an
 * inspector's call. The out_of_order *status* stays open to every room.setStatus holder (the
 * room.setStatus contract lets the front desk and housekeeping flag a broken room at once); taking
 * the room out of inventory for dates is `room.block`, and a room held by an open maintenance
 * ticket cannot be returned by hand (checked by the service).
 * clean -> inspected stays open to room.setStatus holders: the room.setStatus contract predates
 * task.inspect and the front desk relies on it.
 */
const BY_HAND: Record<RoomStatus, Partial<Record<RoomStatus, Requirement>>> = {
  dirty: { clean: 'any', inspected: 'inspect', out_of_service: 'any', out_of_order: 'any' },
  clean: { dirty: 'any', inspected: 'any', out_of_service: 'any', out_of_order: 'any' },
  inspected: { dirty: 'any', clean: 'any', out_of_service: 'any', out_of_order: 'any' },
  out_of_service: { dirty: 'any', clean: 'any', inspected: 'inspect', out_of_order: 'any' },
  out_of_order: { dirty: 'any', clean: 'any', inspected: 'inspect', out_of_service: 'any' },
};

export type TransitionVerdict = { ok: true } | { ok: false; code: 'FORBIDDEN'; message: string };

/** May an actor with these capabilities set a room from `from` to `to` by hand? (from !== to) */
export function checkManualTransition(from: RoomStatus, to: RoomStatus, caps: StatusCapabilities, roomNumber: string): TransitionVerdict {
  const need = BY_HAND[from][to];
  if (need === undefined || need === 'any') return { ok: true };
  if (need === 'inspect' && !caps.canInspect) {
    return { ok: false, code: 'FORBIDDEN', message: `Room ${roomNumber} is ${label(from)}; it has to be cleaned before it can be marked inspected (or a supervisor inspects it)` };
  }
  return { ok: true };
}

/** Things that happen to a room because of work, not because someone picked a status. */
export type RoomEvent =
  | 'guest_departed'
  | 'task_done'
  | 'inspection_passed'
  | 'inspection_failed'
  | 'maintenance_started'
  | 'maintenance_finished';

const HELD = new Set<RoomStatus>(['out_of_order', 'out_of_service']);

/**
 * The status a room moves to when `event` happens, or null when it stays as it is. A room that is
 * out of order or out of service keeps that status through cleaning work: only maintenance or a
 * supervisor returns it.
 */
export function statusAfter(current: RoomStatus, event: RoomEvent): RoomStatus | null {
  const to = ((): RoomStatus | null => {
    switch (event) {
      case 'maintenance_started':
        return 'out_of_order';
      case 'maintenance_finished':
        // Repairs leave dust: the room goes back to the attendants, not straight to sale.
        return current === 'out_of_order' ? 'dirty' : null;
      case 'guest_departed':
      case 'inspection_failed':
        return HELD.has(current) ? null : 'dirty';
      case 'task_done':
        // Only a dirty room changes: a touch-up in an inspected room does not undo the inspection.
        return current === 'dirty' ? 'clean' : null;
      case 'inspection_passed':
        return HELD.has(current) ? null : 'inspected';
      default:
        return exhaustive(event);
    }
  })();
  return to === current ? null : to;
}

/** A room a guest can be given: the front desk is told when an arriving guest's room reaches it. */
export function isReadyForArrival(status: RoomStatus): boolean {
  return status === 'clean' || status === 'inspected';
}

function label(status: RoomStatus): string {
  return status.replaceAll('_', ' ');
}

function exhaustive(x: never): never {
  throw new Error(`unhandled room event ${String(x)}`);
}
