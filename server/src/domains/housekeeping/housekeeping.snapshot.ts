import type { EntityManager } from '@mikro-orm/postgresql';
import { ACTIVE_TASK_STATUSES, OPEN_TICKET_STATUSES, compareTasks, type HousekeepingSnapshot } from '@innboard/shared';
import { Property } from '../property/entities.ts';
import { HousekeepingTask, MaintenanceTicket, TicketComment } from './entities.ts';
import { loadOccupancy } from './occupancy.ts';
import { findStaff } from './people.ts';
import { toTaskView, toTicketView } from './views.ts';

/** The housekeeping part of the property snapshot: tasks, tickets, staff and today's occupancy. */
export async function housekeepingSnapshot(em: EntityManager, propertyId: string): Promise<HousekeepingSnapshot> {
  const { businessDate } = await em.findOneOrFail(Property, propertyId);
  // Finished tasks of today stay in, so the board's progress counters start right.
  const tasks = await em.find(
    HousekeepingTask,
    { property: propertyId, $or: [{ status: { $in: [...ACTIVE_TASK_STATUSES] } }, { serviceDate: businessDate }] },
    { populate: ['room'] },
  );
  const tickets = await em.find(MaintenanceTicket, { property: propertyId, status: { $in: [...OPEN_TICKET_STATUSES] } }, { populate: ['room'], orderBy: { createdAt: 'asc' } });
  const comments = tickets.length
    ? await em.find(TicketComment, { ticket: { $in: tickets.map((t) => t.id) } }, { populate: ['author'], orderBy: { createdAt: 'asc', id: 'asc' } })
    : [];
  const occupancy = await loadOccupancy(em, propertyId, businessDate);
  return {
    tasks: tasks.map(toTaskView).sort(compareTasks),
    tickets: tickets.map((t) => toTicketView(t, comments.filter((c) => c.ticket.id === t.id))),
    staff: await findStaff(em, propertyId),
    occupancy: { date: businessDate, inHouse: [...occupancy.inHouse], arrivals: [...occupancy.arrivals], departures: [...occupancy.departures] },
  };
}
