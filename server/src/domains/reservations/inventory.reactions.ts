import { roomCreated, roomUpdated } from '@innboard/shared';
import { defineReaction } from '../../pipeline/types.ts';
import { conflict } from '../../pipeline/errors.ts';
import { Property } from '../property/entities.ts';
import { recountCapacity } from './inventory.repository.ts';

// Rooms are the property domain's; how many of a type can be sold is ours. When a room appears or
// changes type, the capacity of every open night follows in the same transaction.

export const roomAddedToInventory = defineReaction(roomCreated, async (ctx) => {
  const property = await ctx.em.findOneOrFail(Property, ctx.propertyId);
  await recountCapacity(ctx.em, ctx.propertyId, property.businessDate);
});

export const roomRetypedInInventory = defineReaction(roomUpdated, async (ctx, room) => {
  const property = await ctx.em.findOneOrFail(Property, ctx.propertyId);
  // A stay booked as one type cannot silently sit in a room of another.
  const [stay] = await ctx.em.execute<{ arrival: string }[]>(
    `select o.arrival from room_occupancy o join reservation r on r.id = o.reservation_id
     join reservation_night n on n.reservation_id = r.id and n.date >= o.arrival and n.date < o.departure
     where o.room_id = ? and o.departure > ? and n.room_type_id <> ? limit 1`,
    [room.id, property.businessDate, room.roomTypeId],
  );
  if (stay) throw conflict(`Room ${room.number} has stays booked as another room type from ${stay.arrival}; move them first`);
  await recountCapacity(ctx.em, ctx.propertyId, property.businessDate);
});

export const inventoryReactions = [roomAddedToInventory, roomRetypedInInventory];
