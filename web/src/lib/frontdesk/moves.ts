import type { Reservation } from './model.ts';
import { addDays } from './dates.ts';
import { checkNights, isBlocking, type NightCheck } from './tape.ts';
import type { FrontDeskModel } from './model.ts';

// What a drag on the tape chart would do, decided before the drop so the target can turn red and the
// reason can be read out. The server still has the last word (its answer wins and is shown).

export interface RoomRef {
  id: string;
  number: string;
  roomTypeId: string;
}

export type MovePlan =
  | { kind: 'none' }
  | { kind: 'refused'; reason: string; nights: NightCheck[] }
  /** `assign`: before check-in, the whole stay. `move`: in-house, from the business date on. */
  | { kind: 'assign' | 'move'; roomId: string; nights: NightCheck[]; warning?: string };

const BOOKED = new Set<Reservation['status']>(['tentative', 'confirmed']);

export function planMove(model: FrontDeskModel, reservation: Reservation, target: RoomRef, businessDate: string, typeName: (id: string) => string): MovePlan {
  const inHouse = reservation.status === 'checked_in';
  if (!inHouse && !BOOKED.has(reservation.status)) {
    return { kind: 'refused', reason: `A ${reservation.status.replaceAll('_', ' ')} stay cannot change rooms`, nights: [] };
  }
  if (reservation.roomId === target.id && reservation.segments.length > 0) return { kind: 'none' };
  // An in-house guest moves from tonight on; a booked stay moves as a whole.
  const from = inHouse && businessDate > reservation.arrival ? businessDate : reservation.arrival;
  const nights = checkNights(model, target.id, from, reservation.departure, reservation.id);
  const clash = nights.find((n) => isBlocking(n.problem));
  if (clash) {
    const why = clash.problem === 'occupied' ? `is taken by ${clash.detail}` : `is out of order (${clash.detail})`;
    return { kind: 'refused', reason: `Room ${target.number} ${why} on ${clash.date}`, nights };
  }
  if (!inHouse && target.roomTypeId !== reservation.roomTypeId) {
    return {
      kind: 'refused',
      reason: `Room ${target.number} is a ${typeName(target.roomTypeId)}; the booking is for a ${typeName(reservation.roomTypeId)}. Change the room type first`,
      nights,
    };
  }
  const oos = nights.find((n) => n.problem === 'out_of_service');
  return { kind: inHouse ? 'move' : 'assign', roomId: target.id, nights, warning: oos ? `Room ${target.number} is out of service (${oos.detail})` : undefined };
}

export type ResizePlan =
  | { kind: 'none' }
  | { kind: 'refused'; reason: string; nights: NightCheck[] }
  /** `extend`: a later departure, same room. `shorten`: an earlier one (modify, before check-in). */
  | { kind: 'extend' | 'shorten'; departure: string; nights: NightCheck[] };

export function planResize(model: FrontDeskModel, reservation: Reservation, departure: string): ResizePlan {
  if (departure === reservation.departure) return { kind: 'none' };
  const inHouse = reservation.status === 'checked_in';
  if (!inHouse && !BOOKED.has(reservation.status)) {
    return { kind: 'refused', reason: `A ${reservation.status.replaceAll('_', ' ')} stay cannot change dates`, nights: [] };
  }
  if (departure <= reservation.arrival) return { kind: 'refused', reason: 'A stay needs at least one night', nights: [] };
  if (departure < reservation.departure) {
    if (inHouse) return { kind: 'refused', reason: 'An in-house guest leaving early is checked out early instead', nights: [] };
    return { kind: 'shorten', departure, nights: [] };
  }
  const room = reservation.segments[reservation.segments.length - 1]?.roomId;
  // Unassigned: only the type's inventory matters, which the server checks.
  const nights = room ? checkNights(model, room, reservation.departure, departure, reservation.id) : [];
  const clash = nights.find((n) => isBlocking(n.problem));
  if (clash) {
    const why = clash.problem === 'occupied' ? `taken by ${clash.detail}` : 'out of order';
    return { kind: 'refused', reason: `The room is ${why} on ${clash.date}`, nights };
  }
  return { kind: 'extend', departure, nights };
}

/** The departure a resize drag lands on: at least one night after arrival. */
export function clampDeparture(reservation: Reservation, departure: string): string {
  const min = addDays(reservation.arrival, 1);
  return departure < min ? min : departure;
}
