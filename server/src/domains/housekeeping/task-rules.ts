// Which tasks exist, how urgent and how long: pure rules, unit-tested without a database.
import type { RoomStatus, TaskType, WorkPriority } from '@innboard/shared';
import type { RoomOccupancy } from './occupancy.ts';

/** Planning estimates; a supervisor can override them on ad-hoc tasks. */
export const DEFAULT_MINUTES: Record<TaskType, number> = {
  departure_clean: 35,
  stayover: 15,
  turndown: 10,
  deep_clean: 90,
  touch_up: 10,
};

/** A room with a guest arriving today is cleaned first: the guest is waiting for it. */
export function priorityFor(type: TaskType, roomId: string, occupancy: RoomOccupancy): WorkPriority {
  if (type === 'turndown') return 'low';
  if (occupancy.arrivals.has(roomId) && type !== 'stayover') return 'high';
  return 'normal';
}

export interface TaskDraft {
  roomId: string;
  type: TaskType;
  priority: WorkPriority;
  estimatedMinutes: number;
}

export interface DailyPlanInput {
  rooms: ReadonlyArray<{ id: string; status: RoomStatus }>;
  occupancy: RoomOccupancy;
  /** Tasks that already exist for the day (any status): a rerun must not duplicate them. */
  existing: ReadonlyArray<{ roomId: string; type: TaskType }>;
  turndown: boolean;
}

/**
 * The day's service tasks: a stayover service for every in-house room whose guest is not leaving
 * today (a departing guest's room gets its departure clean at check-out instead), and a turndown
 * for the same rooms when asked. Rooms out of order get nothing: nobody sleeps there.
 */
export function planDailyTasks(input: DailyPlanInput): TaskDraft[] {
  const have = new Set(input.existing.map((t) => `${t.roomId}:${t.type}`));
  const types: TaskType[] = input.turndown ? ['stayover', 'turndown'] : ['stayover'];
  const drafts: TaskDraft[] = [];
  for (const room of input.rooms) {
    if (!input.occupancy.inHouse.has(room.id) || input.occupancy.departures.has(room.id)) continue;
    if (room.status === 'out_of_order') continue;
    for (const type of types) {
      if (have.has(`${room.id}:${type}`)) continue;
      drafts.push({ roomId: room.id, type, priority: priorityFor(type, room.id, input.occupancy), estimatedMinutes: DEFAULT_MINUTES[type] });
    }
  }
  return drafts;
}
