// Applies the room status machine (room-status.ts) inside a command: validates, writes, audits and
// announces every change, and tells the front desk when an arriving guest's room becomes ready.
import { LockMode } from '@mikro-orm/core';
import { OPEN_TICKET_STATUSES, roomStatusChanged, type RoomStatus } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { CommandError, conflict, notFound } from '../../pipeline/errors.ts';
import { Property, Room } from '../property/entities.ts';
import { MaintenanceTicket } from './entities.ts';
import { loadOccupancy } from './occupancy.ts';
import { findArrivalDesk, actorMay } from './people.ts';
import { notifyUser } from '../notifications/notify.ts';
import { checkManualTransition, isReadyForArrival, statusAfter, type RoomEvent } from './room-status.ts';

export interface StatusChange {
  roomId: string;
  status: RoomStatus;
  previousStatus: RoomStatus;
}

/** Loads a room of the command's property with a row lock, so status changes on it run one after another. */
export async function lockRoom(ctx: CommandContext, roomId: string): Promise<Room> {
  const room = await ctx.em.findOne(Room, { id: roomId, property: ctx.propertyId, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!room) throw notFound('Room');
  return room;
}

/** A status picked by hand (room.setStatus). Setting the status a room already has changes nothing. */
export async function setStatusByHand(ctx: CommandContext, room: Room, to: RoomStatus, reason?: string): Promise<StatusChange> {
  const from = room.status as RoomStatus;
  if (from === to) return { roomId: room.id, status: from, previousStatus: from };
  const verdict = checkManualTransition(from, to, {
    canInspect: await actorMay(ctx, 'task.inspect'),
  }, room.number);
  if (!verdict.ok) throw new CommandError(verdict.code, verdict.message);
  if (from === 'out_of_order') {
    // A maintenance ticket holds the room: returning it by hand would leave the ticket lying.
    const holder = await ctx.em.findOne(MaintenanceTicket, { room: room.id, outOfOrder: true, status: { $in: [...OPEN_TICKET_STATUSES] } });
    if (holder) throw conflict(`Room ${room.number} is out of order for an open maintenance ticket; resolve the ticket to return the room`, { ticketId: holder.id });
  }
  return applyStatus(ctx, room, to, reason ?? null);
}

/** The status change that `event` implies for the room, if any; null when the room stays as it is. */
export async function applyRoomEvent(ctx: CommandContext, room: Room, event: RoomEvent, reason: string): Promise<StatusChange | null> {
  const to = statusAfter(room.status as RoomStatus, event);
  return to ? applyStatus(ctx, room, to, reason) : null;
}

async function applyStatus(ctx: CommandContext, room: Room, to: RoomStatus, reason: string | null): Promise<StatusChange> {
  const previousStatus = room.status as RoomStatus;
  room.status = to;
  room.statusReason = reason;
  ctx.recordChange({ type: 'room', id: room.id, before: { status: previousStatus }, after: { status: to, ...(reason ? { reason } : {}) } });
  ctx.emit(roomStatusChanged, { roomId: room.id, status: to, previousStatus, ...(reason ? { reason } : {}) });
  if (isReadyForArrival(to) && !isReadyForArrival(previousStatus)) await tellDeskRoomIsReady(ctx, room);
  return { roomId: room.id, status: to, previousStatus };
}

async function tellDeskRoomIsReady(ctx: CommandContext, room: Room): Promise<void> {
  const property = await ctx.em.findOneOrFail(Property, ctx.propertyId);
  const occupancy = await loadOccupancy(ctx.em, ctx.propertyId, property.businessDate);
  if (!occupancy.arrivals.has(room.id)) return;
  for (const member of await findArrivalDesk(ctx.em, ctx.propertyId)) {
    notifyUser(ctx, member.userId, {
      kind: 'room_ready',
      title: `Room ${room.number} is ready`,
      body: `Room ${room.number} is ${room.status} for today's arrival.`,
      ref: { type: 'room', id: room.id },
    });
  }
}
