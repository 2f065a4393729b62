// What the process-fault writers send: a hotel's ordinary mix (room statuses, charges to an in-house guest's
// folio, phone bookings, maintenance reports) rather than one command type, so each handler's own writes go
// through the faults. Every command but room.setStatus writes its id into its row (a description, the guest's
// last name), so "exactly once" is counted in the domain tables as well as in event_log.
import type pg from 'pg';
import { addDays } from '../src/domains/property/hotel-date.ts';

/** One stream of commands, sent one at a time; `next` is called once per command (its retries resend the same payload). */
export interface Lane {
  type: string;
  next(commandId: string): Record<string, unknown>;
  /** Called with the payload of each ok ack (a room lane flips from the status last acknowledged). */
  acked?(payload: Record<string, unknown>): void;
}

/** Toggles a room clean/dirty: every command changes the room, so every ok ack has an event. */
export function roomLane(room: { id: string; status: string }): Lane {
  let current = room.status;
  return {
    type: 'room.setStatus',
    next: () => ({ roomId: room.id, status: current === 'dirty' ? 'clean' : 'dirty' }),
    acked: (p) => { current = p.status as string; },
  };
}

/** A drink charged to the in-house guest's folio. */
export function chargeLane(folioId: string): Lane {
  return { type: 'folio.postCharge', next: (id) => ({ folioId, department: 'beverage', description: `Bar ${id}`, amount: 450 }) };
}

/** A maintenance problem reported for a room. */
export function ticketLane(propertyId: string, roomId: string): Lane {
  return { type: 'ticket.create', next: (id) => ({ propertyId, roomId, category: 'plumbing', priority: 'normal', description: `Dripping tap ${id}` }) };
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
    type: 'reservation.create',
    next: (id) => {
      const night = nights.shift();
      if (!night) throw new Error('the fault suite booked every free room-type night of its database');
      return { propertyId, roomTypeId: night.roomTypeId, arrival: night.date, departure: addDays(night.date, 1), adults: 1, guest: { firstName: 'Fault', lastName: id } };
    },
  };
}

/** For each command type that records its id in a row: the rows per recorded marker. */
const ROWS: Record<string, { marker: (id: string) => string; sql: string }> = {
  'folio.postCharge': { marker: (id) => `Bar ${id}`, sql: 'select description as marker, count(*)::int as n from folio_line where description = any($1::text[]) group by 1' },
  'ticket.create': { marker: (id) => `Dripping tap ${id}`, sql: 'select description as marker, count(*)::int as n from maintenance_ticket where description = any($1::text[]) group by 1' },
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
