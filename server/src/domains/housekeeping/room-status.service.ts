// Applies the room status machine (room-status.ts) inside a command: validates, writes, audits and
// announces every change, and tells the front desk when an arriving guest's room becomes ready.
import { LockMode } from '@mikro-orm/core';
import { OPEN_TICKET_STATUSES, ROOM_STATUSES, roomStatusChanged, type RoomStatus } from '@innboard/shared';
import { scopeFromQuery, type CommandContext, type EntityChange, type FastPlanInput, type FastWrite } from '../../pipeline/types.ts';
import { CommandError, conflict, notFound } from '../../pipeline/errors.ts';
import { can } from '../../identity/authorize.ts';
import { Property, Room } from '../property/entities.ts';
import { MaintenanceTicket } from './entities.ts';
import { arrivalDueSql, loadOccupancy } from './occupancy.ts';
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

/**
 * room.setStatus for a room this unit of work has not loaded: lock, rule check and write in one
 * statement. The statuses the actor may leave for `to` are worked out first (the same rules as
 * `checkManualTransition`), so the `update ... returning old.status` (PostgreSQL 18) changes the row only
 * when the move is allowed. Everything else (no such room, already that status, a refused move, a room
 * out of order that a ticket may hold, a room already loaded here) takes the entity path, which answers
 * exactly as before.
 */
export async function setStatusByHandById(ctx: CommandContext, roomId: string, to: RoomStatus, reason?: string): Promise<StatusChange> {
  const slowPath = async () => setStatusByHand(ctx, await lockRoom(ctx, roomId), to, reason);
  if (ctx.em.getUnitOfWork().getById(Room, roomId)) return slowPath();
  const caps = { canInspect: await actorMay(ctx, 'task.inspect') };
  const from = ROOM_STATUSES.filter((s) => s !== to && s !== 'out_of_order' && checkManualTransition(s, to, caps, '').ok);
  const rows = await ctx.em.execute<Array<{ previous: RoomStatus; number: string; business_date: string }>>(
    `update room set status = ?, status_reason = ?, version = version + 1
      where id = ? and property_id = ? and deleted_at is null and status = any(?::varchar[])
      returning old.status as previous, number, (select p.business_date::text from property p where p.id = room.property_id) as business_date`,
    [to, reason ?? null, roomId, ctx.propertyId, `{${from.join(',')}}`],
  );
  const row = rows[0];
  if (!row) return slowPath();
  return announceStatus(ctx, { id: roomId, number: row.number }, row.previous, to, reason ?? null, row.business_date);
}

/**
 * room.setStatus's scope: the room's property, and what its fast path plans from (`planStatusByHand`):
 * the room's status and number, whether it is live, and whether a stay arrives in it on the hotel's business
 * date (null when occupancy comes from elsewhere: then the fast path leaves "becomes ready" to `handle`).
 */
export const roomStatusScope = scopeFromQuery((payload: { roomId: string }) => ({
  sql: `select rm.property_id, rm.status, rm.number, rm.deleted_at is null as live,
               ${arrivalDueSql('rm.id', 'rm.property_id', 'pp.business_date') ?? 'null::boolean'} as arrival_due
          from room rm join property pp on pp.id = rm.property_id where rm.id = ?`,
  params: [payload.roomId],
  seen: ['status', 'number', 'live', 'arrival_due'],
}));

/**
 * room.setStatus in one statement with its records (pipeline/types.ts `FastWrite`), for the everyday move
 * the preflight saw: a live room, a real change the actor may make, not out of order (a ticket may hold it),
 * and no front-desk notice due (the room does not become ready for a guest arriving today). The update
 * applies only while the room still has the status seen, so a concurrent change makes it apply to nothing
 * and `handle` runs instead. Anything else is null: `handle` answers exactly as before.
 */
export function planStatusByHand(input: { roomId: string; status: RoomStatus; reason?: string }, { propertyId, access, seen }: FastPlanInput): FastWrite<StatusChange> | null {
  const from = seen.status as RoomStatus;
  const to = input.status;
  if (seen.live !== true || from === to || from === 'out_of_order') return null;
  if (!checkManualTransition(from, to, { canInspect: can(access, 'task.inspect') }, String(seen.number)).ok) return null;
  if (isReadyForArrival(to) && !isReadyForArrival(from) && seen.arrival_due !== false) return null;
  const reason = input.reason ?? null;
  const change = describeChange(input.roomId, from, to, reason);
  return {
    sql: `update room set status = ?, status_reason = ?, version = version + 1
           where id = ? and property_id = ? and deleted_at is null and status = ? returning id`,
    params: [to, reason, input.roomId, propertyId, from],
    events: [{ type: roomStatusChanged.type, payload: change.event }],
    changes: [change.audit],
    result: change.result,
  };
}

/** What a status change tells the audit trail, the boards and the caller. */
function describeChange(roomId: string, previousStatus: RoomStatus, status: RoomStatus, reason: string | null) {
  return {
    audit: { type: 'room', id: roomId, before: { status: previousStatus }, after: { status, ...(reason ? { reason } : {}) } } satisfies EntityChange,
    event: { roomId, status, previousStatus, ...(reason ? { reason } : {}) },
    result: { roomId, status, previousStatus } satisfies StatusChange,
  };
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
  return announceStatus(ctx, room, previousStatus, to, reason);
}

/** Audit, event and the front desk's notice of a status change already written. */
async function announceStatus(ctx: CommandContext, room: { id: string; number: string }, previousStatus: RoomStatus, to: RoomStatus, reason: string | null, businessDate?: string): Promise<StatusChange> {
  const change = describeChange(room.id, previousStatus, to, reason);
  ctx.recordChange(change.audit);
  ctx.emit(roomStatusChanged, change.event);
  if (isReadyForArrival(to) && !isReadyForArrival(previousStatus)) await tellDeskRoomIsReady(ctx, room, to, businessDate);
  return change.result;
}

async function tellDeskRoomIsReady(ctx: CommandContext, room: { id: string; number: string }, status: RoomStatus, businessDate?: string): Promise<void> {
  const date = businessDate ?? (await ctx.em.findOneOrFail(Property, ctx.propertyId)).businessDate;
  const occupancy = await loadOccupancy(ctx.em, ctx.propertyId, date);
  if (!occupancy.arrivals.has(room.id)) return;
  for (const member of await findArrivalDesk(ctx.em, ctx.propertyId)) {
    notifyUser(ctx, member.userId, {
      kind: 'room_ready',
      title: `Room ${room.number} is ready`,
      body: `Room ${room.number} is ${status} for today's arrival.`,
      ref: { type: 'room', id: room.id },
    });
  }
}
