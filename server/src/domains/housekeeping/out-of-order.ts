// MERGE SEAM (reservations): a maintenance ticket with `outOfOrder` takes its room off sale until
// it is resolved. Today that means the room status `out_of_order` (every board sees it). The
// inventory effect (availability drops for the dates, refused when it would break assigned stays)
// belongs to the reservations domain's room blocks. Once both branches are merged, these two
// functions are the only place to change:
//   holdRoomForTicket:    ticket.roomBlockId = (await placeRoomBlock(ctx, { roomId: room.id, from: today,
//                           to: addDays(today, OPEN_ENDED_BLOCK_DAYS), kind: 'out_of_order', reason })).id
//                         (before the status change, so a refused block leaves the room untouched)
//   releaseRoomForTicket: if (ticket.roomBlockId) await releaseRoomBlock(ctx, ticket.roomBlockId); ticket.roomBlockId = null
import { OPEN_TICKET_STATUSES } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import type { Room } from '../property/entities.ts';
import { MaintenanceTicket } from './entities.ts';
import { applyRoomEvent } from './room-status.service.ts';

/** A ticket has no end date; the block is placed this far ahead and released when the ticket is. */
export const OPEN_ENDED_BLOCK_DAYS = 30;

export async function holdRoomForTicket(ctx: CommandContext, ticket: MaintenanceTicket, room: Room): Promise<void> {
  await applyRoomEvent(ctx, room, 'maintenance_started', `Maintenance: ${ticket.description.slice(0, 200)}`);
}

/** Returns the room to the attendants (dirty) unless another open ticket still holds it. */
export async function releaseRoomForTicket(ctx: CommandContext, ticket: MaintenanceTicket, room: Room): Promise<void> {
  const stillHeld = await ctx.em.count(MaintenanceTicket, {
    room, outOfOrder: true, status: { $in: [...OPEN_TICKET_STATUSES] }, id: { $ne: ticket.id },
  });
  if (stillHeld > 0) return;
  await applyRoomEvent(ctx, room, 'maintenance_finished', 'Maintenance finished');
}
