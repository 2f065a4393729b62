// Applies the room status machine (room-status.ts) inside a command: validates, writes, audits and
// announces every change, and tells the front desk when an arriving guest's room becomes ready.
import { LockMode } from '@mikro-orm/core';
import { OPEN_TICKET_STATUSES, ROOM_STATUSES, roomStatusChanged, type Permission, type RoomStatus } from '@innboard/shared';
import { byEntity, type CommandContext, type EntityChange, type FastPlan } from '../../pipeline/types.ts';
import { returned } from '../../pipeline/returned.ts';
import { CommandError, conflict, notFound } from '../../pipeline/errors.ts';
import { Property, Room } from '../property/entities.ts';
import { MaintenanceTicket } from './entities.ts';
import { arrivalDueSql, loadOccupancy } from './occupancy.ts';
import { ARRIVAL_DESK_PERMISSION, findArrivalDesk, actorMay } from './people.ts';
import { notifyUser } from '../notifications/notify.ts';
import { checkManualTransition, isReadyForArrival, statusAfter, type RoomEvent, type StatusCapabilities } from './room-status.ts';

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
  const from = leavableFor(to, { canInspect: await actorMay(ctx, 'task.inspect') });
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
 * The statuses an actor with `caps` may leave for `to` by hand with nothing else to check: the rules of
 * `checkManualTransition`, without the status itself and out_of_order (a maintenance ticket may hold the room).
 */
function leavableFor(to: RoomStatus, caps: StatusCapabilities): RoomStatus[] {
  return ROOM_STATUSES.filter((s) => s !== to && s !== 'out_of_order' && checkManualTransition(s, to, caps, '').ok);
}

const pgArray = (values: readonly string[]) => `{${values.join(',')}}`;

/** room.setStatus's scope: the room's property (a deleted room's too; `handle` answers NOT_FOUND for it). */
export const roomStatusScope = byEntity('room', 'roomId');

/**
 * room.setStatus as ONE statement with its records (pipeline/types.ts `FastWrite`), for the everyday move: a
 * live room, a real change the caller may make (the allowed previous statuses per capability, from the same
 * rule table as `setStatusByHand`), not out of order (a ticket may hold it). The caller's membership, activity
 * and permissions are read by the same statement. When the room becomes ready while a stay arrives in it on the
 * business date, the statement also stores the front desk's notice (`tellDeskRoomIsReady`'s rule as SQL); with
 * occupancy from another source only a ready room may stay ready here. Anything else applies to nothing, and the
 * preflight and `handle` answer as before.
 */
export const fastStatusByHand: FastPlan<{ roomId: string; status: RoomStatus; reason?: string }, StatusChange> = {
  target: (input) => input.roomId,
  plan(input, { propertyId, caller }) {
    const to = input.status;
    const reason = input.reason ?? null;
    const change = describeChange(input.roomId, returned<RoomStatus>('previous'), to, reason);
    const ready = pgArray(ROOM_STATUSES.filter(isReadyForArrival));
    const arrival = isReadyForArrival(to) ? arrivalDueSql('room.id', 'room.property_id', 'pp.business_date') : null;
    const onlyFromReady = isReadyForArrival(to) && !arrival;
    // The notice's text with the room number left to the statement (format's %1$s), when there may be a notice.
    const text = arrival ? roomReadyNotice('%1$s', to) : null;
    return {
      sql: `update room set status = ?, status_reason = ?, version = version + 1
              from ${caller.sql} as caller, property pp
             where room.id = ? and room.property_id = ? and pp.id = room.property_id and room.deleted_at is null
               and room.status = any(case when ?::text = any(caller.permissions) then ?::varchar[] else ?::varchar[] end)${onlyFromReady ? ' and room.status = any(?::varchar[])' : ''}
         returning old.status as previous, caller.role as actor_role${arrival
           ? `, (old.status <> all(?::varchar[]) and ${arrival}) as tell_desk, format(?::text, room.number) as notice_title, format(?::text, room.number) as notice_body`
           : ''}`,
      params: [
        to, reason, ...caller.params, input.roomId, propertyId,
        'task.inspect' satisfies Permission, pgArray(leavableFor(to, { canInspect: true })), pgArray(leavableFor(to, { canInspect: false })),
        ...(onlyFromReady ? [ready] : []),
        ...(text ? [ready, text.title, text.body] : []),
      ],
      events: [{ type: roomStatusChanged.type, payload: change.event }],
      changes: [change.audit],
      result: change.result,
      notice: arrival
        ? { when: returned<boolean>('tell_desk'), permission: ARRIVAL_DESK_PERMISSION, kind: 'room_ready', title: returned<string>('notice_title'), body: returned<string>('notice_body'), ref: { type: 'room', id: input.roomId } }
        : undefined,
    };
  },
};

/** What the front desk reads when a room becomes ready for today's arrival. */
function roomReadyNotice(number: string, status: RoomStatus) {
  return { title: `Room ${number} is ready`, body: `Room ${number} is ${status} for today's arrival.` };
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
    notifyUser(ctx, member.userId, { kind: 'room_ready', ...roomReadyNotice(room.number, status), ref: { type: 'room', id: room.id } });
  }
}
