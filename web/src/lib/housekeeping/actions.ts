// Task commands as the board sends them: each shows its expected effect at once (an attendant's phone
// may be offline in a stairwell; the command waits in the queue) and is undone if the server refuses.
import {
  taskAssign,
  taskAutoAssign,
  taskComplete,
  taskInspect,
  taskSetDoNotDisturb,
  taskSkip,
  taskStart,
  type Ack,
  type RoomStatus,
} from '@innboard/shared';
import type { PropertyStore } from '#lib/live/store.svelte.ts';
import { withRoomStatus, withTask, type PropertyReadModel, type Task } from '#lib/live/read-model.ts';

const now = () => new Date().toISOString();
const HELD: ReadonlySet<RoomStatus> = new Set(['out_of_order', 'out_of_service']);

/** The server's room rule, mirrored for the optimistic view: held rooms keep their status. */
function roomAfter(model: PropertyReadModel, roomId: string, to: RoomStatus, onlyFrom?: RoomStatus): PropertyReadModel {
  const room = model.rooms[roomId];
  if (!room || HELD.has(room.status) || (onlyFrom && room.status !== onlyFrom)) return model;
  return withRoomStatus(model, roomId, to);
}

export function startTask(store: PropertyStore, task: Task, viewerId: string | null): Promise<Ack> {
  return store.act(taskStart, { taskId: task.taskId }, {
    targets: [task.taskId, task.roomId],
    // Starting an unassigned task claims it.
    apply: (m) => withTask(m, task.taskId, { status: 'in_progress', startedAt: now(), doNotDisturb: false, assigneeId: task.assigneeId ?? viewerId }),
    failure: `Room ${task.roomNumber} was not started`,
  });
}

export function completeTask(store: PropertyStore, task: Task, viewerId: string | null): Promise<Ack> {
  return store.act(taskComplete, { taskId: task.taskId }, {
    targets: [task.taskId, task.roomId],
    apply: (m) => roomAfter(
      withTask(m, task.taskId, { status: 'done', completedAt: now(), doNotDisturb: false, assigneeId: task.assigneeId ?? viewerId }),
      task.roomId, 'clean', 'dirty',
    ),
    failure: `Room ${task.roomNumber} was not marked done`,
  });
}

export function setDoNotDisturb(store: PropertyStore, task: Task, doNotDisturb: boolean): Promise<Ack> {
  return store.act(taskSetDoNotDisturb, { taskId: task.taskId, doNotDisturb }, {
    targets: [task.taskId, task.roomId],
    apply: (m) => withTask(m, task.taskId, { doNotDisturb, status: doNotDisturb && task.status === 'in_progress' ? 'open' : task.status }),
    failure: `Do not disturb was not ${doNotDisturb ? 'set' : 'cleared'} for room ${task.roomNumber}`,
  });
}

export function skipTask(store: PropertyStore, task: Task, reason: string): Promise<Ack> {
  return store.act(taskSkip, { taskId: task.taskId, reason }, {
    targets: [task.taskId, task.roomId],
    apply: (m) => withTask(m, task.taskId, { status: 'skipped', skipReason: reason }),
    failure: `Room ${task.roomNumber} was not skipped`,
  });
}

export function assignTask(store: PropertyStore, task: Task, assigneeId: string | null): Promise<Ack> {
  return store.act(taskAssign, { taskId: task.taskId, assigneeId }, {
    targets: [task.taskId, task.roomId],
    // A reassigned task has not been started by its new attendant.
    apply: (m) => withTask(m, task.taskId, { assigneeId, status: task.status === 'in_progress' ? 'open' : task.status }),
    failure: `Room ${task.roomNumber} was not ${assigneeId ? 'assigned' : 'unassigned'}`,
  });
}

export function inspectTask(store: PropertyStore, task: Task, passed: boolean, note: string): Promise<Ack> {
  return store.act(taskInspect, { taskId: task.taskId, passed, note: note || undefined }, {
    targets: [task.taskId, task.roomId],
    apply: (m) => passed
      ? roomAfter(withTask(m, task.taskId, { status: 'inspected', inspectedAt: now(), inspectionNote: note || null }), task.roomId, 'inspected')
      : roomAfter(withTask(m, task.taskId, { status: 'open', startedAt: null, completedAt: null, inspectionNote: note || null }), task.roomId, 'dirty'),
    failure: `Room ${task.roomNumber} was not inspected`,
  });
}

/** Spread the unassigned tasks over the attendants (the server decides who gets what). */
export function autoAssign(store: PropertyStore): Promise<Ack> {
  return store.act(taskAutoAssign, { propertyId: store.propertyId }, { failure: 'Tasks were not distributed' });
}
