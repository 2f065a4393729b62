// Rules of working a task: who may touch it, which status follows which, and what the room does.
import type {
  PayloadOf, TaskStatus, TaskView, taskAssign, taskComplete, taskCreate, taskInspect, taskSetDoNotDisturb, taskSkip, taskStart,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, forbidden, invalid } from '../../pipeline/errors.ts';
import { User } from '../../identity/entities.ts';
import { HousekeepingTask } from './entities.ts';
import { loadOccupancy } from './occupancy.ts';
import { actorMay, findStaff } from './people.ts';
import { notifyUser } from '../notifications/notify.ts';
import { applyRoomEvent, lockRoom } from './room-status.service.ts';
import { DEFAULT_MINUTES, priorityFor } from './task-rules.ts';
import { businessDateOf, lockTaskWithRoom, saveNewTask, saveTaskChanges } from './task.store.ts';
import { toTaskView } from './views.ts';

const WORKABLE: readonly TaskStatus[] = ['open', 'in_progress'];

/**
 * Attendants act on their own tasks; supervisors (task.manage) on anyone's. An unassigned task is
 * nobody's yet: `claim` makes the attendant its assignee (start, finish or skip it and it is theirs),
 * `shared` leaves it unassigned (anyone may flag "do not disturb" on a door they pass).
 */
async function requireOwnTask(ctx: CommandContext, task: HousekeepingTask, mode: 'claim' | 'shared'): Promise<void> {
  if (task.assignee?.id === ctx.actor.userId) return;
  if (await actorMay(ctx, 'task.manage')) return;
  if (!task.assignee) {
    if (mode === 'claim') task.assignee = ctx.em.getReference(User, ctx.actor.userId);
    return;
  }
  throw forbidden(`Room ${task.room.number} is on someone else's list; ask a supervisor to reassign it`);
}

function requireStatus(task: HousekeepingTask, allowed: readonly TaskStatus[], doing: string): void {
  if (!allowed.includes(task.status)) throw conflict(`Cannot ${doing} the task for room ${task.room.number}: it is ${task.status.replace('_', ' ')}`, { status: task.status });
}

export async function createTask(ctx: CommandContext, input: PayloadOf<typeof taskCreate>): Promise<TaskView> {
  const room = await lockRoom(ctx, input.roomId);
  const serviceDate = await businessDateOf(ctx);
  const occupancy = await loadOccupancy(ctx.em, ctx.propertyId, serviceDate);
  const task = ctx.em.create(HousekeepingTask, {
    property: ctx.propertyId,
    room,
    type: input.type,
    priority: input.priority ?? priorityFor(input.type, room.id, occupancy),
    estimatedMinutes: input.estimatedMinutes ?? DEFAULT_MINUTES[input.type],
    serviceDate,
    note: input.note ?? null,
    createdById: ctx.actor.userId,
  });
  return saveNewTask(ctx, task);
}

export async function assignTask(ctx: CommandContext, input: PayloadOf<typeof taskAssign>): Promise<TaskView> {
  const { task } = await lockTaskWithRoom(ctx, input.taskId);
  const before = toTaskView(task);
  if ((task.assignee?.id ?? null) === input.assigneeId) return before;
  requireStatus(task, WORKABLE, 'reassign');
  if (input.assigneeId !== null) {
    const staff = await findStaff(ctx.em, ctx.propertyId);
    if (!staff.some((s) => s.userId === input.assigneeId)) throw invalid('That person is not on this hotel\'s housekeeping staff');
  }
  task.assignee = input.assigneeId === null ? null : ctx.em.getReference(User, input.assigneeId);
  // The new attendant has not started it.
  if (task.status === 'in_progress') {
    task.status = 'open';
    task.startedAt = null;
  }
  const view = await saveTaskChanges(ctx, task, before);
  if (input.assigneeId !== null) {
    notifyUser(ctx, input.assigneeId, {
      kind: 'task_assigned',
      title: `Room ${task.room.number} is on your list`,
      body: `${task.type.replace('_', ' ')} in room ${task.room.number}, about ${task.estimatedMinutes} min.`,
      ref: { type: 'task', id: task.id },
    });
  }
  return view;
}

export async function startTask(ctx: CommandContext, input: PayloadOf<typeof taskStart>): Promise<TaskView> {
  const { task } = await lockTaskWithRoom(ctx, input.taskId);
  const before = toTaskView(task);
  await requireOwnTask(ctx, task, 'claim');
  if (task.status === 'in_progress') return saveTaskChanges(ctx, task, before);
  requireStatus(task, ['open'], 'start');
  task.status = 'in_progress';
  task.startedAt = ctx.now;
  // Someone is in the room now, so the sign is gone.
  task.doNotDisturb = false;
  return saveTaskChanges(ctx, task, before);
}

export async function completeTask(ctx: CommandContext, input: PayloadOf<typeof taskComplete>): Promise<TaskView> {
  const { task, room } = await lockTaskWithRoom(ctx, input.taskId);
  const before = toTaskView(task);
  await requireOwnTask(ctx, task, 'claim');
  if (task.status === 'done') return saveTaskChanges(ctx, task, before);
  requireStatus(task, WORKABLE, 'finish');
  task.status = 'done';
  task.startedAt ??= ctx.now;
  task.completedAt = ctx.now;
  task.doNotDisturb = false;
  const view = await saveTaskChanges(ctx, task, before);
  await applyRoomEvent(ctx, room, 'task_done', `Cleaned (${task.type.replace('_', ' ')})`);
  return view;
}

export async function skipTask(ctx: CommandContext, input: PayloadOf<typeof taskSkip>): Promise<TaskView> {
  const { task } = await lockTaskWithRoom(ctx, input.taskId);
  const before = toTaskView(task);
  await requireOwnTask(ctx, task, 'claim');
  requireStatus(task, WORKABLE, 'skip');
  task.status = 'skipped';
  task.skipReason = input.reason;
  return saveTaskChanges(ctx, task, before);
}

export async function setDoNotDisturb(ctx: CommandContext, input: PayloadOf<typeof taskSetDoNotDisturb>): Promise<TaskView> {
  const { task } = await lockTaskWithRoom(ctx, input.taskId);
  const before = toTaskView(task);
  await requireOwnTask(ctx, task, 'shared');
  if (task.doNotDisturb === input.doNotDisturb) return before;
  requireStatus(task, WORKABLE, 'flag');
  task.doNotDisturb = input.doNotDisturb;
  // The attendant had to leave: the task waits, open, for the sign to come off.
  if (input.doNotDisturb && task.status === 'in_progress') task.status = 'open';
  return saveTaskChanges(ctx, task, before);
}

export async function inspectTask(ctx: CommandContext, input: PayloadOf<typeof taskInspect>): Promise<TaskView> {
  const { task, room } = await lockTaskWithRoom(ctx, input.taskId);
  const before = toTaskView(task);
  requireStatus(task, ['done'], 'inspect');
  task.inspectedById = ctx.actor.userId;
  task.inspectionNote = input.note ?? null;
  if (input.passed) {
    task.status = 'inspected';
    task.inspectedAt = ctx.now;
    const view = await saveTaskChanges(ctx, task, before);
    await applyRoomEvent(ctx, room, 'inspection_passed', 'Inspection passed');
    return view;
  }
  // Failed: back on the same attendant's list with the supervisor's note.
  task.status = 'open';
  task.startedAt = null;
  task.completedAt = null;
  const view = await saveTaskChanges(ctx, task, before);
  await applyRoomEvent(ctx, room, 'inspection_failed', input.note ? `Inspection failed: ${input.note}` : 'Inspection failed');
  if (task.assignee) {
    notifyUser(ctx, task.assignee.id, {
      kind: 'task_reopened',
      title: `Room ${room.number} needs another pass`,
      body: input.note ?? 'The room did not pass inspection.',
      ref: { type: 'task', id: task.id },
    });
  }
  return view;
}
