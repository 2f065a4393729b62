// Finders the front-desk services share. Every lookup is scoped to the command's property, so an id
// from another hotel reads as "not found" even though the pipeline already checked membership.
import { LockMode } from '@mikro-orm/core';
import type { CommandContext } from '../../pipeline/types.ts';
import { invalid, notFound } from '../../pipeline/errors.ts';
import { Property, Room, RoomType } from '../property/entities.ts';
import { User } from '../../identity/entities.ts';
import { Offer, RatePlan, Reservation } from './entities.ts';

export async function propertyOf(ctx: CommandContext): Promise<Property> {
  return ctx.em.findOneOrFail(Property, ctx.propertyId);
}

export async function requireRoomType(ctx: CommandContext, roomTypeId: string): Promise<RoomType> {
  const type = await ctx.em.findOne(RoomType, { id: roomTypeId, property: ctx.propertyId, deletedAt: null });
  if (!type) throw notFound('Room type');
  return type;
}

export async function requireRoomTypes(ctx: CommandContext, roomTypeIds: string[]): Promise<RoomType[]> {
  const unique = [...new Set(roomTypeIds)];
  const types = await ctx.em.find(RoomType, { id: { $in: unique }, property: ctx.propertyId, deletedAt: null });
  if (types.length !== unique.length) throw notFound('Room type');
  return types;
}

export async function requireRoom(ctx: CommandContext, roomId: string): Promise<Room> {
  const room = await ctx.em.findOne(Room, { id: roomId, property: ctx.propertyId, deletedAt: null });
  if (!room) throw notFound('Room');
  return room;
}

export async function requireRatePlan(ctx: CommandContext, ratePlanId: string): Promise<RatePlan> {
  const plan = await ctx.em.findOne(RatePlan, { id: ratePlanId, property: ctx.propertyId });
  if (!plan) throw notFound('Rate plan');
  return plan;
}

/** The plan a booking gets when none is named: the default plan selling the type, else any active one. */
export async function defaultPlanFor(ctx: CommandContext, roomTypeId: string): Promise<RatePlan | null> {
  const plans = await ctx.em.find(RatePlan, { property: ctx.propertyId, active: true }, { orderBy: { isDefault: 'desc', code: 'asc' } });
  return plans.find((p) => p.roomTypeIds.includes(roomTypeId)) ?? null;
}

/** An offer by its code (case-insensitive); an unknown code is an input error the agent can fix. */
export async function requireOfferByCode(ctx: CommandContext, code: string): Promise<Offer> {
  const offer = await ctx.em.findOne(Offer, { property: ctx.propertyId, code: code.trim().toUpperCase() });
  if (!offer) throw invalid(`Unknown offer code ${code.trim().toUpperCase()}`);
  return offer;
}

/**
 * The reservation, row-locked for the rest of the command so two desks acting on it queue up and the
 * second sees the first's result. Related rows are loaded after the lock (FOR UPDATE cannot cover outer joins).
 */
export async function lockReservation(ctx: CommandContext, reservationId: string): Promise<Reservation> {
  const res = await ctx.em.findOne(Reservation, { id: reservationId, property: ctx.propertyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!res) throw notFound('Reservation');
  await ctx.em.populate(res, ['guest', 'offer', 'group', 'roomType', 'ratePlan']);
  return res;
}

/** The reservation for reading (no lock). */
export async function findReservation(ctx: CommandContext, reservationId: string): Promise<Reservation> {
  const res = await ctx.em.findOne(Reservation, { id: reservationId, property: ctx.propertyId });
  if (!res) throw notFound('Reservation');
  await ctx.em.populate(res, ['guest', 'offer', 'group', 'roomType', 'ratePlan']);
  return res;
}

export async function actorName(ctx: CommandContext): Promise<string> {
  const user = await ctx.em.findOne(User, ctx.actor.userId);
  return user?.name ?? 'Staff';
}
