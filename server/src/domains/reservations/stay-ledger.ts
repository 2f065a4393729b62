// How a reservation holds inventory: its priced nights (taken from the group's block first, else from
// the room type's general inventory) and, once assigned, its room over date ranges. Every service
// that changes dates, type or room goes through these, so the counters and the ledger never disagree.
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict } from '../../pipeline/errors.ts';
import type { Room, RoomType } from '../property/entities.ts';
import { Reservation, RoomBlock } from './entities.ts';
import {
  deleteNights, findOverlap, insertNights, occupy, pickUpBlockNights, releaseTypeNights, returnBlockNights, takeTypeNights,
  type LedgerNight, type OccupancyRow,
} from './inventory.repository.ts';
import { evaluateStay, loadCalendars, applyDiscount, sumNights, offerDiscount, type PricedNight } from './pricing.ts';
import type { Offer, RatePlan } from './entities.ts';

/** Takes a room of `roomType` for each priced night and records the nights with their prices. */
export async function bookNights(ctx: CommandContext, res: Reservation, roomType: RoomType, nightly: PricedNight[]): Promise<void> {
  const dates = nightly.map((n) => n.date);
  const fromBlock = new Set(res.group ? await pickUpBlockNights(ctx.em, res.group.id, roomType.id, dates) : []);
  await takeTypeNights(ctx.em, roomType, dates.filter((d) => !fromBlock.has(d)));
  await insertNights(ctx.em, ctx.propertyId, res.id, nightly.map((n) => ({ date: n.date, roomTypeId: roomType.id, amount: n.amount, fromBlock: fromBlock.has(n.date) })));
}

/** Gives back the reservation's nights from `from` on (all when omitted) and returns what it gave back. */
export async function releaseNights(ctx: CommandContext, res: Reservation, from?: string): Promise<LedgerNight[]> {
  const nights = await deleteNights(ctx.em, res.id, from);
  const groups = new Map<string, { roomTypeId: string; fromBlock: boolean; dates: string[] }>();
  for (const n of nights) {
    const key = `${n.roomTypeId}:${n.fromBlock}`;
    const g = groups.get(key) ?? groups.set(key, { roomTypeId: n.roomTypeId, fromBlock: n.fromBlock, dates: [] }).get(key)!;
    g.dates.push(n.date);
  }
  for (const g of [...groups.values()].sort((a, b) => a.roomTypeId.localeCompare(b.roomTypeId))) {
    if (g.fromBlock && res.group) {
      await ctx.em.populate(res, ['group']);
      await returnBlockNights(ctx.em, res.group.id, g.roomTypeId, g.dates.sort(), res.group.status === 'released');
    } else {
      await releaseTypeNights(ctx.em, g.roomTypeId, g.dates.sort());
    }
  }
  return nights.sort((a, b) => a.date.localeCompare(b.date));
}

/** A front-desk sentence for whoever holds a room: another stay or an out-of-order block. */
async function describeHolder(ctx: CommandContext, room: Room, holder: OccupancyRow): Promise<string> {
  if (holder.blockId) {
    const block = await ctx.em.findOne(RoomBlock, holder.blockId);
    return `Room ${room.number} is out of order from ${holder.arrival} to ${holder.departure}${block ? ` (${block.reason})` : ''}`;
  }
  return `Room ${room.number} is taken from ${holder.arrival} to ${holder.departure} by another reservation`;
}

/**
 * Holds `room` for the reservation over [from, to). The check gives a readable answer; the exclusion
 * constraint decides when two desks try at the same moment.
 */
export async function holdRoom(ctx: CommandContext, res: Reservation, room: Room, from: string, to: string): Promise<void> {
  const holder = await findOverlap(ctx.em, room.id, from, to, res.id);
  if (holder) {
    throw conflict(await describeHolder(ctx, room, holder), {
      roomId: room.id, from: holder.arrival, to: holder.departure, ...(holder.reservationId ? { reservationId: holder.reservationId } : { blockId: holder.blockId }),
    });
  }
  await occupy(ctx.em, { propertyId: ctx.propertyId, roomId: room.id, reservationId: res.id, arrival: from, departure: to });
}

export interface PricedStay {
  nightly: PricedNight[];
  discount: number;
  total: number;
}

/** Prices [arrival, departure) on `plan` for `roomType` with the offer's discount; CONFLICT naming the restriction. */
export async function priceStay(
  ctx: CommandContext,
  stay: { plan: RatePlan; roomType: RoomType; arrival: string; departure: string; offer: Offer | null; ignoreRestrictions?: boolean },
): Promise<PricedStay> {
  const calendars = await loadCalendars(ctx.em, [stay.plan], [stay.roomType.id], stay.arrival, stay.departure);
  const calendar = calendars.get(stay.plan.id)?.get(stay.roomType.id) ?? new Map();
  const check = evaluateStay(calendar, stay.arrival, stay.departure, { ignoreRestrictions: stay.ignoreRestrictions });
  if (!check.ok) throw conflict(`${stay.plan.name} (${stay.roomType.name}): ${check.reason}`, { ratePlanId: stay.plan.id, roomTypeId: stay.roomType.id });
  const { nightly, discount } = applyDiscount(check.nightly, stay.offer ? offerDiscount(stay.offer) : null);
  return { nightly, discount, total: sumNights(nightly) };
}

/** Takes one use of the offer; the guard (and the check constraint) keep the usage limit under concurrency. */
export async function takeOfferUse(ctx: CommandContext, offer: Offer): Promise<void> {
  const res = await ctx.em.execute(
    'update offer set used_count = used_count + 1 where id = ? and (usage_limit is null or used_count < usage_limit)',
    [offer.id],
    'run',
  );
  if (((res as { affectedRows?: number }).affectedRows ?? 0) !== 1) throw conflict(`Offer ${offer.code} has been used up`);
}

export async function returnOfferUse(ctx: CommandContext, offerId: string): Promise<void> {
  await ctx.em.execute('update offer set used_count = used_count - 1 where id = ? and used_count > 0', [offerId], 'run');
}
