// A lived-in Demo Hotel for `pnpm start`: guests in house, arrivals and departures today, bookings
// for the next two weeks, a group, a room out of order and housekeeping work waiting. Run only by
// createApp (SEED_DEMO) on a hotel without reservations — never by the test template, whose tests
// expect an empty hotel.
//
// Everything goes through the domain services in one transaction, as one command would, so the
// inventory invariants (no double booking, sold = ledger, capacity minus out-of-order rooms) hold by
// the same rules as at the front desk. Events are not logged: boards start from a snapshot anyway,
// and the audit trail should not claim a person made these bookings.
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import {
  groupAddReservation, groupCreate, reservationAutoAssign, reservationCheckIn, reservationCheckOut, reservationCreate, taskGenerateDaily, ticketCreate,
  type RoleName,
} from '@innboard/shared';
import { Membership } from '../../identity/entities.ts';
import type { CommandContext, PendingEvent } from '../../pipeline/types.ts';
import { reactions } from '../../registry.ts';
import { Property, Room, RoomType } from '../../domains/property/entities.ts';
import { addDays, nightsOf } from '../../domains/property/hotel-date.ts';
import { RatePlan, RateDay, Reservation } from '../../domains/reservations/entities.ts';
import { openInventory } from '../../domains/reservations/inventory.repository.ts';
import { createReservation } from '../../domains/reservations/reservation.service.ts';
import { autoAssign } from '../../domains/reservations/assignment.service.ts';
import { checkIn, checkOut } from '../../domains/reservations/stay.service.ts';
import { addToGroup, createGroup } from '../../domains/reservations/group.service.ts';
import { createTicket } from '../../domains/housekeeping/ticket.service.ts';
import { generateDailyTasks } from '../../domains/housekeeping/task-generation.service.ts';

export const DEMO_HOTEL_NAME = 'Innboard Demo Hotel';
/** Guests already in house arrived up to this many days before the business date. */
const PAST_DAYS = 4;
/** Bookings reach this far ahead; the target is the share of rooms sold on each of those nights. */
const HORIZON_DAYS = 14;
const TARGET_OCCUPANCY = 0.62;

const FIRST = ['Amelia', 'Noah', 'Sofia', 'Liam', 'Mia', 'Lukas', 'Emma', 'Mateo', 'Hanna', 'Jonas', 'Chloe', 'Yusuf', 'Ines', 'Felix', 'Aiko', 'Omar', 'Clara', 'Elias', 'Nora', 'Pavel'];
const LAST = ['Schmidt', 'Rossi', 'Dubois', 'Novak', 'García', 'Jensen', 'Kowalski', 'Silva', 'Müller', 'Tanaka', 'Okafor', 'Larsen', 'Moreau', 'Costa', 'Weber', 'Haddad', 'Brennan', 'Ivanova'];

/** Deterministic, so every fresh demo looks the same (screenshots, docs, support). */
function randomSource(seed: number) {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

type Rng = ReturnType<typeof randomSource>;

function demoGuest(rng: Rng, n: number) {
  const firstName = rng.pick(FIRST);
  const lastName = rng.pick(LAST);
  const ascii = (s: string) => s.normalize('NFD').replace(/[^a-zA-Z]/g, '').toLowerCase();
  return { firstName, lastName, email: `${ascii(firstName)}.${ascii(lastName)}${n}@example.com` };
}

/** A command's context without a socket: the seeding user's unit of work, reactions included. */
function seedingContext(em: EntityManager, propertyId: string, userId: string, role: RoleName): { ctx: CommandContext; settle(): Promise<void> } {
  const pending: PendingEvent[] = [];
  let handled = 0;
  const ctx: CommandContext = {
    em, propertyId, now: new Date(), commandId: randomUUID(), actor: { userId, role },
    emit: (event, payload) => pending.push({ propertyId, type: event.type, payload }),
    recordChange: () => {},
    // Seeded history raises no notifications: nobody was there to be told.
    notify: () => {},
    services: {},
  };
  // The same same-transaction reactions the dispatcher runs (check-out -> departure clean, ...).
  const settle = async () => {
    for (; handled < pending.length; handled++) {
      for (const reaction of reactions.get(pending[handled]!.type) ?? []) await reaction.run(ctx, pending[handled]!.payload);
    }
  };
  return { ctx, settle };
}

export async function seedDemoActivity(orm: MikroORM): Promise<{ reservations: number } | null> {
  return orm.em.fork().transactional(async (em) => {
    // Several nodes may start at once: one seeds, the others wait and then find reservations.
    await em.execute("select pg_advisory_xact_lock(hashtext('innboard:demo-activity'))");
    const property = await em.findOne(Property, { name: DEMO_HOTEL_NAME });
    if (!property || (await em.count(Reservation, { property })) > 0) return null;
    const manager = await em.findOne(Membership, { property, role: 'manager' }, { populate: ['user'] });
    if (!manager) return null;
    const { ctx, settle } = seedingContext(em, property.id, manager.user.id, 'manager');
    const run = async <T>(work: Promise<T>): Promise<T> => {
      const result = await work;
      await settle();
      return result;
    };
    const rng = randomSource(20261122);
    let guests = 0;
    const guest = () => demoGuest(rng, ++guests);
    const today = property.businessDate;
    const types = await em.find(RoomType, { property, deletedAt: null }, { orderBy: { code: 'asc' } });
    const rooms = await em.find(Room, { property, deletedAt: null });
    const roomsOf = new Map(types.map((t) => [t.id, rooms.filter((r) => r.roomType.id === t.id).length]));
    // Sold per type and night as this seeder books, so it never asks for a night that is full.
    const sold = new Map<string, number>();
    const key = (typeId: string, date: string) => `${typeId}:${date}`;
    const fits = (typeId: string, from: string, to: string, cap: number) => nightsOf(from, to).every((d) => (sold.get(key(typeId, d)) ?? 0) < cap);
    const take = (typeId: string, from: string, to: string, n = 1) => nightsOf(from, to).forEach((d) => sold.set(key(typeId, d), (sold.get(key(typeId, d)) ?? 0) + n));
    const capOf = (typeId: string) => Math.floor(roomsOf.get(typeId)! * TARGET_OCCUPANCY);

    const book = async (typeId: string, arrival: string, departure: string, extra: { status?: 'tentative' | 'confirmed' } = {}) => {
      const result = await run(createReservation(ctx, reservationCreate.payload.parse({
        propertyId: property.id, roomTypeId: typeId, arrival, departure, adults: rng.int(1, 2), guest: guest(), source: rng.pick(['phone', 'email', 'direct'] as const), ...extra,
      })));
      take(typeId, arrival, departure);
      return result.reservationId;
    };
    const assign = (reservationId: string) => run(autoAssign(ctx, reservationAutoAssign.payload.parse({ reservationId })));

    // 1. The days before today, as the night audit would have lived them: prices and inventory for
    // those nights, then each day's arrivals checked in. Every one of them is still in house today.
    await openPastNights(em, property, addDays(today, -PAST_DAYS), today);
    for (let back = PAST_DAYS; back >= 1; back--) {
      property.businessDate = addDays(today, -back);
      await em.flush();
      for (const type of types) {
        const count = Math.round(capOf(type.id) * (back === 1 ? 0.3 : 0.2));
        for (let i = 0; i < count; i++) {
          // Departures from today on; about one in five leaves today.
          const departure = addDays(today, rng.next() < 0.2 ? 0 : rng.int(1, 4));
          if (!fits(type.id, property.businessDate, departure, capOf(type.id))) continue;
          const id = await book(type.id, property.businessDate, departure, { status: 'confirmed' });
          await assign(id);
          await run(checkIn(ctx, reservationCheckIn.payload.parse({ reservationId: id })));
        }
      }
    }
    property.businessDate = today;
    await em.flush();

    // 2. This morning: a few departing guests have already checked out (dirty rooms, departure cleans).
    const leaving = await em.find(Reservation, { property, status: 'checked_in', departure: today }, { orderBy: { createdAt: 'asc' } });
    for (const res of leaving.slice(0, Math.ceil(leaving.length / 2))) {
      await run(checkOut(ctx, reservationCheckOut.payload.parse({ reservationId: res.id })));
    }

    // 3. A room out of order, before anything future is assigned to it.
    const held = new Set((await em.execute<{ room_id: string }[]>('select distinct room_id from room_occupancy where departure > ?', [today])).map((r) => r.room_id));
    const broken = rooms.filter((r) => !held.has(r.id)).sort((a, b) => b.number.localeCompare(a.number))[0];
    if (broken) {
      await run(createTicket(ctx, ticketCreate.payload.parse({
        propertyId: property.id, roomId: broken.id, category: 'plumbing', priority: 'high', description: 'Shower drain blocked, water on the bathroom floor', outOfOrder: true,
      })));
      const days = nightsOf(today, addDays(today, HORIZON_DAYS + 7));
      days.forEach((d) => take(broken.roomType.id, d, addDays(d, 1)));
    }

    // 4. A group: a conference block, half of it picked up.
    const std = types.find((t) => t.code === 'STD') ?? types[0]!;
    const groupFrom = addDays(today, 5);
    const groupTo = addDays(today, 8);
    if (fits(std.id, groupFrom, groupTo, capOf(std.id) - 4)) {
      const group = await run(createGroup(ctx, groupCreate.payload.parse({
        propertyId: property.id, name: 'Nordic Dev Summit', arrival: groupFrom, departure: groupTo, blocks: [{ roomTypeId: std.id, rooms: 4 }], notes: 'Late check-in, invoice to the organiser',
      })));
      take(std.id, groupFrom, groupTo, 4);
      for (let i = 0; i < 2; i++) await run(addToGroup(ctx, groupAddReservation.payload.parse({ groupId: group.id, roomTypeId: std.id, adults: 1, guest: guest() })));
    }

    // 5. Arrivals today (assigned; some land in rooms being turned over) and the next two weeks.
    for (let day = 0; day < HORIZON_DAYS; day++) {
      const arrival = addDays(today, day);
      for (const type of types) {
        for (let tries = 0; tries < roomsOf.get(type.id)!; tries++) {
          const departure = addDays(arrival, rng.int(1, 4));
          if (!fits(type.id, arrival, departure, capOf(type.id))) break;
          const id = await book(type.id, arrival, departure, { status: rng.next() < 0.15 ? 'tentative' : 'confirmed' });
          // Today's arrivals get their rooms; later ones mostly wait for the desk to assign them.
          if (day === 0 || rng.next() < 0.25) await assign(id);
        }
      }
    }

    // 6. The day's service tasks for rooms in house.
    await run(generateDailyTasks(ctx, taskGenerateDaily.payload.parse({ propertyId: property.id, date: today })));
    return { reservations: await em.count(Reservation, { property }) };
  });
}

/** Prices (the default plan's, as on the first seeded night) and open inventory for nights before the business date. */
async function openPastNights(em: EntityManager, property: Property, from: string, to: string): Promise<void> {
  const plans = await em.find(RatePlan, { property, parent: null });
  const types = await em.find(RoomType, { property, deletedAt: null });
  for (const plan of plans) {
    for (const type of types) {
      const first = await em.findOne(RateDay, { ratePlan: plan, roomType: type, date: to });
      if (!first) continue;
      for (const date of nightsOf(from, to)) em.create(RateDay, { ratePlan: plan, roomType: type, date, amount: first.amount });
    }
  }
  await em.flush();
  await openInventory(em, types.map((t) => t.id), from, to);
}
