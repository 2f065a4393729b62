// Auto-balancing of tasks among attendants, as a pure function.
import type { WorkPriority } from '@innboard/shared';

export interface AssignableTask {
  id: string;
  floor: number;
  roomNumber: string;
  priority: WorkPriority;
  minutes: number;
}

export interface Attendant {
  userId: string;
  /** Minutes already on their list (assigned, not finished). */
  loadMinutes: number;
  /** Floors they already work on. */
  floors: ReadonlySet<number>;
}

/**
 * How far past a fair share an attendant may go to stay on a floor they already work: walking to
 * another floor with a cart costs more than a short room.
 */
export const FLOOR_SLACK_MINUTES = 15;

const RANK: Record<WorkPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/**
 * Fills attendants floor by floor towards a fair share of all minutes (their current load counts).
 * A task goes to the least-loaded attendant already on its floor while that keeps them within the
 * fair share plus FLOOR_SLACK_MINUTES; otherwise to the least-loaded attendant overall, who then
 * joins that floor. Result: each attendant's rooms cluster on few floors and loads end within about
 * one task of each other.
 */
export function balanceAssignments(tasks: readonly AssignableTask[], attendants: readonly Attendant[]): Map<string, string> {
  const result = new Map<string, string>();
  if (attendants.length === 0) return result;
  const state = attendants.map((a) => ({ userId: a.userId, load: a.loadMinutes, floors: new Set(a.floors) }));
  const total = state.reduce((sum, a) => sum + a.load, 0) + tasks.reduce((sum, t) => sum + t.minutes, 0);
  const fairShare = total / state.length;
  const ordered = [...tasks].sort((a, b) => a.floor - b.floor || RANK[a.priority] - RANK[b.priority] || a.roomNumber.localeCompare(b.roomNumber, 'en', { numeric: true }));
  const lighter = (x: (typeof state)[number], y: (typeof state)[number]) => x.load - y.load || x.userId.localeCompare(y.userId);
  for (const task of ordered) {
    const onFloor = state.filter((s) => s.floors.has(task.floor) && s.load + task.minutes <= fairShare + FLOOR_SLACK_MINUTES).sort(lighter);
    const pick = onFloor[0] ?? [...state].sort(lighter)[0]!;
    pick.load += task.minutes;
    pick.floors.add(task.floor);
    result.set(task.id, pick.userId);
  }
  return result;
}
