import { roomCreate, roomSetStatus, roomUpdate } from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { createRoom, setRoomStatus, updateRoom } from './room.service.ts';
import { fastStatusByHand, roomStatusScope } from '../housekeeping/room-status.service.ts';

export const roomHandlers = [
  defineHandler(roomCreate, { scope: byPropertyId, handle: createRoom }),
  defineHandler(roomUpdate, { scope: byEntity('room', 'roomId'), handle: updateRoom }),
  defineHandler(roomSetStatus, { scope: roomStatusScope, handle: setRoomStatus, fast: fastStatusByHand }),
];
