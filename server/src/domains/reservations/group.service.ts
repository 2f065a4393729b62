import { LockMode } from '@mikro-orm/core';
import { groupCreated, groupUpdated, type GroupView, type PayloadOf, type ReservationCreateResult, type ReservationView, type groupAddReservation, type groupCreate, type groupGet, type groupRelease } from '@innboard/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid, notFound } from '../../pipeline/errors.ts';
import { nightsOf } from '../property/hotel-date.ts';
import { Group, Reservation } from './entities.ts';
import { blockSummaries, insertBlockNights, releaseTypeNights, shrinkBlockToPickUp, takeTypeNights } from './inventory.repository.ts';
import { defaultPlanFor, propertyOf, requireRatePlan, requireRoomTypes } from './lookups.ts';
import { bookStay, MAX_NIGHTS } from './reservation.service.ts';
import { reservationViews } from './reservation.view.ts';

export async function groupViews(em: EntityManager, groups: Group[]): Promise<GroupView[]> {
  const blocks = await blockSummaries(em, groups.map((g) => g.id));
  return groups.map((g) => ({
    id: g.id, name: g.name, arrival: g.arrival, departure: g.departure, ratePlanId: g.ratePlan.id, status: g.status as GroupView['status'],
    notes: g.notes, blocks: blocks.get(g.id) ?? [], version: g.version,
  }));
}

/** Tells the boards a group's pick-up changed (a rooming-list booking came or went). */
export async function announceGroup(ctx: CommandContext, group: Group): Promise<void> {
  await ctx.em.flush();
  const [view] = await groupViews(ctx.em, [group]);
  ctx.emit(groupUpdated, { group: view! });
}

async function requireGroup(ctx: CommandContext, groupId: string, lock = false): Promise<Group> {
  const group = await ctx.em.findOne(Group, { id: groupId, property: ctx.propertyId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!group) throw notFound('Group');
  await ctx.em.populate(group, ['ratePlan']);
  return group;
}

/** Holds the block: the rooms leave general sale now, so the group can never be oversold. */
export async function createGroup(ctx: CommandContext, input: PayloadOf<typeof groupCreate>): Promise<GroupView> {
  const property = await propertyOf(ctx);
  if (input.arrival < property.businessDate) throw invalid(`Arrival cannot be before the hotel date ${property.businessDate}`);
  if (nightsOf(input.arrival, input.departure).length > MAX_NIGHTS) throw invalid(`A group stay can be at most ${MAX_NIGHTS} nights`);
  const typeIds = input.blocks.map((b) => b.roomTypeId);
  if (new Set(typeIds).size !== typeIds.length) throw invalid('List each room type once');
  const types = await requireRoomTypes(ctx, typeIds);
  const plan = input.ratePlanId ? await requireRatePlan(ctx, input.ratePlanId) : await defaultPlanFor(ctx, typeIds[0]!);
  if (!plan || !plan.active) throw conflict('No active rate plan for the group');
  const unsold = types.filter((t) => !plan.roomTypeIds.includes(t.id));
  if (unsold.length) throw invalid(`${plan.name} is not sold for ${unsold.map((t) => t.name).join(', ')}`);
  const group = ctx.em.create(Group, { property: ctx.propertyId, name: input.name, arrival: input.arrival, departure: input.departure, ratePlan: plan, status: 'open', notes: input.notes ?? '' });
  await ctx.em.flush();
  const dates = nightsOf(input.arrival, input.departure);
  for (const block of [...input.blocks].sort((a, b) => a.roomTypeId.localeCompare(b.roomTypeId))) {
    const type = types.find((t) => t.id === block.roomTypeId)!;
    await takeTypeNights(ctx.em, type, dates, block.rooms);
    await insertBlockNights(ctx.em, group.id, type.id, dates, block.rooms);
  }
  const [view] = await groupViews(ctx.em, [group]);
  ctx.recordChange({ type: 'group', id: group.id, after: view! });
  ctx.emit(groupCreated, { group: view! });
  return view!;
}

export async function addToGroup(ctx: CommandContext, input: PayloadOf<typeof groupAddReservation>): Promise<ReservationCreateResult> {
  const group = await requireGroup(ctx, input.groupId, true);
  const { result } = await bookStay(ctx, {
    roomTypeId: input.roomTypeId, arrival: input.arrival ?? group.arrival, departure: input.departure ?? group.departure,
    adults: input.adults, children: input.children, roomId: input.roomId, guest: input.guest, source: 'group', group,
  });
  await announceGroup(ctx, group);
  return result;
}

/** Cut-off: rooms of the block nobody picked up go back on sale (from the business date on). */
export async function releaseGroup(ctx: CommandContext, input: PayloadOf<typeof groupRelease>): Promise<GroupView> {
  const group = await requireGroup(ctx, input.groupId, true);
  if (group.status === 'released') return (await groupViews(ctx.em, [group]))[0]!;
  const property = await propertyOf(ctx);
  const freed = await shrinkBlockToPickUp(ctx.em, group.id, property.businessDate);
  const byType = new Map<string, Map<number, string[]>>();
  for (const f of freed) {
    const byCount = byType.get(f.roomTypeId) ?? byType.set(f.roomTypeId, new Map()).get(f.roomTypeId)!;
    byCount.set(f.freed, [...(byCount.get(f.freed) ?? []), f.date]);
  }
  for (const [typeId, byCount] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    for (const [count, dates] of byCount) await releaseTypeNights(ctx.em, typeId, dates.sort(), count);
  }
  group.status = 'released';
  await ctx.em.flush();
  const [view] = await groupViews(ctx.em, [group]);
  ctx.recordChange({ type: 'group', id: group.id, before: { status: 'open' }, after: { status: 'released', roomNightsReleased: freed.reduce((s, f) => s + f.freed, 0) } });
  ctx.emit(groupUpdated, { group: view! });
  return view!;
}

export async function getGroup(ctx: CommandContext, input: PayloadOf<typeof groupGet>): Promise<{ group: GroupView; roomingList: ReservationView[] }> {
  const group = await requireGroup(ctx, input.groupId);
  const property = await propertyOf(ctx);
  const list = await ctx.em.find(Reservation, { group: group.id }, { orderBy: { arrival: 'asc', createdAt: 'asc' } });
  return { group: (await groupViews(ctx.em, [group]))[0]!, roomingList: await reservationViews(ctx.em, list, property.businessDate) };
}
