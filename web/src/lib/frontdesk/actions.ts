import {
  reservationAssignRoom,
  reservationAutoAssign,
  reservationCancel,
  reservationCheckIn,
  reservationCheckOut,
  reservationConfirm,
  reservationExtend,
  reservationMarkNoShow,
  reservationModify,
  reservationMoveRoom,
  type Ack,
} from '@innboard/shared';
import type { Room } from '#lib/live/read-model.ts';
import type { Reservation } from './model.ts';
import { pendingReservations } from './pending.svelte.ts';
import { daysBetween } from './dates.ts';

// Every reservation change the board makes, with the optimistic picture of it. Each resolves with the
// server's ack (never rejects); refusals show a toast that names the guest.

const who = (r: Reservation) => r.guest.name;

function withDeparture(r: Reservation, departure: string): Reservation {
  const segments = r.segments.map((s, i) => (i === r.segments.length - 1 ? { ...s, to: departure } : s));
  return { ...r, departure, nights: daysBetween(r.arrival, departure), segments };
}

export function assignRoom(r: Reservation, room: Room): Promise<Ack> {
  return pendingReservations.run(reservationAssignRoom, { reservationId: r.id, roomId: room.id }, {
    reservationId: r.id,
    patch: (x) => ({ ...x, roomId: room.id, segments: [{ roomId: room.id, roomTypeId: room.roomTypeId, from: x.arrival, to: x.departure }] }),
    failure: `${who(r)} was not put in room ${room.number}`,
  });
}

/** An in-house guest changes rooms from the business date on; the nights before stay where they were. */
export function moveRoom(r: Reservation, room: Room, businessDate: string, reason?: string): Promise<Ack> {
  const from = businessDate > r.arrival ? businessDate : r.arrival;
  return pendingReservations.run(reservationMoveRoom, { reservationId: r.id, roomId: room.id, reason: reason?.trim() || undefined }, {
    reservationId: r.id,
    patch: (x) => ({
      ...x,
      roomId: room.id,
      segments: [
        ...x.segments.filter((s) => s.from < from).map((s) => ({ ...s, to: s.to < from ? s.to : from })),
        { roomId: room.id, roomTypeId: room.roomTypeId, from, to: x.departure },
      ],
    }),
    failure: `${who(r)} was not moved to room ${room.number}`,
  });
}

export function autoAssign(r: Reservation): Promise<Ack> {
  return pendingReservations.run(reservationAutoAssign, { reservationId: r.id }, { reservationId: r.id, failure: `No room was found for ${who(r)}` });
}

export function extendStay(r: Reservation, departure: string): Promise<Ack> {
  return pendingReservations.run(reservationExtend, { reservationId: r.id, departure }, {
    reservationId: r.id,
    patch: (x) => withDeparture(x, departure),
    failure: `The stay of ${who(r)} was not extended`,
  });
}

/** New dates for a stay not yet checked in (re-priced by the server). */
export function changeDates(r: Reservation, arrival: string, departure: string): Promise<Ack> {
  return pendingReservations.run(reservationModify, { reservationId: r.id, version: r.version, arrival, departure }, {
    reservationId: r.id,
    patch: (x) => (x.segments.length <= 1 && x.arrival === arrival ? withDeparture(x, departure) : x),
    failure: `The dates of ${who(r)} were not changed`,
  });
}

/**
 * Check-in; a CONFLICT (room not ready) is returned to the caller, which offers the override. Not shown
 * ahead of the server: a refusal is common (dirty room) and a guest must not flash "in house".
 */
export function checkIn(r: Reservation, overrideReason?: string): Promise<Ack> {
  return pendingReservations.run(reservationCheckIn, { reservationId: r.id, override: overrideReason ? { reason: overrideReason.trim() } : undefined }, {
    reservationId: r.id,
  });
}

export function checkOut(r: Reservation): Promise<Ack> {
  return pendingReservations.run(reservationCheckOut, { reservationId: r.id }, {
    reservationId: r.id,
    patch: (x) => ({ ...x, status: 'checked_out' }),
    failure: `${who(r)} was not checked out`,
  });
}

export function cancel(r: Reservation, reason: string): Promise<Ack> {
  return pendingReservations.run(reservationCancel, { reservationId: r.id, reason: reason.trim(), version: r.version }, {
    reservationId: r.id,
    patch: (x) => ({ ...x, status: 'cancelled', segments: [], roomId: null }),
    failure: `The booking of ${who(r)} was not cancelled`,
  });
}

export function markNoShow(r: Reservation): Promise<Ack> {
  return pendingReservations.run(reservationMarkNoShow, { reservationId: r.id, version: r.version }, {
    reservationId: r.id,
    patch: (x) => ({ ...x, status: 'no_show', segments: [], roomId: null }),
    failure: `${who(r)} was not marked as a no-show`,
  });
}

export function confirm(r: Reservation): Promise<Ack> {
  return pendingReservations.run(reservationConfirm, { reservationId: r.id, version: r.version }, {
    reservationId: r.id,
    patch: (x) => ({ ...x, status: 'confirmed' }),
    failure: `The booking of ${who(r)} was not confirmed`,
  });
}
