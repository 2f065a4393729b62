import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { id } from './common.ts';

export const ROOM_STATUSES = ['clean', 'dirty', 'inspected', 'out_of_order', 'out_of_service'] as const;
export const roomStatus = z.enum(ROOM_STATUSES);
export type RoomStatus = z.infer<typeof roomStatus>;

const roomNumber = z.string().trim().min(1).max(10);
const floor = z.number().int().min(-5).max(200);
const features = z.array(z.string().trim().min(1).max(40)).max(30);

export const roomCreate = defineCommand('room.create', {
  permission: 'room.manage',
  description: 'Add a room to a property.',
  payload: z.object({
    propertyId: id,
    number: roomNumber,
    floor,
    roomTypeId: id,
    features: features.optional(),
  }),
});

export const roomUpdate = defineCommand('room.update', {
  permission: 'room.manage',
  description: 'Change a room\'s number, floor, type or features. `version` guards against concurrent edits.',
  payload: z.object({
    roomId: id,
    version: z.number().int().min(1).optional(),
    number: roomNumber.optional(),
    floor: floor.optional(),
    roomTypeId: id.optional(),
    features: features.optional(),
  }),
});

export const roomSetStatus = defineCommand('room.setStatus', {
  permission: 'room.setStatus',
  description: 'Set the housekeeping status of a room. Setting the status it already has changes nothing.',
  payload: z.object({
    roomId: id,
    status: roomStatus,
    reason: z.string().trim().max(500).optional(),
  }),
});

export const roomView = z.object({
  id,
  propertyId: id,
  number: z.string(),
  floor: z.number().int(),
  roomTypeId: id,
  status: roomStatus,
  features: z.array(z.string()),
  version: z.number().int(),
});
export type RoomView = z.infer<typeof roomView>;

export const roomCreated = defineEvent('room.created', { description: 'A room was added.', payload: roomView });
export const roomUpdated = defineEvent('room.updated', { description: 'A room\'s attributes changed.', payload: roomView });
export const roomStatusChanged = defineEvent('room.statusChanged', {
  description: 'A room\'s housekeeping status changed.',
  payload: z.object({ roomId: id, status: roomStatus, previousStatus: roomStatus, reason: z.string().optional() }),
});

export const roomCommands = [roomCreate, roomUpdate, roomSetStatus] as const;
export const roomEvents = [roomCreated, roomUpdated, roomStatusChanged] as const;
