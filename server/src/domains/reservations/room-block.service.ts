import { LockMode } from '@mikro-orm/core';
import { roomBlocked, roomUnblocked, type PayloadOf, type RoomBlockView, type roomBlock } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid, notFound } from '../../pipeline/errors.ts';
import { Room } from '../property/entities.ts';
import { nightsOf } from '../property/hotel-date.ts';
import { RoomBlock } from './entities.ts';
import { findOverlap, lockTypeNights, occupy, recountCapacity, vacateBlock } from './inventory.repository.ts';
import { propertyOf } from './lookups.ts';

// Out-of-order and out-of-service blocks. These functions are also the API of the housekeeping
// ticket flow (a maintenance ticket that takes a room out of order calls placeRoomBlock in its own
// command's unit of work).

export type PlaceRoomBlockInput = PayloadOf<typeof roomBlock>;

export function toRoomBlockView(block: RoomBlock): RoomBlockView {
  return {
    id: block.id, roomId: block.room.id, kind: block.kind as RoomBlockView['kind'], from: block.fromDate, to: block.toDate,
    reason: block.reason, released: !!block.releasedAt, version: block.version,
  };
}

/**
 * Blocks a room for nights [from, to). Out of order: the room must hold no assigned stay in that time
 * (the exclusion constraint is the final word) and its type must not be sold beyond the rooms left.
 */
export async function placeRoomBlock(ctx: CommandContext, input: PlaceRoomBlockInput): Promise<RoomBlockView> {
  const property = await propertyOf(ctx);
  if (input.to <= input.from) throw invalid('`to` must be after `from`');
  if (input.from < property.businessDate) throw invalid(`A block cannot start before the hotel date ${property.businessDate}`);
  // Locking the room serialises blocks of one room, so two overlapping out-of-service blocks cannot slip in.
  const room = await ctx.em.findOne(Room, { id: input.roomId, property: ctx.propertyId, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!room) throw notFound('Room');
  await ctx.em.populate(room, ['roomType']);
  const existing = await ctx.em.findOne(RoomBlock, { room: room.id, fromDate: { $lt: input.to }, toDate: { $gt: input.from } });
  if (existing) throw conflict(`Room ${room.number} is already blocked from ${existing.fromDate} to ${existing.toDate}`, { blockId: existing.id });
  if (input.kind === 'out_of_order') {
    const holder = await findOverlap(ctx.em, room.id, input.from, input.to);
    if (holder?.reservationId) {
      throw conflict(`Room ${room.number} has a stay assigned from ${holder.arrival} to ${holder.departure}; move it first`, { reservationId: holder.reservationId });
    }
    const nights = await lockTypeNights(ctx.em, room.roomType.id, nightsOf(input.from, input.to));
    const full = nights.filter((n) => n.capacity - n.sold < 1).map((n) => n.date);
    if (full.length) throw conflict(`Every ${room.roomType.name} is sold on ${full.join(', ')}; taking room ${room.number} out of order would overbook`, { nights: full });
  }
  const block = ctx.em.create(RoomBlock, {
    property: ctx.propertyId, room, kind: input.kind, fromDate: input.from, toDate: input.to, reason: input.reason, createdBy: ctx.actor.userId,
  });
  await ctx.em.flush();
  if (input.kind === 'out_of_order') {
    await occupy(ctx.em, { propertyId: ctx.propertyId, roomId: room.id, blockId: block.id, arrival: input.from, departure: input.to });
    await recountCapacity(ctx.em, ctx.propertyId, input.from, input.to);
  }
  const view = toRoomBlockView(block);
  ctx.recordChange({ type: 'roomBlock', id: block.id, after: view });
  ctx.emit(roomBlocked, { block: view });
  return view;
}

/**
 * Ends a block from the business date on. Nights already past stay blocked (history and reports);
 * a block that has not started yet disappears.
 */
export async function releaseRoomBlock(ctx: CommandContext, blockId: string): Promise<RoomBlockView> {
  const block = await ctx.em.findOne(RoomBlock, { id: blockId, property: ctx.propertyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!block) throw notFound('Room block');
  const property = await propertyOf(ctx);
  const today = property.businessDate;
  if (block.releasedAt || block.toDate <= today) return toRoomBlockView(block);
  const before = toRoomBlockView(block);
  const plannedTo = block.toDate;
  let view: RoomBlockView;
  if (block.fromDate >= today) {
    view = { ...before, to: before.from, released: true, version: before.version + 1 };
    ctx.em.remove(block);
  } else {
    block.toDate = today;
    block.releasedAt = ctx.now;
    block.releasedBy = ctx.actor.userId;
    await vacateBlock(ctx.em, block.id, today);
    await ctx.em.flush();
    view = toRoomBlockView(block);
  }
  await ctx.em.flush();
  if (before.kind === 'out_of_order') await recountCapacity(ctx.em, ctx.propertyId, today, plannedTo);
  ctx.recordChange({ type: 'roomBlock', id: before.id, before: { to: plannedTo }, after: { to: view.to, released: true } });
  ctx.emit(roomUnblocked, { block: view });
  return view;
}
