// A maintenance ticket with `outOfOrder` takes its room off sale until it is resolved: an
// out-of-order room block in the reservations domain (inventory: availability drops, refused when
// it would break an assigned stay) plus the housekeeping status `out_of_order` every board sees.
import { OPEN_TICKET_STATUSES } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import type { Room } from '../property/entities.ts';
import { addDays } from '../property/hotel-date.ts';
import { placeRoomBlock, releaseRoomBlock } from '../reservations/room-block.service.ts';
import { MaintenanceTicket } from './entities.ts';
import { applyRoomEvent } from './room-status.service.ts';
import { businessDateOf } from './task.store.ts';

/** A ticket has no end date; the block is placed this far ahead and released when the ticket is. */
export const OPEN_ENDED_BLOCK_DAYS = 30;

/** Other open out-of-order tickets on the same room: they share one block (a room is blocked once). */
function otherHolders(ctx: CommandContext, ticket: MaintenanceTicket, room: Room): Promise<MaintenanceTicket[]> {
  return ctx.em.find(MaintenanceTicket, { room, outOfOrder: true, status: { $in: [...OPEN_TICKET_STATUSES] }, id: { $ne: ticket.id } }, { orderBy: { createdAt: 'asc' } });
}

/**
 * The block goes first: when it is refused (a stay is assigned to the room, or the type is sold out)
 * the CONFLICT aborts the command before the room status moves, so nothing is written.
 */
export async function holdRoomForTicket(ctx: CommandContext, ticket: MaintenanceTicket, room: Room): Promise<void> {
  const reason = `Maintenance: ${ticket.description.slice(0, 200)}`;
  const blocked = (await otherHolders(ctx, ticket, room)).some((t) => t.roomBlockId);
  if (!blocked) {
    const today = await businessDateOf(ctx);
    const block = await placeRoomBlock(ctx, { roomId: room.id, from: today, to: addDays(today, OPEN_ENDED_BLOCK_DAYS), kind: 'out_of_order', reason });
    ticket.roomBlockId = block.id;
  }
  await applyRoomEvent(ctx, room, 'maintenance_started', reason);
}

/**
 * Puts the room back on sale and returns it to the attendants (dirty), unless another open ticket
 * still holds it: then that ticket takes over the block and the room stays out of order.
 */
export async function releaseRoomForTicket(ctx: CommandContext, ticket: MaintenanceTicket, room: Room): Promise<void> {
  const [heir] = await otherHolders(ctx, ticket, room);
  if (ticket.roomBlockId) {
    if (heir && !heir.roomBlockId) heir.roomBlockId = ticket.roomBlockId;
    else await releaseRoomBlock(ctx, ticket.roomBlockId);
    ticket.roomBlockId = null;
  }
  if (heir) return;
  await applyRoomEvent(ctx, room, 'maintenance_finished', 'Maintenance finished');
}
