import { describe, expect, it } from 'vitest';
import type { AvailabilityResult, Quote } from '@innboard/shared';
import { byPrice, departureOf, firstChoice, guestPayload, newStay, splitName } from './draft.ts';

const quote = (ratePlanId: string, total: number): Quote => ({
  ratePlanId, name: ratePlanId, total, currency: 'EUR', nightly: [], discount: 0, offerCode: null, refundable: true,
  cancellationPolicy: { freeUntilDaysBefore: 1, penalty: 'first_night' }, inclusions: [],
});

describe('new reservation draft', () => {
  it('starts on the business date for one night', () => {
    const stay = newStay('2026-11-21');
    expect(departureOf(stay)).toBe('2026-11-22');
    expect(departureOf({ ...stay, nights: 3 })).toBe('2026-11-24');
  });

  it('preselects the cheapest refundable quote of any type with rooms left, and sorts types by price', () => {
    const result = {
      arrival: '2026-11-21', departure: '2026-11-22', nights: 1, currency: 'EUR', offer: null,
      roomTypes: [
        { roomTypeId: 'sold', name: 'Sold out', available: 0, quotes: [quote('a', 1)], restricted: [] },
        { roomTypeId: 'dlx', name: 'Deluxe', available: 3, quotes: [quote('dlx-bar', 15000)], restricted: [] },
        { roomTypeId: 'std', name: 'Standard', available: 3, quotes: [quote('bar', 12000), { ...quote('nr', 10800), refundable: false }], restricted: [] },
      ],
    } satisfies AvailabilityResult;
    expect(firstChoice(result)).toMatchObject({ roomTypeId: 'std', quote: { ratePlanId: 'bar' } });
    expect(byPrice(result).map((t) => t.roomTypeId)).toEqual(['std', 'dlx', 'sold']);
    expect(firstChoice({ ...result, roomTypes: [] })).toBeNull();
  });

  it('splits a typed name and drops empty contact fields', () => {
    expect(splitName('Ada King Lovelace')).toEqual({ firstName: 'Ada King', lastName: 'Lovelace' });
    expect(splitName('Lovelace, Ada')).toEqual({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(splitName('Lovelace')).toEqual({ firstName: '', lastName: 'Lovelace' });
    expect(guestPayload({ kind: 'new', firstName: ' Ada ', lastName: 'Lovelace', email: '', phone: ' ' })).toEqual({ firstName: 'Ada', lastName: 'Lovelace', email: undefined, phone: undefined });
  });
});
