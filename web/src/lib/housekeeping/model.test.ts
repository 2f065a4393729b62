import { describe, expect, it } from 'vitest';
import type { StaffMember } from '@innboard/shared';
import type { PropertyInfo, Room } from '#lib/live/read-model.ts';
import { EMPTY_FRONT_DESK } from '#lib/frontdesk/model.ts';
import { HUGO, SARA, room, task, ticket } from '#lib/testing/fixtures.ts';
import {
  DEFAULT_TICKET_FILTER,
  NO_ROOM_FILTER,
  assignmentBoard,
  currentTaskByRoom,
  filterRooms,
  filterTickets,
  personName,
  roomFlags,
  taskProgress,
  tasksForAttendant,
} from './model.ts';

const staff: StaffMember[] = [
  { userId: SARA, name: 'Sara', role: 'housekeeping_supervisor' },
  { userId: HUGO, name: 'Hugo', role: 'housekeeper' },
];

describe('housekeeping views', () => {
  it("picks the task a room's tile shows", () => {
    const current = currentTaskByRoom([
      task('a', 'r101', { status: 'inspected', updatedAt: '2026-11-21T08:00:00Z' }),
      task('b', 'r101', { status: 'open' }),
      task('c', 'r102', { status: 'skipped', updatedAt: '2026-11-21T08:00:00Z' }),
      task('d', 'r102', { status: 'inspected', updatedAt: '2026-11-21T07:00:00Z' }),
      task('e', 'r103', { status: 'done', updatedAt: '2026-11-21T07:00:00Z' }),
      task('f', 'r103', { status: 'done', updatedAt: '2026-11-21T09:00:00Z' }),
    ]);
    expect(current.get('r101')?.taskId).toBe('b');
    expect(current.get('r102')?.taskId).toBe('d');
    expect(current.get('r103')?.taskId).toBe('f');
  });

  it('counts task progress', () => {
    const p = taskProgress([task('a', 'r1'), task('b', 'r2', { status: 'done' }), task('c', 'r3', { status: 'done' })]);
    expect(p).toMatchObject({ total: 3, open: 1, done: 2, inspected: 0 });
  });

  it("orders an attendant's rooms: the one in work, then priority, do-not-disturb last", () => {
    const { todo, finished } = tasksForAttendant(
      [
        task('dnd', 'r101', { assigneeId: HUGO, priority: 'urgent', doNotDisturb: true }),
        task('low', 'r102', { assigneeId: HUGO, priority: 'low' }),
        task('high', 'r305', { assigneeId: HUGO, priority: 'high' }),
        task('work', 'r401', { assigneeId: HUGO, status: 'in_progress' }),
        task('theirs', 'r103', { assigneeId: SARA }),
        task('fin', 'r104', { assigneeId: HUGO, status: 'done', completedAt: '2026-11-21T09:00:00Z' }),
      ],
      HUGO,
    );
    expect(todo.map((t) => t.taskId)).toEqual(['work', 'high', 'low', 'dnd']);
    expect(finished.map((t) => t.taskId)).toEqual(['fin']);
  });

  it("builds the supervisor's columns with minutes and floors", () => {
    const board = assignmentBoard(
      [
        task('u1', 'r201'),
        task('h1', 'r101', { assigneeId: HUGO, estimatedMinutes: 35 }),
        task('h2', 'r301', { assigneeId: HUGO, estimatedMinutes: 15, status: 'in_progress' }),
        task('h3', 'r102', { assigneeId: HUGO, status: 'done', completedAt: '2026-11-21T09:00:00Z' }),
        task('x1', 'r103', { assigneeId: 'someone-else' }),
      ],
      staff,
    );
    expect(board.unassigned.map((t) => t.taskId)).toEqual(['u1']);
    expect(board.columns.map((c) => c.name)).toEqual(['Hugo', 'Sara', 'Another member']);
    expect(board.columns[0]).toMatchObject({ minutes: 50, floors: [1, 3], finished: 1 });
    expect(board.columns[0].tasks.map((t) => t.taskId)).toEqual(['h1', 'h2']);
    expect(board.toInspect.map((t) => t.taskId)).toEqual(['h3']);
  });

  it('names people', () => {
    expect(personName(HUGO, staff)).toBe('Hugo');
    expect(personName(SARA, staff, { id: SARA, name: 'Sara' })).toBe('Sara (you)');
    expect(personName(null, staff)).toBe('Unassigned');
    expect(personName('x', staff)).toBe('Another member');
  });

  it('shows occupancy flags only when the model knows occupancy', () => {
    // No reservation window: an older server, so the snapshot's occupancy (or nothing) decides.
    const base = { frontDesk: EMPTY_FRONT_DESK, property: { businessDate: '2026-11-21' } as PropertyInfo };
    expect(roomFlags({ ...base, occupancy: null }, 'r101')).toBeNull();
    const occupancy = { date: '2026-11-21', inHouse: new Set(['r101']), arrivals: new Set(['r102']), departures: new Set(['r101']) };
    expect(roomFlags({ ...base, occupancy }, 'r101')).toEqual({ occupied: true, arrival: false, departure: true });
  });

  it('filters rooms by floor, status and attendant', () => {
    const rooms = [room('r101', '101', 1, 'dirty'), room('r102', '102', 1), room('r201', '201', 2, 'dirty')] as Room[];
    const current = currentTaskByRoom([task('a', 'r101', { assigneeId: HUGO }), task('b', 'r201')]);
    const ids = (f: Partial<typeof NO_ROOM_FILTER>) => filterRooms(rooms, { ...NO_ROOM_FILTER, ...f }, current).map((r) => r.id);
    expect(ids({})).toEqual(['r101', 'r102', 'r201']);
    expect(ids({ floor: 1 })).toEqual(['r101', 'r102']);
    expect(ids({ status: 'dirty' })).toEqual(['r101', 'r201']);
    expect(ids({ attendantId: HUGO })).toEqual(['r101']);
    expect(ids({ attendantId: 'unassigned' })).toEqual(['r201']);
  });

  it('filters and orders tickets', () => {
    const tickets = [
      ticket('a', { priority: 'low', createdAt: '2026-11-21T10:00:00Z' }),
      ticket('b', { priority: 'urgent', category: 'hvac', roomNumber: '204' }),
      ticket('c', { status: 'resolved' }),
      ticket('d', { priority: 'low', createdAt: '2026-11-21T11:00:00Z', reporterId: SARA, assigneeId: SARA }),
    ];
    const ids = (f: Partial<typeof DEFAULT_TICKET_FILTER>, viewer: string | null = null) =>
      filterTickets(tickets, { ...DEFAULT_TICKET_FILTER, ...f }, viewer).map((t) => t.ticketId);
    expect(ids({})).toEqual(['b', 'd', 'a']);
    expect(ids({ status: 'all' })).toHaveLength(4);
    expect(ids({ status: 'resolved' })).toEqual(['c']);
    expect(ids({ category: 'hvac' })).toEqual(['b']);
    expect(ids({ mine: true }, SARA)).toEqual(['d']);
    expect(ids({ query: '204' })).toEqual(['b']);
    expect(ids({ query: 'tap' })).toEqual(['b', 'd', 'a']);
  });
});
