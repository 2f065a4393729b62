import type { TaskView, TicketView } from '@innboard/shared';
import type { HousekeepingTask, MaintenanceTicket, TicketComment } from './entities.ts';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** The task as events and the snapshot carry it. Its room must be loaded. */
export function toTaskView(task: HousekeepingTask): TaskView {
  return {
    taskId: task.id,
    propertyId: task.property.id,
    roomId: task.room.id,
    roomNumber: task.room.number,
    floor: task.room.floor,
    type: task.type,
    status: task.status,
    priority: task.priority,
    estimatedMinutes: task.estimatedMinutes,
    serviceDate: task.serviceDate,
    assigneeId: task.assignee?.id ?? null,
    note: task.note ?? null,
    inspectionNote: task.inspectionNote ?? null,
    skipReason: task.skipReason ?? null,
    doNotDisturb: task.doNotDisturb,
    reservationId: task.reservationId ?? null,
    startedAt: iso(task.startedAt),
    completedAt: iso(task.completedAt),
    inspectedAt: iso(task.inspectedAt),
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
    version: task.version,
  };
}

/** The ticket as events and the snapshot carry it. Its room (if any) and the comments' authors must be loaded. */
export function toTicketView(ticket: MaintenanceTicket, comments: readonly TicketComment[]): TicketView {
  return {
    ticketId: ticket.id,
    propertyId: ticket.property.id,
    roomId: ticket.room?.id ?? null,
    roomNumber: ticket.room?.number ?? null,
    category: ticket.category,
    priority: ticket.priority,
    description: ticket.description,
    status: ticket.status,
    assigneeId: ticket.assignee?.id ?? null,
    reporterId: ticket.reporter?.id ?? null,
    source: ticket.source as TicketView['source'],
    outOfOrder: ticket.outOfOrder,
    resolution: ticket.resolution ?? null,
    resolvedAt: iso(ticket.resolvedAt),
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    version: ticket.version,
    comments: comments.map((c) => ({
      commentId: c.id, authorId: c.author?.id ?? null, authorName: c.author?.name ?? 'Guest', body: c.body, createdAt: c.createdAt.toISOString(), toGuest: c.toGuest, fromGuest: c.fromGuest,
    })),
  };
}
