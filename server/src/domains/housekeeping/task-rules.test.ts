import { describe, expect, it } from 'vitest';
import { compareTasks, type TaskView } from '@innboard/shared';
import { balanceAssignments, FLOOR_SLACK_MINUTES, type AssignableTask } from './auto-assign.ts';
import type { RoomOccupancy } from './occupancy.ts';
import { planDailyTasks, priorityFor } from './task-rules.ts';

const occ = (o: Partial<Record<keyof RoomOccupancy, string[]>>): RoomOccupancy => ({
  inHouse: new Set(o.inHouse ?? []), arrivals: new Set(o.arrivals ?? []), departures: new Set(o.departures ?? []),
});
const rooms = ['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => ({ id, status: 'clean' as const }));

describe('daily service rule', () => {
  it('plans a stayover for each in-house room whose guest is not leaving today', () => {
    const drafts = planDailyTasks({ rooms, occupancy: occ({ inHouse: ['r1', 'r2', 'r3'], departures: ['r2'] }), existing: [], turndown: false });
    expect(drafts).toEqual([
      { roomId: 'r1', type: 'stayover', priority: 'normal', estimatedMinutes: 15 },
      { roomId: 'r3', type: 'stayover', priority: 'normal', estimatedMinutes: 15 },
    ]);
  });

  it('adds turndown when asked, skips out-of-order rooms and what already exists', () => {
    const withOoo = rooms.map((r) => (r.id === 'r4' ? { ...r, status: 'out_of_order' as const } : r));
    const drafts = planDailyTasks({
      rooms: withOoo,
      occupancy: occ({ inHouse: ['r1', 'r3', 'r4'] }),
      existing: [{ roomId: 'r1', type: 'stayover' }],
      turndown: true,
    });
    expect(drafts.map((d) => `${d.roomId}:${d.type}:${d.priority}`)).toEqual(['r1:turndown:low', 'r3:stayover:normal', 'r3:turndown:low']);
  });

  it('plans nothing when no stays are known (the pre-merge default)', () => {
    expect(planDailyTasks({ rooms, occupancy: occ({}), existing: [], turndown: true })).toEqual([]);
  });

  it('puts a departure clean first when someone arrives in that room today', () => {
    const o = occ({ arrivals: ['r1'] });
    expect(priorityFor('departure_clean', 'r1', o)).toBe('high');
    expect(priorityFor('departure_clean', 'r2', o)).toBe('normal');
    expect(priorityFor('touch_up', 'r1', o)).toBe('high');
    expect(priorityFor('turndown', 'r1', o)).toBe('low');
  });
});

describe('auto-assignment', () => {
  const floorTasks = (floor: number, n: number, minutes = 35): AssignableTask[] =>
    Array.from({ length: n }, (_, i) => ({ id: `${floor}-${i}`, floor, roomNumber: `${floor}${String(i + 1).padStart(2, '0')}`, priority: 'normal', minutes }));
  const fresh = (...ids: string[]) => ids.map((userId) => ({ userId, loadMinutes: 0, floors: new Set<number>() }));
  const loads = (plan: Map<string, string>, tasks: AssignableTask[]) => {
    const out: Record<string, number> = {};
    for (const t of tasks) out[plan.get(t.id)!] = (out[plan.get(t.id)!] ?? 0) + t.minutes;
    return out;
  };
  const floorsOf = (plan: Map<string, string>, tasks: AssignableTask[], userId: string) => new Set(tasks.filter((t) => plan.get(t.id) === userId).map((t) => t.floor));

  it('gives each attendant a floor when floors are even', () => {
    const tasks = [...floorTasks(1, 10), ...floorTasks(2, 10)];
    const plan = balanceAssignments(tasks, fresh('a', 'b'));
    expect(plan.size).toBe(20);
    expect(loads(plan, tasks)).toEqual({ a: 350, b: 350 });
    expect([...floorsOf(plan, tasks, 'a')]).toHaveLength(1);
    expect([...floorsOf(plan, tasks, 'b')]).toHaveLength(1);
  });

  it('balances uneven floors within one task plus the slack', () => {
    const tasks = [...floorTasks(1, 15), ...floorTasks(2, 5), ...floorTasks(3, 7, 15)];
    const plan = balanceAssignments(tasks, fresh('a', 'b', 'c'));
    const l = Object.values(loads(plan, tasks));
    expect(l).toHaveLength(3);
    expect(Math.max(...l) - Math.min(...l)).toBeLessThanOrEqual(35 + FLOOR_SLACK_MINUTES);
  });

  it('counts work already on an attendant\'s list and keeps them on their floor', () => {
    const tasks = floorTasks(3, 4);
    const plan = balanceAssignments(tasks, [
      { userId: 'busy', loadMinutes: 300, floors: new Set([1]) },
      { userId: 'idle', loadMinutes: 0, floors: new Set([3]) },
    ]);
    expect(new Set(plan.values())).toEqual(new Set(['idle']));
  });

  it('assigns nothing without attendants', () => {
    expect(balanceAssignments(floorTasks(1, 3), []).size).toBe(0);
  });
});

describe('attendant order', () => {
  const view = (o: Partial<TaskView>): TaskView => ({ priority: 'normal', doNotDisturb: false, floor: 1, roomNumber: '101', ...o }) as TaskView;
  it('puts arrivals first, do-not-disturb last, then floor and room number', () => {
    const list = [
      view({ roomNumber: '110', floor: 1 }),
      view({ roomNumber: '204', floor: 2, priority: 'high' }),
      view({ roomNumber: '102', floor: 1, doNotDisturb: true, priority: 'urgent' }),
      view({ roomNumber: '109', floor: 1 }),
    ].sort(compareTasks);
    expect(list.map((t) => t.roomNumber)).toEqual(['204', '109', '110', '102']);
  });
});
