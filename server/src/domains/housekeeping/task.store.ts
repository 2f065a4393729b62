// Loading, locking and saving tasks: the plumbing every task rule shares.
import { LockMode } from '@mikro-orm/core';
import { taskCreated, taskUpdated, type TaskView } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { notFound } from '../../pipeline/errors.ts';
import { Property, type Room } from '../property/entities.ts';
import { HousekeepingTask } from './entities.ts';
import { lockRoom } from './room-status.service.ts';
import { toTaskView } from './views.ts';

/**
 * Locks a task and its room. The room is locked first, everywhere (check-out, room.setStatus and
 * task commands alike), so two commands touching the same room queue up instead of deadlocking.
 */
export async function lockTaskWithRoom(ctx: CommandContext, taskId: string): Promise<{ task: HousekeepingTask; room: Room }> {
  const found = await ctx.em.findOne(HousekeepingTask, { id: taskId, property: ctx.propertyId });
  if (!found) throw notFound('Task');
  const room = await lockRoom(ctx, found.room.id);
  // Re-read under the lock: what we saw before waiting may have changed.
  const task = await ctx.em.refreshOrFail(found, { lockMode: LockMode.PESSIMISTIC_WRITE });
  return { task, room };
}

export async function businessDateOf(ctx: CommandContext): Promise<string> {
  return (await ctx.em.findOneOrFail(Property, ctx.propertyId)).businessDate;
}

/** Persists new tasks in one flush, audits them and announces `task.created` for each. */
export async function saveNewTasks(ctx: CommandContext, tasks: readonly HousekeepingTask[]): Promise<TaskView[]> {
  if (tasks.length === 0) return [];
  for (const task of tasks) ctx.em.persist(task);
  await ctx.em.flush();
  return tasks.map((task) => {
    const view = toTaskView(task);
    ctx.recordChange({ type: 'task', id: task.id, after: view });
    ctx.emit(taskCreated, view);
    return view;
  });
}

export async function saveNewTask(ctx: CommandContext, task: HousekeepingTask): Promise<TaskView> {
  return (await saveNewTasks(ctx, [task]))[0]!;
}

/**
 * Persists changes to tasks in one flush, audits the changed fields and announces `task.updated`
 * for each task that changed. A task that did not change gets no event (no change, no seq).
 */
export async function saveTasksChanges(ctx: CommandContext, edits: ReadonlyArray<{ task: HousekeepingTask; before: TaskView }>): Promise<TaskView[]> {
  const changed = edits.map((e) => ({ ...e, diff: diff(e.before, toTaskView(e.task)) }));
  if (changed.some((c) => c.diff)) await ctx.em.flush();
  return changed.map(({ task, before, diff: d }) => {
    if (!d) return before;
    const view = toTaskView(task);
    ctx.recordChange({ type: 'task', id: task.id, before: d.before, after: d.after });
    ctx.emit(taskUpdated, view);
    return view;
  });
}

export async function saveTaskChanges(ctx: CommandContext, task: HousekeepingTask, before: TaskView): Promise<TaskView> {
  return (await saveTasksChanges(ctx, [{ task, before }]))[0]!;
}

const VOLATILE = new Set(['updatedAt', 'version']);

function diff(before: TaskView, after: TaskView) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof TaskView)[]) {
    if (VOLATILE.has(key) || before[key] === after[key]) continue;
    b[key] = before[key];
    a[key] = after[key];
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}
