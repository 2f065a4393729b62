import { describe, expect, it } from 'vitest';
import { applyDiscount, derivedAmount, deriveDay, evaluateStay, offerProblem, type PlanCalendar, type PlanDay } from './pricing.ts';
import { cancellationFee } from './cancellation.service.ts';
import { rankRooms, type RoomCandidate } from './assignment.service.ts';

const day = (amount: number | null, extra: Partial<PlanDay> = {}): PlanDay => ({ amount, minStay: null, closed: false, closedToArrival: false, closedToDeparture: false, ...extra });
const calendar = (entries: Array<[string, PlanDay]>): PlanCalendar => new Map(entries);
const week: Array<[string, PlanDay]> = ['2027-03-01', '2027-03-02', '2027-03-03', '2027-03-04', '2027-03-05'].map((d, i) => [d, day(10_000 + i * 100)]);

describe('derived plans', () => {
  it('apply a percentage and a fixed amount to the parent price, rounded to minor units', () => {
    expect(derivedAmount(11_900, -1000, 0)).toBe(10_710);
    expect(derivedAmount(9_999, -1000, 0)).toBe(8_999); // 8999.1 rounds down
    expect(derivedAmount(11_900, 0, 1_800)).toBe(13_700);
    expect(derivedAmount(1_000, -10_000, -500)).toBe(0);
  });
  it('inherit the parent restrictions and add their own', () => {
    const derived = deriveDay(day(10_000, { minStay: 2, closedToArrival: true }), day(null, { minStay: 3, closed: true }), { adjustBasisPoints: -1000, adjustAmount: 0 });
    expect(derived).toEqual({ amount: 9_000, minStay: 3, closed: true, closedToArrival: true, closedToDeparture: false });
    expect(deriveDay(day(null), undefined, { adjustBasisPoints: 0, adjustAmount: 100 }).amount).toBeNull();
  });
});

describe('stay restrictions', () => {
  it('price every night and leave out the departure day', () => {
    expect(evaluateStay(calendar(week), '2027-03-01', '2027-03-03')).toEqual({ ok: true, nightly: [{ date: '2027-03-01', amount: 10_000 }, { date: '2027-03-02', amount: 10_100 }] });
  });
  it('refuse unpriced nights, closed nights, arrival and departure closures and short stays', () => {
    const cal = calendar([...week]);
    cal.set('2027-03-02', day(10_100, { closed: true }));
    expect(evaluateStay(cal, '2027-03-01', '2027-03-03')).toEqual({ ok: false, reason: 'Closed on 2027-03-02' });
    expect(evaluateStay(cal, '2027-03-03', '2027-03-05').ok).toBe(true);
    // A closed day may be the departure day: no night is sold on it.
    expect(evaluateStay(cal, '2027-03-01', '2027-03-02').ok).toBe(true);
    expect(evaluateStay(cal, '2027-03-04', '2027-03-07')).toEqual({ ok: false, reason: 'Not for sale on 2027-03-06' });
    cal.set('2027-03-03', day(10_200, { closedToArrival: true, minStay: 2 }));
    expect(evaluateStay(cal, '2027-03-03', '2027-03-05')).toEqual({ ok: false, reason: 'Closed to arrival on 2027-03-03' });
    cal.set('2027-03-03', day(10_200, { minStay: 2 }));
    expect(evaluateStay(cal, '2027-03-03', '2027-03-04')).toEqual({ ok: false, reason: 'Minimum stay is 2 nights for arrival on 2027-03-03' });
    expect(evaluateStay(cal, '2027-03-03', '2027-03-05').ok).toBe(true);
    cal.set('2027-03-05', day(10_400, { closedToDeparture: true }));
    expect(evaluateStay(cal, '2027-03-03', '2027-03-05')).toEqual({ ok: false, reason: 'Closed to departure on 2027-03-05' });
    expect(evaluateStay(cal, '2027-03-03', '2027-03-05', { ignoreRestrictions: true }).ok).toBe(true);
  });
});

describe('offers', () => {
  const offer = {
    code: 'SPRING', active: true, bookingFrom: '2027-01-01', bookingUntil: '2027-02-28', stayFrom: '2027-03-01', stayUntil: '2027-03-31',
    minNights: 2, ratePlanIds: ['bar'], roomTypeIds: [] as string[],
  };
  const stay = { businessDate: '2027-02-01', arrival: '2027-03-10', departure: '2027-03-12', ratePlanId: 'bar', roomTypeId: 'std' };
  it('apply inside their booking and stay windows and conditions only', () => {
    expect(offerProblem(offer, stay)).toBeNull();
    expect(offerProblem(offer, { ...stay, businessDate: '2027-03-01' })).toMatch(/could be booked until 2027-02-28/);
    expect(offerProblem(offer, { ...stay, businessDate: '2026-12-31' })).toMatch(/from 2027-01-01/);
    expect(offerProblem(offer, { ...stay, arrival: '2027-03-30', departure: '2027-04-02' })).toMatch(/until 2027-03-31/);
    // The last NIGHT must be inside the window; departing on April 1st is fine.
    expect(offerProblem(offer, { ...stay, arrival: '2027-03-30', departure: '2027-04-01' })).toBeNull();
    expect(offerProblem(offer, { ...stay, departure: '2027-03-11' })).toMatch(/at least 2 nights/);
    expect(offerProblem(offer, { ...stay, ratePlanId: 'nrf' })).toMatch(/rate plan/);
    expect(offerProblem({ ...offer, active: false }, stay)).toMatch(/no longer available/);
    expect(offerProblem({ ...offer, active: false }, { ...stay, businessDate: '2027-06-01' }, { alreadyHeld: true })).toBeNull();
  });
  it('discount each night by a percentage or a fixed amount, never below zero', () => {
    const nightly = [{ date: 'a', amount: 10_050 }, { date: 'b', amount: 300 }];
    expect(applyDiscount(nightly, { kind: 'percent', percent: 10 })).toEqual({ nightly: [{ date: 'a', amount: 9_045 }, { date: 'b', amount: 270 }], discount: 1_035 });
    expect(applyDiscount(nightly, { kind: 'amount', amount: 500 })).toEqual({ nightly: [{ date: 'a', amount: 9_550 }, { date: 'b', amount: 0 }], discount: 800 });
    expect(applyDiscount(nightly, null).discount).toBe(0);
  });
});

describe('cancellation policy', () => {
  const nights = [{ date: '2027-03-10', amount: 12_000, roomTypeId: 't', fromBlock: false }, { date: '2027-03-11', amount: 14_000, roomTypeId: 't', fromBlock: false }];
  it('is free until the deadline, then charges the penalty; a no-show always pays', () => {
    const flexible = { freeUntilDaysBefore: 1, penalty: 'first_night' as const };
    expect(cancellationFee(flexible, nights, '2027-03-09', '2027-03-10')).toBe(0);
    expect(cancellationFee(flexible, nights, '2027-03-10', '2027-03-10')).toBe(12_000);
    expect(cancellationFee(flexible, nights, '2027-03-01', '2027-03-10', true)).toBe(12_000);
    expect(cancellationFee({ freeUntilDaysBefore: null, penalty: 'full_stay' }, nights, '2026-01-01', '2027-03-10')).toBe(26_000);
  });
});

describe('auto-assignment ranking', () => {
  const room = (number: string, floor: number, status: string, extra: Partial<RoomCandidate> = {}): RoomCandidate => ({ id: number, number, floor, status, features: [], outOfService: false, ...extra });
  it('prefers the guest\'s floor, then ready rooms, then liked features, never a flagged room first', () => {
    const rooms = [room('101', 1, 'inspected'), room('305', 3, 'dirty'), room('303', 3, 'clean'), room('309', 3, 'clean', { features: ['quiet'] }), room('201', 2, 'inspected', { outOfService: true })];
    expect(rankRooms(rooms, { floor: 3, features: ['quiet'] }).map((r) => r.number)).toEqual(['309', '303', '305', '101', '201']);
    expect(rankRooms(rooms, {}).map((r) => r.number)).toEqual(['101', '303', '309', '305', '201']);
  });
});
