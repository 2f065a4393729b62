import { LockMode } from '@mikro-orm/core';
import { roomCreated, roomUpdated, type PayloadOf, type RoomStatus, type RoomView, type roomCreate, type roomSetStatus, type roomUpdate } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, notFound } from '../../pipeline/errors.ts';
import { Room, RoomType } from './entities.ts';
import { setStatusByHandById, type StatusChange } from '../housekeeping/room-status.service.ts';

export function toRoomView(room: Room): RoomView {
  return {
    id: room.id,
    propertyId: room.property.id,
    number: room.number,
    floor: room.floor,
    roomTypeId: room.roomType.id,
    status: room.status as RoomStatus,
    features: room.features,
    version: room.version,
  };
}

async function requireRoomType(ctx: CommandContext, roomTypeId: string): Promise<RoomType> {
  const type = await ctx.em.findOne(RoomType, { id: roomTypeId, property: ctx.propertyId, deletedAt: null });
  if (!type) throw notFound('Room type');
  return type;
}

async function requireFreeNumber(ctx: CommandContext, number: string, exceptRoomId?: string): Promise<void> {
  const taken = await ctx.em.findOne(Room, { property: ctx.propertyId, number, ...(exceptRoomId ? { id: { $ne: exceptRoomId } } : {}) });
  if (taken) throw conflict(`Room ${number} already exists`);
}

export async function createRoom(ctx: CommandContext, input: PayloadOf<typeof roomCreate>): Promise<RoomView> {
  const roomType = await requireRoomType(ctx, input.roomTypeId);
  await requireFreeNumber(ctx, input.number);
  const room = ctx.em.create(Room, {
    property: ctx.propertyId,
    roomType,
    number: input.number,
    floor: input.floor,
    features: input.features ?? [],
    status: 'dirty',
  });
  await ctx.em.flush();
  const view = toRoomView(room);
  ctx.recordChange({ type: 'room', id: room.id, after: view });
  ctx.emit(roomCreated, view);
  return view;
}

export async function updateRoom(ctx: CommandContext, input: PayloadOf<typeof roomUpdate>): Promise<RoomView> {
  const room = await ctx.em.findOne(Room, { id: input.roomId, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!room) throw notFound('Room');
  if (input.version !== undefined && input.version !== room.version) {
    throw conflict('Someone else changed this room in the meantime; reload and try again', { currentVersion: room.version });
  }
  const before = toRoomView(room);
  if (input.roomTypeId !== undefined && input.roomTypeId !== room.roomType.id) room.roomType = await requireRoomType(ctx, input.roomTypeId);
  if (input.number !== undefined && input.number !== room.number) {
    await requireFreeNumber(ctx, input.number, room.id);
    room.number = input.number;
  }
  if (input.floor !== undefined) room.floor = input.floor;
  if (input.features !== undefined) room.features = input.features;
  const changed = diff(before, { ...toRoomView(room), version: before.version });
  if (!changed) return before;
  await ctx.em.flush();
  const after = toRoomView(room);
  ctx.recordChange({ type: 'room', id: room.id, before: changed.before, after: changed.after });
  ctx.emit(roomUpdated, after);
  return after;
}

/** Rules of the status machine live in housekeeping: which transitions need which powers, what else changes. */
export async function setRoomStatus(ctx: CommandContext, input: PayloadOf<typeof roomSetStatus>): Promise<StatusChange> {
  // A row lock rather than a version check: two people setting a status should both succeed, in order.
  return setStatusByHandById(ctx, input.roomId, input.status, input.reason);
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}
