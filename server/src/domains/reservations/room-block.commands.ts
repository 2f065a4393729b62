import { roomBlock, roomUnblock } from '@innboard/shared';
import { byEntity, defineHandler } from '../../pipeline/types.ts';
import { placeRoomBlock, releaseRoomBlock } from './room-block.service.ts';

export const roomBlockHandlers = [
  defineHandler(roomBlock, { scope: byEntity('room', 'roomId'), handle: placeRoomBlock }),
  defineHandler(roomUnblock, { scope: byEntity('room_block', 'blockId'), handle: (ctx, input) => releaseRoomBlock(ctx, input.blockId) }),
];
