import type { CommandContext } from '../../pipeline/types.ts';
import { notifyProperty } from '../notifications/notify.ts';
import type { Reservation } from './entities.ts';

/**
 * "New arrival assigned": a stay not yet checked in got its room (assigned, auto-assigned or booked
 * with one). Whoever prepares arrivals hears it; which roles that is, the property's rules decide.
 */
export function tellArrivalAssigned(ctx: CommandContext, res: Reservation, roomNumber: string): void {
  const party = res.adults + res.children;
  notifyProperty(ctx, {
    kind: 'arrival_assigned',
    title: `Room ${roomNumber} assigned to an arrival`,
    body: `${res.guest.firstName} ${res.guest.lastName}, arriving ${res.arrival} (${party} guest${party === 1 ? '' : 's'}).`,
    ref: { type: 'reservation', id: res.id },
  });
}
