// Tasks made by rules rather than by hand: the departure clean when a guest leaves, the daily
// stayover (and turndown) service, and the supervisor's auto-balance of who cleans what.
import { LockMode } from '@mikro-orm/core';
import { ACTIVE_TASK_STATUSES, type EventPayloadOf, type PayloadOf, type RoomStatus, type TaskView, type taskAutoAssign, type taskGenerateDaily } from '@innboard/shared';
import type { ReservationView } from '@innboard/shared';
import type { reservationCheckedOut } from '@innboard/shared/protocol/reservations';
import type { CommandContext } from '../../pipeline/types.ts';
import { invalid } from '../../pipeline/errors.ts';
import { User } from '../../identity/entities.ts';
import { Property, Room } from '../property/entities.ts';
import { HousekeepingTask } from './entities.ts';
import { loadOccupancy } from './occupancy.ts';
import { findStaff } from './people.ts';
import { notifyUser } from '../notifications/notify.ts';
import { applyRoomEvent, lockRoom } from './room-status.service.ts';
import { balanceAssignments } from './auto-assign.ts';
import { DEFAULT_MINUTES, planDailyTasks, priorityFor } from './task-rules.ts';
import { businessDateOf, saveNewTask, saveNewTasks, saveTasksChanges } from './task.store.ts';
import { toTaskView } from './views.ts';

type CheckedOut = EventPayloadOf<typeof reservationCheckedOut>;

/**
 * A guest checked out: the room turns dirty and a departure clean is queued (first in line when
 * someone arrives in that room today). The day's stayover and turndown for the room are moot.
 * Runs inside the check-out's unit of work (a reaction), so both commit or neither does.
 */
export async function queueDepartureClean(ctx: CommandContext, checkedOut: CheckedOut): Promise<TaskView | null> {
  const room = await lockRoom(ctx, checkedOut.roomId);
  await applyRoomEvent(ctx, room, 'guest_departed', 'Guest checked out');
  const already = await ctx.em.findOne(HousekeepingTask, {
    room, type: 'departure_clean', reservationId: checkedOut.reservationId, status: { $in: [...ACTIVE_TASK_STATUSES] },
  });
  // The same check-out seen twice (a replayed event) must not double the work.
  if (already) return null;
  const serviceDate = await businessDateOf(ctx);
  const moot = await ctx.em.find(HousekeepingTask, { room, serviceDate, type: { $in: ['stayover', 'turndown'] }, status: { $in: ['open', 'in_progress'] } });
  await saveTasksChanges(ctx, moot.map((task) => {
    const before = toTaskView(task);
    task.status = 'skipped';
    task.skipReason = 'Guest checked out';
    return { task, before };
  }));
  const occupancy = await loadOccupancy(ctx.em, ctx.propertyId, serviceDate);
  const task = ctx.em.create(HousekeepingTask, {
    property: ctx.propertyId,
    room,
    type: 'departure_clean',
    priority: priorityFor('departure_clean', room.id, occupancy),
    estimatedMinutes: DEFAULT_MINUTES.departure_clean,
    serviceDate,
    reservationId: checkedOut.reservationId,
    note: checkedOut.early ? 'Early departure' : null,
  });
  return saveNewTask(ctx, task);
}

/**
 * A stay now holds a room and arrives today (booked, assigned, moved or re-dated): the room's
 * unfinished departure clean goes up to high, so the attendants turn it before the guest walks in.
 * Runs in the front desk's unit of work; a clean already high or urgent is left alone (no event).
 */
export async function raiseCleanForArrival(ctx: CommandContext, stay: ReservationView): Promise<TaskView[]> {
  if (!stay.roomId || (stay.status !== 'tentative' && stay.status !== 'confirmed')) return [];
  if (stay.arrival !== (await businessDateOf(ctx))) return [];
  const pending = await ctx.em.find(HousekeepingTask, {
    property: ctx.propertyId, room: stay.roomId, type: 'departure_clean', status: { $in: ['open', 'in_progress'] }, priority: { $in: ['low', 'normal'] },
  });
  if (pending.length === 0) return [];
  // Room lock first, as every task rule does, then re-read the tasks under it.
  await lockRoom(ctx, stay.roomId);
  const tasks = await Promise.all(pending.map((t) => ctx.em.refreshOrFail(t, { lockMode: LockMode.PESSIMISTIC_WRITE })));
  return saveTasksChanges(ctx, tasks.filter((t) => t.priority === 'low' || t.priority === 'normal').map((task) => {
    const before = toTaskView(task);
    task.priority = 'high';
    return { task, before };
  }));
}

/**
 * The day's service tasks for in-house rooms (see planDailyTasks). Meant for a supervisor's button
 * or a scheduler; running it twice for a day creates nothing the second time.
 */
export async function generateDailyTasks(ctx: CommandContext, input: PayloadOf<typeof taskGenerateDaily>): Promise<{ date: string; created: TaskView[] }> {
  // Two runs racing for the same day: the unique index housekeeping_task_daily_unique lets one
  // commit and answers the other CONFLICT (a retry then creates nothing). A property row lock would
  // serialise them too, but it blocks the foreign-key checks of every concurrent task insert.
  const property = await ctx.em.findOneOrFail(Property, ctx.propertyId);
  if (input.date < property.businessDate) throw invalid(`${input.date} is already closed; the hotel day is ${property.businessDate}`);
  const rooms = await ctx.em.find(Room, { property: ctx.propertyId, deletedAt: null }, { orderBy: { floor: 'asc', number: 'asc' } });
  const existing = await ctx.em.find(HousekeepingTask, { property: ctx.propertyId, serviceDate: input.date, type: { $in: ['stayover', 'turndown'] } });
  const occupancy = await loadOccupancy(ctx.em, ctx.propertyId, input.date);
  const drafts = planDailyTasks({
    rooms: rooms.map((r) => ({ id: r.id, status: r.status as RoomStatus })),
    occupancy,
    existing: existing.map((t) => ({ roomId: t.room.id, type: t.type })),
    turndown: input.turndown ?? false,
  });
  const byId = new Map(rooms.map((r) => [r.id, r]));
  const tasks = drafts.map((d) => ctx.em.create(HousekeepingTask, {
    property: ctx.propertyId, room: byId.get(d.roomId)!, type: d.type, priority: d.priority, estimatedMinutes: d.estimatedMinutes, serviceDate: input.date,
  }));
  return { date: input.date, created: await saveNewTasks(ctx, tasks) };
}

/** Spreads the unassigned open tasks of a day (and earlier leftovers) over the attendants. */
export async function autoAssignTasks(ctx: CommandContext, input: PayloadOf<typeof taskAutoAssign>): Promise<{ assignments: Array<{ taskId: string; assigneeId: string }> }> {
  const date = input.date ?? (await businessDateOf(ctx));
  const staff = await findStaff(ctx.em, ctx.propertyId);
  const attendantIds = input.attendantIds ?? staff.filter((s) => s.role === 'housekeeper').map((s) => s.userId);
  const unknown = attendantIds.filter((id) => !staff.some((s) => s.userId === id));
  if (unknown.length) throw invalid('Some of those people are not on this hotel\'s housekeeping staff', { userIds: unknown });
  if (attendantIds.length === 0) throw invalid('There are no attendants to assign to');

  // Locked so a supervisor's manual assignment in the meantime is not overwritten.
  const open = await ctx.em.find(
    HousekeepingTask,
    { property: ctx.propertyId, status: 'open', assignee: null, serviceDate: { $lte: date } },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  const current = await ctx.em.find(HousekeepingTask, {
    property: ctx.propertyId, status: { $in: ['open', 'in_progress'] }, assignee: { $in: attendantIds }, serviceDate: { $lte: date },
  });
  await ctx.em.populate([...open, ...current], ['room']);
  const plan = balanceAssignments(
    open.map((t) => ({ id: t.id, floor: t.room.floor, roomNumber: t.room.number, priority: t.priority, minutes: t.estimatedMinutes })),
    attendantIds.map((userId) => {
      const mine = current.filter((t) => t.assignee?.id === userId);
      return { userId, loadMinutes: mine.reduce((sum, t) => sum + t.estimatedMinutes, 0), floors: new Set(mine.map((t) => t.room.floor)) };
    }),
  );
  const edits = open.map((task) => {
    const before = toTaskView(task);
    task.assignee = ctx.em.getReference(User, plan.get(task.id)!);
    return { task, before };
  });
  await saveTasksChanges(ctx, edits);
  const assignments = open.map((t) => ({ taskId: t.id, assigneeId: plan.get(t.id)! }));
  // One notice per attendant rather than one per room.
  for (const userId of attendantIds) {
    const rooms = open.filter((t) => plan.get(t.id) === userId).map((t) => t.room.number);
    if (rooms.length === 0) continue;
    notifyUser(ctx, userId, {
      kind: 'task_assigned',
      title: `${rooms.length} room${rooms.length === 1 ? '' : 's'} added to your list`,
      body: `Rooms ${rooms.join(', ')}.`,
      ref: { type: 'task', id: open.find((t) => plan.get(t.id) === userId)!.id },
    });
  }
  return { assignments };
}
