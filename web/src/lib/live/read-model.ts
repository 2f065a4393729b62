import type {
  EventEnvelope,
  EventPayloadOf,
  HousekeepingSnapshot,
  PropertySnapshotBase,
  RoomStatus,
  RoomView,
  StaffMember,
  TaskView,
  TicketView,
  housekeepingEvents,
  roomEvents,
} from '@innboard/shared';
import { applyFrontDeskEvent, frontDeskFromSnapshot, type FrontDeskEventSpec, type FrontDeskModel } from '#lib/frontdesk/model.ts';
import { applyPosEvent, posFromSnapshot, type PosEventSpec, type PosModel } from '#lib/pos/model.ts';
import { applyBillingEvent, billingFromSnapshot, type BillingEventSpec, type BillingModel } from '#lib/billing/model.ts';
import { applyAuditEvent, type NightAuditEventSpec } from '#lib/billing/night-audit.ts';
import { applyContentEvent, contentFromSnapshot, type ContentEventSpec, type ContentModel } from '#lib/collab/content.ts';
import { applyEngagementEvent, engagementFromSnapshot, type EngagementEventSpec, type EngagementModel } from '#lib/engagement/model.ts';

export type Room = Omit<RoomView, 'propertyId'>;
export type RoomType = PropertySnapshotBase['roomTypes'][number];
export type PropertyInfo = PropertySnapshotBase['property'];
export type Task = TaskView;
export type Ticket = TicketView;

/** Who sleeps where on one hotel date, as room ids. */
export interface Occupancy {
  date: string;
  inHouse: ReadonlySet<string>;
  arrivals: ReadonlySet<string>;
  departures: ReadonlySet<string>;
}

/** What the board knows about one property: the snapshot, moved forward event by event. Never mutated. */
export interface PropertyReadModel {
  property: PropertyInfo;
  rooms: Readonly<Record<string, Room>>;
  roomTypes: Readonly<Record<string, RoomType>>;
  /** Housekeeping tasks by id: the snapshot's open ones and today's finished ones, then whatever events bring. */
  tasks: Readonly<Record<string, Task>>;
  /** Maintenance tickets by id: the snapshot's open ones; resolved and closed ones stay once an event brings them. */
  tickets: Readonly<Record<string, Ticket>>;
  /** People a supervisor can give tasks to. */
  staff: readonly StaffMember[];
  /** Null when the server sent none (e.g. an older server without the housekeeping part). */
  occupancy: Occupancy | null;
  /** The signed-in user. */
  viewerId: string | null;
  /** Reservations, rate plans, room blocks, guests (lib/frontdesk/model.ts). */
  frontDesk: FrontDeskModel;
  /** Outlets, menus, open orders and stock (lib/pos/model.ts). */
  pos: PosModel;
  /** Stay balances, refunds and the night audit (lib/billing/model.ts). */
  billing: BillingModel;
  /** Guest-site content pages (lib/collab/content.ts). */
  content: ContentModel;
  /** Guest reviews and the notification rules per role (lib/engagement/model.ts). */
  engagement: EngagementModel;
  /** The seq of the last event folded in (or of the snapshot). */
  seq: number;
}

export interface SnapshotContext {
  viewerId?: string | null;
}

/**
 * Event specs the board folds into its read model. A domain that wants its events on the board adds its
 * list here and a case below; the `never` check in `applyEvent` fails the type check until it does.
 */
type HandledSpec = (typeof roomEvents)[number] | (typeof housekeepingEvents)[number] | FrontDeskEventSpec | PosEventSpec | BillingEventSpec | NightAuditEventSpec | ContentEventSpec | EngagementEventSpec;
type HandledEvent = { [S in HandledSpec as S['type']]: EventEnvelope<S['type'], EventPayloadOf<S>> }[HandledSpec['type']];

export function fromSnapshot(snapshot: PropertySnapshotBase, seq: number, context: SnapshotContext = {}): PropertyReadModel {
  // Each domain's part is optional: a server without it still gives a working room board.
  const hk = snapshot as PropertySnapshotBase & Partial<HousekeepingSnapshot>;
  const viewerId = context.viewerId ?? null;
  return {
    property: snapshot.property,
    rooms: Object.fromEntries(snapshot.rooms.map((r) => [r.id, toRoom(r as Room)])),
    roomTypes: Object.fromEntries(snapshot.roomTypes.map((t) => [t.id, t])),
    tasks: Object.fromEntries((hk.tasks ?? []).map((t) => [t.taskId, t])),
    tickets: Object.fromEntries((hk.tickets ?? []).map((t) => [t.ticketId, t])),
    staff: hk.staff ?? [],
    occupancy: hk.occupancy ? toOccupancy(hk.occupancy) : null,
    viewerId,
    frontDesk: frontDeskFromSnapshot(snapshot),
    pos: posFromSnapshot(snapshot),
    billing: billingFromSnapshot(snapshot),
    content: contentFromSnapshot(snapshot),
    engagement: engagementFromSnapshot(snapshot),
    seq,
  };
}

export function applyEvent(model: PropertyReadModel, envelope: EventEnvelope): PropertyReadModel {
  const event = envelope as HandledEvent;
  const next = { ...model, seq: Math.max(model.seq, envelope.seq) };
  switch (event.type) {
    case 'room.created':
    case 'room.updated':
      return { ...next, rooms: { ...model.rooms, [event.payload.id]: toRoom(event.payload) } };
    case 'room.statusChanged':
      return withRoomStatus(next, event.payload.roomId, event.payload.status);
    case 'task.created':
    case 'task.updated':
      return { ...next, tasks: { ...model.tasks, [event.payload.taskId]: event.payload } };
    case 'ticket.created':
    case 'ticket.updated':
      return { ...next, tickets: { ...model.tickets, [event.payload.ticketId]: event.payload } };
    case 'reservation.created':
    case 'reservation.updated':
    case 'reservation.cancelled':
    case 'reservation.checkedIn':
    case 'reservation.checkedOut':
    case 'ratePlan.created':
    case 'ratePlan.updated':
    case 'ratePlan.ratesChanged':
    case 'offer.created':
    case 'offer.updated':
    case 'guest.created':
    case 'guest.updated':
    case 'group.created':
    case 'group.updated':
    case 'room.blocked':
    case 'room.unblocked':
      return { ...next, frontDesk: applyFrontDeskEvent(model.frontDesk, event) };
    case 'pos.order.opened':
    case 'pos.order.lineAdded':
    case 'pos.order.lineVoided':
    case 'pos.order.updated':
    case 'pos.order.closed':
    case 'pos.outlet.changed':
    case 'pos.product.changed':
    case 'stock.changed':
    case 'stock.low':
    case 'stock.recipe.changed':
      return { ...next, pos: applyPosEvent(model.pos, event) };
    case 'folio.updated':
    case 'payment.received':
    case 'invoice.issued':
    case 'refund.requested':
    case 'refund.decided':
    case 'billing.configured':
      return { ...next, billing: applyBillingEvent(model.billing, event) };
    case 'nightAudit.started':
    case 'nightAudit.progress':
    case 'nightAudit.completed':
    case 'nightAudit.failed':
    case 'nightAudit.scheduleChanged':
      return { ...next, billing: { ...model.billing, nightAudit: applyAuditEvent(model.billing.nightAudit, event) } };
    case 'content.created':
    case 'content.published':
      return { ...next, content: applyContentEvent(model.content, event) };
    case 'review.posted':
    case 'review.updated':
    case 'notification.rulesChanged':
      return { ...next, engagement: applyEngagementEvent(model.engagement, event) };
    default: {
      // Events of domains the board does not show yet (reservations, POS...) only move seq forward.
      const _unhandled: never = event;
      return next;
    }
  }
}

export function withRoomStatus(model: PropertyReadModel, roomId: string, status: RoomStatus): PropertyReadModel {
  const room = model.rooms[roomId];
  if (!room || room.status === status) return model;
  return { ...model, rooms: { ...model.rooms, [roomId]: { ...room, status } } };
}

/** A task with some fields changed (an optimistic update). */
export function withTask(model: PropertyReadModel, taskId: string, patch: Partial<Task>): PropertyReadModel {
  const task = model.tasks[taskId];
  if (!task) return model;
  return { ...model, tasks: { ...model.tasks, [taskId]: { ...task, ...patch } } };
}

export interface Floor {
  floor: number;
  rooms: Room[];
}

const byNumber = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Floors from the lowest up, rooms in natural number order (101, 102, 110, 1001). */
export function roomsByFloor(rooms: Iterable<Room>): Floor[] {
  const floors = new Map<number, Room[]>();
  for (const room of rooms) {
    const list = floors.get(room.floor);
    if (list) list.push(room);
    else floors.set(room.floor, [room]);
  }
  return [...floors.entries()]
    .sort(([a], [b]) => a - b)
    .map(([floor, list]) => ({ floor, rooms: list.sort((a, b) => byNumber.compare(a.number, b.number)) }));
}

export function countByStatus(rooms: Iterable<Room>, statuses: readonly RoomStatus[]): Record<RoomStatus, number> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<RoomStatus, number>;
  for (const room of rooms) if (room.status in counts) counts[room.status]++;
  return counts;
}

function toRoom({ id, number, floor, roomTypeId, status, features, version }: Room): Room {
  return { id, number, floor, roomTypeId, status, features: features ?? [], version };
}

function toOccupancy(o: HousekeepingSnapshot['occupancy']): Occupancy {
  return { date: o.date, inHouse: new Set(o.inHouse), arrivals: new Set(o.arrivals), departures: new Set(o.departures) };
}
