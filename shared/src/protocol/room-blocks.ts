import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { hotelDate, id } from './common.ts';

// Out-of-order / out-of-service blocks of a room over a range of nights [from, to).
// out_of_order takes the room out of inventory (availability drops) and can never overlap a stay;
// out_of_service keeps it sellable, flagged (e.g. a broken minibar).

export const ROOM_BLOCK_KINDS = ['out_of_order', 'out_of_service'] as const;
export const roomBlockKind = z.enum(ROOM_BLOCK_KINDS);

export const roomBlock = defineCommand('room.block', {
  permission: 'room.block',
  description: 'Block a room for nights [from, to). out_of_order: CONFLICT when it overlaps an assigned stay or would oversell the type.',
  payload: z
    .object({ roomId: id, from: hotelDate, to: hotelDate, kind: roomBlockKind, reason: z.string().trim().min(1).max(500) })
    .refine((b) => b.to > b.from, { message: '`to` must be after `from`', path: ['to'] }),
});

export const roomUnblock = defineCommand('room.unblock', {
  permission: 'room.block',
  description: 'End a block from the business date on (nights already past stay blocked in the history).',
  payload: z.object({ blockId: id }),
});

export const roomBlockView = z.object({
  id,
  roomId: id,
  kind: roomBlockKind,
  from: hotelDate,
  /** First night no longer blocked (earlier than planned once released). */
  to: hotelDate,
  reason: z.string(),
  released: z.boolean(),
  version: z.number().int(),
});
export type RoomBlockView = z.infer<typeof roomBlockView>;

export const roomBlocked = defineEvent('room.blocked', { description: 'A room was blocked.', payload: z.object({ block: roomBlockView }) });
export const roomUnblocked = defineEvent('room.unblocked', { description: 'A room block ended (see `to`).', payload: z.object({ block: roomBlockView }) });

export const roomBlockCommands = [roomBlock, roomUnblock] as const;
export const roomBlockEvents = [roomBlocked, roomUnblocked] as const;
