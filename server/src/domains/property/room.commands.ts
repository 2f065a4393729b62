import { roomCreate, roomSetStatus, roomUpdate } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { createRoom, setRoomStatus, updateRoom } from './room.service.ts';

export const roomHandlers = [
  defineHandler(roomCreate, { scope: byPropertyId, handle: createRoom }),
  defineHandler(roomUpdate, { scope: byEntity('room', 'roomId'), handle: updateRoom }),
  defineHandler(roomSetStatus, { scope: byEntity('room', 'roomId'), handle: setRoomStatus }),
];
