import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { hotelDate, id } from './common.ts';
import type { RoleName } from './permissions.ts';

// Contract of housekeeping and maintenance (issue 5): cleaning tasks, inspections, attendants and
// maintenance tickets. Room status changes are announced by `room.statusChanged` (property.ts).

export const TASK_TYPES = ['departure_clean', 'stayover', 'turndown', 'deep_clean', 'touch_up'] as const;
export const taskType = z.enum(TASK_TYPES);
export type TaskType = z.infer<typeof taskType>;

/** open -> in_progress -> done -> inspected; open/in_progress -> skipped; a failed inspection sends done back to open. */
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'inspected', 'skipped'] as const;
export const taskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof taskStatus>;
/** Statuses in which a task still needs someone (the supervisor's "open" list). */
export const ACTIVE_TASK_STATUSES: readonly TaskStatus[] = ['open', 'in_progress', 'done'];

export const WORK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const workPriority = z.enum(WORK_PRIORITIES);
export type WorkPriority = z.infer<typeof workPriority>;

export const TICKET_CATEGORIES = ['plumbing', 'electrical', 'hvac', 'furniture', 'cleaning', 'it', 'other'] as const;
export const ticketCategory = z.enum(TICKET_CATEGORIES);
export type TicketCategory = z.infer<typeof ticketCategory>;

/** open -> in_progress -> resolved -> closed; open/in_progress may be closed directly (duplicate, won't fix). */
export const TICKET_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export const ticketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof ticketStatus>;
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ['open', 'in_progress'];

/** Roles whose members appear in the supervisor's staff list and can be given tasks. */
export const HOUSEKEEPING_ROLES: readonly RoleName[] = ['housekeeper', 'housekeeping_supervisor'];

const note = z.string().trim().min(1).max(1000);
const reason = z.string().trim().min(1).max(500);

// ---------- tasks ----------

export const taskCreate = defineCommand('task.create', {
  permission: 'task.manage',
  description: 'Create an ad-hoc task for a room (e.g. a touch-up before a VIP arrival).',
  payload: z.object({
    roomId: id,
    type: taskType,
    note: note.optional(),
    priority: workPriority.optional(),
    estimatedMinutes: z.number().int().min(1).max(480).optional(),
  }),
});

export const taskAssign = defineCommand('task.assign', {
  permission: 'task.manage',
  description: 'Give a task to an attendant (null takes it back). The attendant is notified.',
  payload: z.object({ taskId: id, assigneeId: id.nullable() }),
});

export const taskAutoAssign = defineCommand('task.autoAssign', {
  permission: 'task.manage',
  description: 'Distribute unassigned open tasks among attendants, keeping each attendant on as few floors as possible and the minutes balanced.',
  payload: z.object({
    propertyId: id,
    /** Tasks of this hotel date and earlier; defaults to the business date. */
    date: hotelDate.optional(),
    /** Defaults to every housekeeper of the property. */
    attendantIds: z.array(id).min(1).max(100).optional(),
  }),
});

export const taskStart = defineCommand('task.start', {
  permission: 'task.work',
  description: 'An attendant starts a task (their own, or an unassigned one, which they claim).',
  payload: z.object({ taskId: id }),
});

export const taskComplete = defineCommand('task.complete', {
  permission: 'task.work',
  description: 'An attendant finished a task; a dirty room becomes clean.',
  payload: z.object({ taskId: id }),
});

export const taskSkip = defineCommand('task.skip', {
  permission: 'task.work',
  description: 'Skip a task with a reason (guest declined service, room blocked).',
  payload: z.object({ taskId: id, reason }),
});

export const taskSetDoNotDisturb = defineCommand('task.setDoNotDisturb', {
  permission: 'task.work',
  description: 'Flag (or unflag) a task whose room shows "do not disturb"; the task stays open and moves to the end of the list.',
  payload: z.object({ taskId: id, doNotDisturb: z.boolean() }),
});

export const taskInspect = defineCommand('task.inspect', {
  permission: 'task.inspect',
  description: 'A supervisor inspects a finished task: passed makes the room inspected; failed reopens the task with the note and makes the room dirty.',
  payload: z.object({ taskId: id, passed: z.boolean(), note: note.optional() }),
});

export const taskGenerateDaily = defineCommand('task.generateDaily', {
  permission: 'task.manage',
  description: 'Create the day\'s stayover service tasks (and turndown when asked) for in-house rooms. Safe to run again: rooms that already have one are skipped.',
  payload: z.object({ propertyId: id, date: hotelDate, turndown: z.boolean().optional() }),
});

export const taskView = z.object({
  taskId: id,
  propertyId: id,
  roomId: id,
  roomNumber: z.string(),
  floor: z.number().int(),
  type: taskType,
  status: taskStatus,
  priority: workPriority,
  estimatedMinutes: z.number().int(),
  /** The hotel date the task belongs to. */
  serviceDate: hotelDate,
  assigneeId: id.nullable(),
  note: z.string().nullable(),
  /** The note of the last failed inspection. */
  inspectionNote: z.string().nullable(),
  skipReason: z.string().nullable(),
  doNotDisturb: z.boolean(),
  /** The stay whose check-out created a departure clean. */
  reservationId: id.nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  inspectedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type TaskView = z.infer<typeof taskView>;

export const taskCreated = defineEvent('task.created', { description: 'A task was created (by a rule or by hand).', payload: taskView });
export const taskUpdated = defineEvent('task.updated', { description: 'A task changed (assignee, status, do-not-disturb, inspection).', payload: taskView });

const PRIORITY_RANK: Record<WorkPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** The order an attendant works in: do-not-disturb last, then priority (arrivals first), floor, room. */
export function compareTasks(a: TaskView, b: TaskView): number {
  return Number(a.doNotDisturb) - Number(b.doNotDisturb)
    || PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority]
    || a.floor - b.floor
    || a.roomNumber.localeCompare(b.roomNumber, 'en', { numeric: true });
}

// ---------- maintenance tickets ----------

export const ticketCreate = defineCommand('ticket.create', {
  permission: 'ticket.write',
  description: 'Report a maintenance problem. `outOfOrder` (needs room.block) takes the room out of order until the ticket is resolved.',
  payload: z.object({
    propertyId: id,
    roomId: id.optional(),
    category: ticketCategory,
    priority: workPriority,
    description: z.string().trim().min(1).max(2000),
    outOfOrder: z.boolean().optional(),
  }).refine((p) => !p.outOfOrder || p.roomId, { message: 'A ticket can only take a room out of order when it names the room', path: ['outOfOrder'] }),
});

export const ticketUpdate = defineCommand('ticket.update', {
  permission: 'ticket.write',
  description: 'Change a ticket: assignee, priority, category, description (ticket.manage) or status (ticket.manage or its assignee). Use ticket.resolve to resolve.',
  payload: z.object({
    ticketId: id,
    assigneeId: id.nullable().optional(),
    status: z.enum(['open', 'in_progress', 'closed']).optional(),
    priority: workPriority.optional(),
    category: ticketCategory.optional(),
    description: z.string().trim().min(1).max(2000).optional(),
  }).refine((p) => Object.keys(p).some((k) => k !== 'ticketId'), { message: 'Nothing to change' }),
});

export const ticketComment = defineCommand('ticket.comment', {
  permission: 'ticket.write',
  description: 'Add a comment to a ticket.',
  payload: z.object({
    ticketId: id,
    body: z.string().trim().min(1).max(2000),
    /** On a guest's ticket: shown to the guest on their manage-booking link (otherwise staff only). */
    toGuest: z.boolean().optional(),
  }),
});

export const ticketResolve = defineCommand('ticket.resolve', {
  permission: 'ticket.write',
  description: 'Resolve a ticket (ticket.manage or its assignee). A room it held out of order returns to service as dirty.',
  payload: z.object({ ticketId: id, resolution: z.string().trim().min(1).max(2000) }),
});

export const ticketCommentView = z.object({
  commentId: id,
  /** Null when the guest wrote it (`fromGuest`) from their manage-booking link. */
  authorId: id.nullable(),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.string(),
  toGuest: z.boolean(),
  fromGuest: z.boolean(),
});
export const TICKET_SOURCES = ['staff', 'guest'] as const;

export const ticketView = z.object({
  ticketId: id,
  propertyId: id,
  roomId: id.nullable(),
  roomNumber: z.string().nullable(),
  category: ticketCategory,
  priority: workPriority,
  description: z.string(),
  status: ticketStatus,
  assigneeId: id.nullable(),
  /** Null when a guest opened it (source `guest`). */
  reporterId: id.nullable(),
  source: z.enum(TICKET_SOURCES),
  /** The ticket holds its room out of order until resolved or closed. */
  outOfOrder: z.boolean(),
  resolution: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  comments: z.array(ticketCommentView),
});
export type TicketView = z.infer<typeof ticketView>;

export const ticketCreated = defineEvent('ticket.created', { description: 'A maintenance ticket was reported.', payload: ticketView });
export const ticketUpdated = defineEvent('ticket.updated', { description: 'A ticket changed (assignee, status, priority, comment, resolution).', payload: ticketView });

// ---------- snapshot ----------

export interface StaffMember {
  userId: string;
  name: string;
  role: RoleName;
}

/** The housekeeping part of the property snapshot (`sync` without `since`). */
// A type alias (not an interface) so it fits the snapshot's open `Record<string, unknown>` shape.
export type HousekeepingSnapshot = {
  /** Unfinished tasks (open, in_progress, done) of any date, plus the business date's inspected and skipped ones. */
  tasks: TaskView[];
  /** Tickets still open or in progress. */
  tickets: TicketView[];
  /** Members a supervisor can assign tasks to. */
  staff: StaffMember[];
  /** Occupancy on the business date as the stays say (room ids). */
  occupancy: { date: string; inHouse: string[]; arrivals: string[]; departures: string[] };
};

export const taskCommands = [taskCreate, taskAssign, taskAutoAssign, taskStart, taskComplete, taskSkip, taskSetDoNotDisturb, taskInspect, taskGenerateDaily] as const;
export const ticketCommands = [ticketCreate, ticketUpdate, ticketComment, ticketResolve] as const;
export const housekeepingCommands = [...taskCommands, ...ticketCommands] as const;
export const housekeepingEvents = [taskCreated, taskUpdated, ticketCreated, ticketUpdated] as const;
