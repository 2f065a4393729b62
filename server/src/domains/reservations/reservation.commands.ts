import {
  availabilitySearch, reservationAddNote, reservationAssignRoom, reservationAutoAssign, reservationCancel, reservationCheckIn, reservationCheckOut,
  reservationConfirm, reservationCreate, reservationExtend, reservationGet, reservationMarkNoShow, reservationModify, reservationMoveRoom,
  reservationSetLateCheckout, reservationUnassignRoom,
} from '@innboard/shared';
import { byEntity, byPropertyId, defineHandler } from '../../pipeline/types.ts';
import { searchAvailability } from './availability.service.ts';
import { addNote, confirmReservation, createReservation, getReservation, modifyReservation, setLateCheckout } from './reservation.service.ts';
import { cancelReservation, markNoShow } from './cancellation.service.ts';
import { assignRoom, autoAssign, moveRoom, unassignRoom } from './assignment.service.ts';
import { checkIn, checkOut, extendStay } from './stay.service.ts';

const byReservation = byEntity('reservation', 'reservationId');

export const reservationHandlers = [
  defineHandler(availabilitySearch, { scope: byPropertyId, handle: searchAvailability }),
  defineHandler(reservationCreate, { scope: byPropertyId, handle: createReservation }),
  defineHandler(reservationGet, { scope: byReservation, handle: getReservation }),
  defineHandler(reservationModify, { scope: byReservation, handle: modifyReservation }),
  defineHandler(reservationConfirm, { scope: byReservation, handle: confirmReservation }),
  defineHandler(reservationCancel, { scope: byReservation, handle: cancelReservation }),
  defineHandler(reservationMarkNoShow, { scope: byReservation, handle: markNoShow }),
  defineHandler(reservationAssignRoom, { scope: byReservation, handle: assignRoom }),
  defineHandler(reservationUnassignRoom, { scope: byReservation, handle: unassignRoom }),
  defineHandler(reservationAutoAssign, { scope: byReservation, handle: autoAssign }),
  defineHandler(reservationMoveRoom, { scope: byReservation, handle: moveRoom }),
  defineHandler(reservationExtend, { scope: byReservation, handle: extendStay }),
  defineHandler(reservationSetLateCheckout, { scope: byReservation, handle: setLateCheckout }),
  defineHandler(reservationAddNote, { scope: byReservation, handle: addNote }),
  defineHandler(reservationCheckIn, { scope: byReservation, handle: checkIn }),
  defineHandler(reservationCheckOut, { scope: byReservation, handle: checkOut }),
];
