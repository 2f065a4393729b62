// What the process-fault writers send: a hotel's ordinary mix (room statuses, charges to an in-house guest's
// folio, phone bookings, maintenance reports, housekeeping tasks, bar order lines) rather than one command type,
// so each handler's own writes go through the faults. Every command but room.setStatus and task.start writes its
// id into its row (a description, the guest's last name, a task's note or skip reason, the line's note), so
// "exactly once" is counted in the domain tables as well as in event_log.
import type pg from 'pg';
import type { Ack, FolioGetResult, ReservationCreateResult, TaskView } from '@innboard/shared';
import { addDays } from '../src/domains/property/hotel-date.ts';
import { loginAndConnect } from '../src/testing/factory.ts';

export interface LaneCommand {
  type: string;
  payload: Record<string, unknown>;
}

/** One stream of commands, sent one at a time; `next` is called once per command (its retries resend the same payload). */
export interface Lane {
  next(commandId: string): LaneCommand;
  /** Called with each ok-acked command and its result (a room lane flips from the status last acknowledged). */
  acked?(command: LaneCommand, result: unknown): void;
}

/** Toggles a room clean/dirty: every command changes the room, so every ok ack has an event. */
export function roomLane(room: { id: string; status: string }): Lane {
  let current = room.status;
  return {
    next: () => ({ type: 'room.setStatus', payload: { roomId: room.id, status: current === 'dirty' ? 'clean' : 'dirty' } }),
    acked: ({ payload }) => { current = payload.status as string; },
  };
}

/** A drink charged to the in-house guest's folio. */
export function chargeLane(folioId: string): Lane {
  return { next: (id) => ({ type: 'folio.postCharge', payload: { folioId, department: 'beverage', description: `Bar ${id}`, amount: 450 } }) };
}

/** A maintenance problem reported for a room. */
export function ticketLane(propertyId: string, roomId: string): Lane {
  return { next: (id) => ({ type: 'ticket.create', payload: { propertyId, roomId, category: 'plumbing', priority: 'normal', description: `Dripping tap ${id}` } }) };
}

/**
 * A supervisor's touch-up tasks on a room of the lane's own, each moved through its statuses: created (its note
 * carries the command id), started, skipped (so does the reason), then the next task. Every command changes its
 * task, so every ok ack has an event. Nothing here reads the clock: a task's date is the hotel's business date,
 * and neither start nor skip changes the room, so the room lanes keep their rooms' statuses to themselves.
 */
export function taskLane(roomId: string): Lane {
  let task: { id: string; started: boolean } | null = null;
  return {
    next: (id) => (!task ? { type: 'task.create', payload: { roomId, type: 'touch_up', note: `Touch-up ${id}` } }
      : !task.started ? { type: 'task.start', payload: { taskId: task.id } }
        : { type: 'task.skip', payload: { taskId: task.id, reason: `Guest declined ${id}` } }),
    acked: ({ type }, result) => {
      task = type === 'task.create' ? { id: (result as TaskView).taskId, started: false } : type === 'task.start' ? { ...task!, started: true } : null;
    },
  };
}

/** Room-type nights still for sale, one entry per free room, a week out and later (the seeded inventory's horizon). */
export async function freeNights(db: pg.Pool, propertyId: string, from: string): Promise<Array<{ roomTypeId: string; date: string }>> {
  const { rows } = await db.query<{ room_type_id: string; date: string; free: number }>(
    `select n.room_type_id, to_char(n.date, 'YYYY-MM-DD') as date, (n.capacity - n.sold)::int as free
       from room_type_night n join room_type t on t.id = n.room_type_id
      where t.property_id = $1 and n.date >= $2::date and n.capacity > n.sold order by n.date, n.room_type_id`, [propertyId, from]);
  return rows.flatMap((r) => Array.from({ length: r.free }, () => ({ roomTypeId: r.room_type_id, date: r.date })));
}

/**
 * One-night phone bookings, each on a room-type night still free (`nights` is shared by every booking lane and
 * consumed), so availability never refuses one: a final answer other than ok is a defect.
 */
export function bookingLane(propertyId: string, nights: Array<{ roomTypeId: string; date: string }>): Lane {
  return {
    next: (id) => {
      const night = nights.shift();
      if (!night) throw new Error('the fault suite booked every free room-type night of its database');
      return {
        type: 'reservation.create',
        payload: { propertyId, roomTypeId: night.roomTypeId, arrival: night.date, departure: addDays(night.date, 1), adults: 1, guest: { firstName: 'Fault', lastName: id } },
      };
    },
  };
}

/** An order line at the bar, on the one open order (a long tab). */
export function posLineLane(orderId: string, productId: string): Lane {
  return { next: (id) => ({ type: 'pos.order.addLine', payload: { orderId, productId, quantity: 1, note: `No sugar ${id}` } }) };
}

const ok = <R>(what: string, ack: Ack<R>): R => {
  if (!ack.ok) throw new Error(`${what}: ${ack.error.code} ${ack.error.message}`);
  return ack.result;
};

/** A guest checked in today (override: the room's status is whatever the template left), for the folio charges. */
export async function checkInGuest(url: string, propertyId: string, room: { id: string; room_type_id: string }, db: pg.Pool): Promise<{ folioId: string; today: string }> {
  const desk = await loginAndConnect(url, 'frontdesk@innboard.demo');
  try {
    const { rows: [{ today }] } = await db.query<{ today: string }>("select to_char(business_date, 'YYYY-MM-DD') as today from property where id = $1", [propertyId]);
    const booked = ok('reservation.create', await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId, roomTypeId: room.room_type_id, roomId: room.id, arrival: today, departure: addDays(today!, 3), adults: 1, guest: { firstName: 'Ina', lastName: 'House' },
    }));
    ok('reservation.checkIn', await desk.command('reservation.checkIn', { reservationId: booked.reservationId, override: { reason: 'fault suite guest' } }));
    const folios = ok('folio.get', await desk.command<FolioGetResult>('folio.get', { reservationId: booked.reservationId })).folios;
    return { folioId: folios.find((f) => f.kind === 'guest')!.folioId, today: today! };
  } finally {
    desk.close();
  }
}

/**
 * A bar of the suite's own, always open (the seeded outlets keep opening hours, which would make the run depend
 * on the time of day), with a product and an open order for the cashier's lines.
 */
export async function openBar(url: string, propertyId: string): Promise<{ orderId: string; productId: string }> {
  const [manager, cashier] = await Promise.all([loginAndConnect(url, 'manager@innboard.demo'), loginAndConnect(url, 'pos@innboard.demo')]);
  try {
    const { outletId } = ok('pos.outlet.create', await manager.command<{ outletId: string }>('pos.outlet.create', {
      propertyId, name: 'Fault bar', kind: 'bar', taxRate: 1900, openingHours: null, voidLimit: 5000,
    }));
    const { productId } = ok('pos.product.create', await manager.command<{ productId: string }>('pos.product.create', { outletId, name: 'Espresso', category: 'Coffee', price: 300 }));
    const { orderId } = ok('pos.order.open', await cashier.command<{ orderId: string }>('pos.order.open', { outletId, table: 'Bar' }));
    return { orderId, productId };
  } finally {
    manager.close();
    cashier.close();
  }
}

/** For each command type that records its id in a row: the rows per recorded marker. */
const ROWS: Record<string, { marker: (id: string) => string; sql: string }> = {
  'folio.postCharge': { marker: (id) => `Bar ${id}`, sql: 'select description as marker, count(*)::int as n from folio_line where description = any($1::text[]) group by 1' },
  'ticket.create': { marker: (id) => `Dripping tap ${id}`, sql: 'select description as marker, count(*)::int as n from maintenance_ticket where description = any($1::text[]) group by 1' },
  'pos.order.addLine': { marker: (id) => `No sugar ${id}`, sql: 'select note as marker, count(*)::int as n from pos_order_line where note = any($1::text[]) group by 1' },
  'task.create': { marker: (id) => `Touch-up ${id}`, sql: 'select note as marker, count(*)::int as n from housekeeping_task where note = any($1::text[]) group by 1' },
  'task.skip': { marker: (id) => `Guest declined ${id}`, sql: 'select skip_reason as marker, count(*)::int as n from housekeeping_task where skip_reason = any($1::text[]) group by 1' },
  'reservation.create': {
    marker: (id) => id,
    sql: 'select g.last_name as marker, count(*)::int as n from reservation r join guest g on g.id = r.guest_id where g.last_name = any($1::text[]) group by 1',
  },
};

/** Rows each command left in its domain table, by command id (types without a row of their own are left out). */
export async function domainRows(db: pg.Pool, sent: Array<{ id: string; type: string }>): Promise<Map<string, number>> {
  const rows = new Map<string, number>();
  for (const [type, { marker, sql }] of Object.entries(ROWS)) {
    const mine = sent.filter((c) => c.type === type);
    const byMarker = new Map(mine.map((c) => [marker(c.id), c.id]));
    for (const c of mine) rows.set(c.id, 0);
    const { rows: found } = await db.query<{ marker: string; n: number }>(sql, [[...byMarker.keys()]]);
    for (const r of found) rows.set(byMarker.get(r.marker)!, r.n);
  }
  return rows;
}
