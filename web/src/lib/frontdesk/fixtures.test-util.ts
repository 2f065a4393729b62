// Builders for the front desk's unit tests.
import type { Reservation, RoomBlock } from './model.ts';
import { daysBetween } from './dates.ts';

export const P = '00000000-0000-4000-8000-000000000001';
export const STD = '00000000-0000-4000-8000-0000000000a1';
export const DLX = '00000000-0000-4000-8000-0000000000a2';
export const PLAN = '00000000-0000-4000-8000-0000000000b1';

export function reservation(id: string, arrival: string, departure: string, opts: Partial<Reservation> & { room?: string | null } = {}): Reservation {
  const { room = null, ...rest } = opts;
  const roomTypeId = rest.roomTypeId ?? STD;
  return {
    id,
    propertyId: P,
    status: 'confirmed',
    roomTypeId,
    roomId: room,
    segments: room ? [{ roomId: room, roomTypeId, from: arrival, to: departure }] : [],
    arrival,
    departure,
    nights: daysBetween(arrival, departure),
    adults: 2,
    children: 0,
    guest: { id: `g-${id}`, name: `Guest, ${id}`, vip: false },
    ratePlanId: PLAN,
    offerCode: null,
    total: 10000,
    currency: 'EUR',
    cancellationFee: null,
    groupId: null,
    source: 'phone',
    notes: [],
    lateCheckout: null,
    checkedInAt: null,
    checkedOutAt: null,
    version: 1,
    ...rest,
  };
}

export function block(id: string, roomId: string, from: string, to: string, kind: RoomBlock['kind'] = 'out_of_order'): RoomBlock {
  return { id, roomId, kind, from, to, reason: 'Leak', released: false, version: 1 };
}
