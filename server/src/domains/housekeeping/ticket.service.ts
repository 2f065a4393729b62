// Rules of maintenance tickets: who may change what, the status flow, and the room they hold.
import { LockMode } from '@mikro-orm/core';
import {
  ticketCreated, ticketUpdated,
  type PayloadOf, type TicketStatus, type TicketView, type ticketComment, type ticketCreate, type ticketResolve, type ticketUpdate,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, forbidden, invalid, notFound } from '../../pipeline/errors.ts';
import { User } from '../../identity/entities.ts';
import type { Room } from '../property/entities.ts';
import { MaintenanceTicket, TicketComment } from './entities.ts';
import { holdRoomForTicket, releaseRoomForTicket } from './out-of-order.ts';
import { actorMay, findMember } from './people.ts';
import { notifyUser } from '../notifications/notify.ts';
import { lockRoom } from './room-status.service.ts';
import { toTicketView } from './views.ts';

/** Status changes ticket.update may make. Resolving has its own command because it needs a resolution. */
const FLOW: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['in_progress', 'closed'],
  in_progress: ['open', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

async function viewOf(ctx: CommandContext, ticket: MaintenanceTicket): Promise<TicketView> {
  const comments = await ctx.em.find(TicketComment, { ticket }, { orderBy: { createdAt: 'asc', id: 'asc' }, populate: ['author'] });
  return toTicketView(ticket, comments);
}

/** Locks a ticket, and first its room (the same room-first order as tasks, so no deadlocks). */
async function lockTicket(ctx: CommandContext, ticketId: string): Promise<{ ticket: MaintenanceTicket; room: Room | null }> {
  const found = await ctx.em.findOne(MaintenanceTicket, { id: ticketId, property: ctx.propertyId });
  if (!found) throw notFound('Ticket');
  const room = found.room ? await lockRoom(ctx, found.room.id) : null;
  const ticket = await ctx.em.refreshOrFail(found, { lockMode: LockMode.PESSIMISTIC_WRITE });
  return { ticket, room };
}

/** The ticket's assignee works it; a supervisor (ticket.manage) runs it. */
async function requireWorker(ctx: CommandContext, ticket: MaintenanceTicket, doing: string): Promise<void> {
  if (ticket.assignee?.id === ctx.actor.userId || (await actorMay(ctx, 'ticket.manage'))) return;
  throw forbidden(`Only the person assigned to this ticket or a supervisor can ${doing} it`);
}

async function requireAssignable(ctx: CommandContext, userId: string): Promise<void> {
  if (!(await findMember(ctx.em, ctx.propertyId, userId))) throw invalid('That person is not an active member of this hotel');
}

async function announce(ctx: CommandContext, ticket: MaintenanceTicket, before: TicketView | null): Promise<TicketView> {
  await ctx.em.flush();
  const view = await viewOf(ctx, ticket);
  const { comments: _c, updatedAt: _u, version: _v, ...after } = view;
  if (before) {
    const changedKeys = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
    ctx.recordChange({
      type: 'ticket', id: ticket.id,
      before: Object.fromEntries(changedKeys.map((k) => [k, before[k]])),
      after: Object.fromEntries(changedKeys.map((k) => [k, after[k]])),
    });
  } else {
    ctx.recordChange({ type: 'ticket', id: ticket.id, after });
  }
  ctx.emit(before ? ticketUpdated : ticketCreated, view);
  return view;
}

function tellAssignee(ctx: CommandContext, ticket: MaintenanceTicket, assigneeId: string): void {
  notifyUser(ctx, assigneeId, {
    kind: 'ticket_assigned',
    title: `Maintenance ticket${ticket.room ? ` for room ${ticket.room.number}` : ''}`,
    body: `${ticket.priority} · ${ticket.category}: ${ticket.description.slice(0, 200)}`,
    ref: { type: 'ticket', id: ticket.id },
  });
}

export async function createTicket(ctx: CommandContext, input: PayloadOf<typeof ticketCreate>): Promise<TicketView> {
  if (input.outOfOrder && !(await actorMay(ctx, 'room.block'))) {
    throw forbidden('Only a supervisor or manager can take a room out of order; report the ticket without it and ask them');
  }
  const room = input.roomId ? await lockRoom(ctx, input.roomId) : null;
  const ticket = ctx.em.create(MaintenanceTicket, {
    property: ctx.propertyId,
    room,
    category: input.category,
    priority: input.priority,
    description: input.description,
    reporter: ctx.em.getReference(User, ctx.actor.userId),
    outOfOrder: input.outOfOrder ?? false,
  });
  ctx.em.persist(ticket);
  const view = await announce(ctx, ticket, null);
  if (ticket.outOfOrder && room) await holdRoomForTicket(ctx, ticket, room);
  return view;
}

export async function updateTicket(ctx: CommandContext, input: PayloadOf<typeof ticketUpdate>): Promise<TicketView> {
  const { ticket, room } = await lockTicket(ctx, input.ticketId);
  const before = await viewOf(ctx, ticket);
  if (ticket.status === 'closed') throw conflict('This ticket is closed');
  const managing = input.assigneeId !== undefined || input.priority !== undefined || input.category !== undefined || input.description !== undefined;
  if (managing && !(await actorMay(ctx, 'ticket.manage'))) throw forbidden('Only a supervisor can reassign or re-prioritise a ticket');
  const newAssignee = input.assigneeId !== undefined && input.assigneeId !== (ticket.assignee?.id ?? null) ? input.assigneeId : undefined;
  if (newAssignee) await requireAssignable(ctx, newAssignee);

  if (input.status !== undefined && input.status !== ticket.status) {
    await changeStatus(ctx, ticket, room, input.status);
  }
  if (newAssignee !== undefined) ticket.assignee = newAssignee === null ? null : ctx.em.getReference(User, newAssignee);
  if (input.priority !== undefined) ticket.priority = input.priority;
  if (input.category !== undefined) ticket.category = input.category;
  if (input.description !== undefined) ticket.description = input.description;

  const after = await viewOf(ctx, ticket);
  const { updatedAt: _a, version: _b, ...x } = before;
  const { updatedAt: _c, version: _d, ...y } = after;
  if (JSON.stringify(x) === JSON.stringify(y)) return before;
  const view = await announce(ctx, ticket, before);
  if (newAssignee) tellAssignee(ctx, ticket, newAssignee);
  return view;
}

async function changeStatus(ctx: CommandContext, ticket: MaintenanceTicket, room: Room | null, to: TicketStatus): Promise<void> {
  const from: TicketStatus = ticket.status;
  if (!FLOW[from].includes(to)) throw conflict(`A ${from.replace('_', ' ')} ticket cannot go to ${to.replace('_', ' ')}`, { status: from });
  // Picking work up or putting it down is the worker's call; closing or reopening is the supervisor's.
  const supervisorOnly = to === 'closed' || from === 'resolved';
  if (supervisorOnly && !(await actorMay(ctx, 'ticket.manage'))) throw forbidden('Only a supervisor can close or reopen a ticket');
  await requireWorker(ctx, ticket, 'change');
  const holding = (s: TicketStatus) => s === 'open' || s === 'in_progress';
  ticket.status = to;
  if (ticket.outOfOrder && room && holding(from) && !holding(to)) await releaseRoomForTicket(ctx, ticket, room);
  if (ticket.outOfOrder && room && !holding(from) && holding(to)) {
    if (!(await actorMay(ctx, 'room.block'))) throw forbidden('Reopening this ticket takes the room out of order again, which needs a supervisor or manager');
    await holdRoomForTicket(ctx, ticket, room);
  }
}

export async function commentOnTicket(ctx: CommandContext, input: PayloadOf<typeof ticketComment>): Promise<TicketView> {
  const { ticket } = await lockTicket(ctx, input.ticketId);
  if (input.toGuest && ticket.source !== 'guest') throw invalid('Only a guest\'s ticket has a guest to answer');
  const before = await viewOf(ctx, ticket);
  ctx.em.create(TicketComment, { ticket, author: ctx.em.getReference(User, ctx.actor.userId), body: input.body, toGuest: input.toGuest ?? false });
  // A comment is activity on the ticket: its updatedAt and version move, so boards can sort by it.
  ticket.updatedAt = ctx.now;
  return announce(ctx, ticket, before);
}

export async function resolveTicket(ctx: CommandContext, input: PayloadOf<typeof ticketResolve>): Promise<TicketView> {
  const { ticket, room } = await lockTicket(ctx, input.ticketId);
  const before = await viewOf(ctx, ticket);
  await requireWorker(ctx, ticket, 'resolve');
  if (ticket.status !== 'open' && ticket.status !== 'in_progress') throw conflict(`This ticket is already ${ticket.status}`, { status: ticket.status });
  ticket.status = 'resolved';
  ticket.resolution = input.resolution;
  ticket.resolvedAt = ctx.now;
  ticket.resolvedById = ctx.actor.userId;
  const view = await announce(ctx, ticket, before);
  if (ticket.outOfOrder && room) await releaseRoomForTicket(ctx, ticket, room);
  return view;
}

/**
 * A guest's support issue from their manage-booking link: a ticket with source `guest` and no staff
 * reporter, on the stay's room when one is assigned, for the board's ticket queue like any other.
 */
export async function openGuestTicket(ctx: CommandContext, input: { guestBookingId: string; roomId: string | null; description: string }): Promise<TicketView> {
  const room = input.roomId ? await lockRoom(ctx, input.roomId) : null;
  const ticket = ctx.em.create(MaintenanceTicket, {
    property: ctx.propertyId, room, category: 'other', priority: 'normal', description: input.description, reporter: null, source: 'guest', guestBookingId: input.guestBookingId,
  });
  return announce(ctx, ticket, null);
}

/**
 * The guest's reply on their own support issue. It shows on the board live (ticket.updated); a
 * resolved issue the guest answers goes back to open, so it returns to the staff's queue.
 */
export async function replyAsGuest(ctx: CommandContext, input: { guestBookingId: string; ticketId: string; body: string }): Promise<TicketView> {
  const owned = await ctx.em.findOne(MaintenanceTicket, { id: input.ticketId, property: ctx.propertyId, guestBookingId: input.guestBookingId, source: 'guest' });
  if (!owned) throw notFound('Request');
  const { ticket, room } = await lockTicket(ctx, owned.id);
  if (ticket.status === 'closed') throw conflict('This request is closed; please open a new one');
  const before = await viewOf(ctx, ticket);
  if (ticket.status === 'resolved') {
    ticket.status = 'open';
    if (ticket.outOfOrder && room) await holdRoomForTicket(ctx, ticket, room);
  }
  ctx.em.create(TicketComment, { ticket, author: null, fromGuest: true, body: input.body, toGuest: true });
  ticket.updatedAt = ctx.now;
  return announce(ctx, ticket, before);
}

export interface GuestTicketMessage {
  from: 'hotel' | 'guest';
  body: string;
  createdAt: string;
}

/** What the guest sees of their tickets: status and the conversation with them, never staff notes. */
export async function guestTickets(ctx: CommandContext, guestBookingId: string): Promise<Array<{ ticketId: string; description: string; status: TicketStatus; createdAt: string; messages: GuestTicketMessage[] }>> {
  const tickets = await ctx.em.find(MaintenanceTicket, { property: ctx.propertyId, guestBookingId, source: 'guest' }, { orderBy: { createdAt: 'asc' } });
  const shown = tickets.length ? await ctx.em.find(TicketComment, { ticket: { $in: tickets.map((t) => t.id) }, toGuest: true }, { orderBy: { createdAt: 'asc', id: 'asc' } }) : [];
  return tickets.map((t) => ({
    ticketId: t.id, description: t.description, status: t.status, createdAt: t.createdAt.toISOString(),
    messages: shown.filter((c) => c.ticket.id === t.id).map((c) => ({ from: c.fromGuest ? 'guest' : 'hotel', body: c.body, createdAt: c.createdAt.toISOString() })),
  }));
}
