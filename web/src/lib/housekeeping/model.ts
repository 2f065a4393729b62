// Views of the housekeeping read model the pages share: pure functions, unit-tested in model.test.ts.
import { compareTasks, type RoomStatus, type StaffMember, type TaskStatus, type TicketCategory, type TicketStatus, type WorkPriority } from '@innboard/shared';
import type { PropertyReadModel, Room, Task, Ticket } from '#lib/live/read-model.ts';
import { currentOccupancy } from './occupancy.ts';

const RELEVANCE: Record<TaskStatus, number> = { in_progress: 0, open: 1, done: 2, inspected: 3, skipped: 4 };
const PRIORITY_RANK: Record<WorkPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export const isActive = (t: Task): boolean => t.status === 'open' || t.status === 'in_progress';

/**
 * The task a room's tile shows: the one being worked, else the one waiting, else the one waiting for
 * inspection, else the last one finished. Ties go to the most recently changed.
 */
export function currentTaskByRoom(tasks: Iterable<Task>): Map<string, Task> {
  const byRoom = new Map<string, Task>();
  for (const task of tasks) {
    const have = byRoom.get(task.roomId);
    if (!have || RELEVANCE[task.status] < RELEVANCE[have.status] || (RELEVANCE[task.status] === RELEVANCE[have.status] && task.updatedAt > have.updatedAt)) {
      byRoom.set(task.roomId, task);
    }
  }
  return byRoom;
}

export type TaskProgress = Record<TaskStatus, number> & { total: number };

export function taskProgress(tasks: Iterable<Task>): TaskProgress {
  const p: TaskProgress = { total: 0, open: 0, in_progress: 0, done: 0, inspected: 0, skipped: 0 };
  for (const t of tasks) {
    p[t.status]++;
    p.total++;
  }
  return p;
}

/** An attendant's list: the room in work first, then the order of `compareTasks`; finished ones apart. */
export function tasksForAttendant(tasks: Iterable<Task>, userId: string): { todo: Task[]; finished: Task[] } {
  const mine = [...tasks].filter((t) => t.assigneeId === userId);
  const todo = mine.filter(isActive).sort((a, b) => Number(b.status === 'in_progress') - Number(a.status === 'in_progress') || compareTasks(a, b));
  const finished = mine.filter((t) => !isActive(t)).sort((a, b) => (b.completedAt ?? b.updatedAt).localeCompare(a.completedAt ?? a.updatedAt));
  return { todo, finished };
}

/** Open tasks nobody has yet: an attendant may pick one up (task.start claims it). */
export function unassignedTasks(tasks: Iterable<Task>): Task[] {
  return [...tasks].filter((t) => isActive(t) && t.assigneeId === null).sort(compareTasks);
}

export interface AttendantColumn {
  userId: string;
  name: string;
  role: StaffMember['role'] | null;
  /** Their open and in-progress tasks, in working order. */
  tasks: Task[];
  minutes: number;
  floors: number[];
  /** Finished today (done or inspected): the supervisor's sense of progress. */
  finished: number;
}

export interface AssignmentBoard {
  unassigned: Task[];
  columns: AttendantColumn[];
  /** Done, waiting for a supervisor, oldest first. */
  toInspect: Task[];
}

/** The supervisor's view: who has what, and how many minutes each has left. */
export function assignmentBoard(tasks: Iterable<Task>, staff: readonly StaffMember[]): AssignmentBoard {
  const all = [...tasks];
  const columns = new Map<string, AttendantColumn>();
  const column = (userId: string): AttendantColumn => {
    let c = columns.get(userId);
    if (!c) {
      const member = staff.find((s) => s.userId === userId);
      c = { userId, name: member?.name ?? 'Another member', role: member?.role ?? null, tasks: [], minutes: 0, floors: [], finished: 0 };
      columns.set(userId, c);
    }
    return c;
  };
  // Housekeepers first (they take most of the work), then supervisors, alphabetical within.
  const ordered = [...staff].sort((a, b) => Number(a.role !== 'housekeeper') - Number(b.role !== 'housekeeper') || a.name.localeCompare(b.name));
  for (const s of ordered) column(s.userId);
  for (const t of all) {
    if (!t.assigneeId) continue;
    const c = column(t.assigneeId);
    if (isActive(t)) {
      c.tasks.push(t);
      c.minutes += t.estimatedMinutes;
      if (!c.floors.includes(t.floor)) c.floors.push(t.floor);
    } else if (t.status === 'done' || t.status === 'inspected') {
      c.finished++;
    }
  }
  for (const c of columns.values()) {
    c.tasks.sort(compareTasks);
    c.floors.sort((a, b) => a - b);
  }
  return {
    unassigned: unassignedTasks(all),
    columns: [...columns.values()],
    toInspect: all.filter((t) => t.status === 'done').sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? '')),
  };
}

/** A person's name as the board knows it (staff, or the viewer), or a neutral stand-in. */
export function personName(userId: string | null, staff: readonly StaffMember[], viewer?: { id: string; name: string } | null): string {
  if (!userId) return 'Unassigned';
  if (viewer && viewer.id === userId) return `${viewer.name} (you)`;
  return staff.find((s) => s.userId === userId)?.name ?? 'Another member';
}

export interface RoomFlags {
  occupied: boolean;
  arrival: boolean;
  departure: boolean;
}

/**
 * Occupancy badges of a room, or null when the board knows nothing about stays. Only positive facts
 * are shown: a room not known to be occupied is never called "vacant". Live from the reservations in
 * the read model, falling back to the snapshot's `occupancy` (see occupancy.ts).
 */
export function roomFlags(model: Pick<PropertyReadModel, 'occupancy' | 'frontDesk' | 'property'>, roomId: string): RoomFlags | null {
  const o = currentOccupancy(model);
  if (!o) return null;
  return { occupied: o.inHouse.has(roomId), arrival: o.arrivals.has(roomId), departure: o.departures.has(roomId) };
}

/** `attendantId`: a user id, 'unassigned' (rooms whose task nobody has), or null for everyone. */
export interface RoomFilter {
  floor: number | null;
  status: RoomStatus | null;
  attendantId: string | null;
}

export const NO_ROOM_FILTER: RoomFilter = { floor: null, status: null, attendantId: null };

export function filterRooms(rooms: Iterable<Room>, filter: RoomFilter, current: ReadonlyMap<string, Task>): Room[] {
  return [...rooms].filter((room) => {
    if (filter.floor !== null && room.floor !== filter.floor) return false;
    if (filter.status !== null && room.status !== filter.status) return false;
    if (filter.attendantId === null) return true;
    const task = current.get(room.id);
    if (filter.attendantId === 'unassigned') return !!task && isActive(task) && task.assigneeId === null;
    return task?.assigneeId === filter.attendantId;
  });
}

/** `status`: 'active' is open or in progress (the default list). */
export interface TicketFilter {
  status: TicketStatus | 'active' | 'all';
  category: TicketCategory | null;
  priority: WorkPriority | null;
  /** Only tickets assigned to or reported by the viewer. */
  mine: boolean;
  /** Room number or words of the description. */
  query: string;
}

export const DEFAULT_TICKET_FILTER: TicketFilter = { status: 'active', category: null, priority: null, mine: false, query: '' };

/** Matching tickets, most urgent first, then newest. */
export function filterTickets(tickets: Iterable<Ticket>, filter: TicketFilter, viewerId: string | null): Ticket[] {
  const q = filter.query.trim().toLowerCase();
  return [...tickets]
    .filter((t) => {
      if (filter.status === 'active' ? !(t.status === 'open' || t.status === 'in_progress') : filter.status !== 'all' && t.status !== filter.status) return false;
      if (filter.category && t.category !== filter.category) return false;
      if (filter.priority && t.priority !== filter.priority) return false;
      if (filter.mine && t.assigneeId !== viewerId && t.reporterId !== viewerId) return false;
      if (q && !(t.roomNumber?.toLowerCase() === q || t.description.toLowerCase().includes(q))) return false;
      return true;
    })
    .sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || b.createdAt.localeCompare(a.createdAt));
}
