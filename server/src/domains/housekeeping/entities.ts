import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { TASK_STATUSES, TASK_TYPES, TICKET_CATEGORIES, TICKET_STATUSES, WORK_PRIORITIES } from '@innboard/shared';
import { Property, Room } from '../property/entities.ts';
import { User } from '../../identity/entities.ts';

const HousekeepingTaskSchema = defineEntity({
  name: 'HousekeepingTask',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    room: () => p.manyToOne(Room),
    type: p.enum(TASK_TYPES),
    status: p.enum(TASK_STATUSES).default('open'),
    priority: p.enum(WORK_PRIORITIES).default('normal'),
    estimatedMinutes: p.integer(),
    /** The hotel date the task belongs to (property's business date when created by a rule). */
    serviceDate: p.date(),
    assignee: () => p.manyToOne(User).nullable(),
    note: p.text().nullable(),
    inspectionNote: p.text().nullable(),
    skipReason: p.string().length(500).nullable(),
    doNotDisturb: p.boolean().default(false),
    /** Plain id, no foreign key: stays live in the reservations domain. */
    reservationId: p.uuid().nullable(),
    createdById: p.uuid().nullable(),
    startedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    inspectedAt: p.datetime().nullable(),
    inspectedById: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['property', 'status'] }, { properties: ['property', 'serviceDate'] }, { properties: ['room', 'serviceDate'] }],
  // The daily rule makes at most one stayover and one turndown per room and day, even when two runs race.
  uniques: [{ name: 'housekeeping_task_daily_unique', properties: ['room', 'type', 'serviceDate'], where: "type in ('stayover', 'turndown')" }],
});
export class HousekeepingTask extends HousekeepingTaskSchema.class {}
HousekeepingTaskSchema.setClass(HousekeepingTask);

const MaintenanceTicketSchema = defineEntity({
  name: 'MaintenanceTicket',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    room: () => p.manyToOne(Room).nullable(),
    category: p.enum(TICKET_CATEGORIES),
    priority: p.enum(WORK_PRIORITIES),
    description: p.text(),
    status: p.enum(TICKET_STATUSES).default('open'),
    assignee: () => p.manyToOne(User).nullable(),
    /** Null for a guest's support issue (no staff member reported it). */
    reporter: () => p.manyToOne(User).nullable(),
    /** `guest`: opened by a guest from their manage-booking link (`guestBookingId`); answers marked toGuest show there. */
    source: p.string().length(10).default('staff'),
    guestBookingId: p.uuid().nullable(),
    /** Holds its room out of order while open or in progress. */
    outOfOrder: p.boolean().default(false),
    /** The reservations domain's room block, once inventory blocks exist (see out-of-order.ts). */
    roomBlockId: p.uuid().nullable(),
    resolution: p.text().nullable(),
    resolvedAt: p.datetime().nullable(),
    resolvedById: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['property', 'status'] }, { properties: ['room', 'status'] }],
});
export class MaintenanceTicket extends MaintenanceTicketSchema.class {}
MaintenanceTicketSchema.setClass(MaintenanceTicket);

const TicketCommentSchema = defineEntity({
  name: 'TicketComment',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    ticket: () => p.manyToOne(MaintenanceTicket),
    /** Null for the guest's own reply from their manage-booking link (`fromGuest`). */
    author: () => p.manyToOne(User).nullable(),
    fromGuest: p.boolean().default(false),
    body: p.text(),
    /** An answer the guest sees on their manage-booking link (guest tickets only). */
    toGuest: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['ticket', 'createdAt'] }],
  checks: [{ name: 'ticket_comment_staff_or_guest', expression: 'from_guest or author_id is not null' }],
});
export class TicketComment extends TicketCommentSchema.class {}
TicketCommentSchema.setClass(TicketComment);

export const housekeepingEntities = [HousekeepingTask, MaintenanceTicket, TicketComment];
