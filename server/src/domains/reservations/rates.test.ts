import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityResult, OfferView, RatePlanGridResult, RatePlanView, ReservationCreateResult } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, expectEventsMatchContract, guest, hotelOf, ok, sql, type Conn, type Hotel } from './testing.ts';

describe('rates, restrictions, offers and availability', () => {
  let server: TestServer;
  let desk: Conn;
  let manager: Conn;
  let h: Hotel;
  const search = (arrival: string, departure: string, extra: Record<string, unknown> = {}) =>
    desk.command<AvailabilityResult>('availability.search', { propertyId: desk.propertyId, arrival, departure, adults: 2, ...extra });
  const quoteOf = (r: AvailabilityResult, typeCode: string, planCode: string) =>
    r.roomTypes.find((t) => t.roomTypeId === h.type(typeCode).id)?.quotes.find((q) => q.ratePlanId === h.plan(planCode).id);
  const book = (arrival: string, departure: string, extra: Record<string, unknown> = {}) =>
    desk.command<ReservationCreateResult>('reservation.create', { propertyId: desk.propertyId, roomTypeId: h.type('DLX').id, arrival, departure, adults: 2, guest: guest('Rita'), ...extra });
  const restrict = (payload: Record<string, unknown>) => manager.command('ratePlan.setRestrictions', { ratePlanId: h.plan('BAR').id, roomTypeIds: [h.type('DLX').id], ...payload });

  beforeAll(async () => {
    server = await startTestServer();
    [desk, manager] = await Promise.all(['frontdesk@innboard.demo', 'manager@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, manager]) c?.close();
    await server?.stop();
  });

  it('quotes every plan for the types that fit the party; derived plans follow BAR; a search emits no event', async () => {
    const before = manager.events.length;
    const ack = await search(h.day(30), h.day(32));
    expect(ack.ok && !('seq' in ack)).toBe(true);
    const r = ok(ack);
    expect(r.nights).toBe(2);
    expect(r.roomTypes.map((t) => t.name).sort()).toEqual(['Deluxe King', 'Family Room', 'Junior Suite', 'Standard Queen']);
    const bar = quoteOf(r, 'STD', 'BAR')!;
    expect(bar.nightly).toHaveLength(2);
    expect(quoteOf(r, 'STD', 'NRF')).toMatchObject({ total: bar.nightly.reduce((s, n) => s + Math.round(n.amount * 0.9), 0), refundable: false });
    expect(quoteOf(r, 'STD', 'BB')).toMatchObject({ total: bar.total + 2 * 1800, inclusions: ['breakfast'], refundable: true });
    expect(r.roomTypes.find((t) => t.roomTypeId === h.type('STD').id)!.available).toBe(h.snapshot.rooms.filter((x) => x.roomTypeId === h.type('STD').id).length);
    const three = ok(await search(h.day(30), h.day(32), { adults: 3 }));
    expect(three.roomTypes.map((t) => t.name).sort()).toEqual(['Family Room', 'Junior Suite']);
    await settle(200);
    expect(manager.events.length).toBe(before);
  });

  it('applies an offer code to the quotes it fits and says why it does not fit others', async () => {
    const r = ok(await search(h.day(30), h.day(32), { offerCode: 'welcome10' }));
    expect(r.offer).toEqual({ code: 'WELCOME10', valid: true });
    const plain = ok(await search(h.day(30), h.day(32)));
    const q = quoteOf(r, 'DLX', 'BAR')!;
    expect(q.offerCode).toBe('WELCOME10');
    expect(q.total).toBe(quoteOf(plain, 'DLX', 'BAR')!.nightly.reduce((s, n) => s + n.amount - Math.round(n.amount * 0.1), 0));
    expect(q.discount).toBe(quoteOf(plain, 'DLX', 'BAR')!.total - q.total);
    const oneNight = ok(await search(h.day(30), h.day(31), { offerCode: 'WELCOME10' }));
    expect(oneNight.offer).toMatchObject({ valid: false, reason: expect.stringContaining('at least 2 nights') });
    expect(quoteOf(oneNight, 'DLX', 'BAR')!.discount).toBe(0);
    expect(ok(await search(h.day(30), h.day(32), { offerCode: 'BOGUS' })).offer).toMatchObject({ valid: false });
  });

  it('a price change re-prices base and derived plans; only managers may change rates', async () => {
    const dlx = h.type('DLX').id;
    expect(errorCode(await desk.command('ratePlan.setPrices', { ratePlanId: h.plan('BAR').id, roomTypeIds: [dlx], from: h.day(100), to: h.day(102), amount: 20_000 }))).toBe('FORBIDDEN');
    expect(errorCode(await manager.command('ratePlan.setPrices', { ratePlanId: h.plan('NRF').id, roomTypeIds: [dlx], from: h.day(100), to: h.day(102), amount: 20_000 }))).toBe('VALIDATION');
    const set = await manager.command('ratePlan.setPrices', { ratePlanId: h.plan('BAR').id, roomTypeIds: [dlx], from: h.day(100), to: h.day(102), amount: 20_000 });
    expect(set).toMatchObject({ ok: true, result: { nights: 2 }, seq: expect.any(Number) });
    const r = ok(await search(h.day(100), h.day(102)));
    expect(quoteOf(r, 'DLX', 'BAR')!.total).toBe(40_000);
    expect(quoteOf(r, 'DLX', 'NRF')!.total).toBe(36_000);
    expect(quoteOf(r, 'DLX', 'BB')!.total).toBe(43_600);
    const grid = ok(await desk.command<RatePlanGridResult>('ratePlan.grid', { propertyId: desk.propertyId, from: h.day(100), days: 3 }));
    const nrfDays = grid.ratePlans.find((p) => p.ratePlanId === h.plan('NRF').id)!.roomTypes.find((t) => t.roomTypeId === dlx)!.days;
    expect(nrfDays.slice(0, 2).map((d) => d.amount)).toEqual([18_000, 18_000]);
    await manager.waitForEvent((e) => e.type === 'ratePlan.ratesChanged');
  });

  it('a new derived plan sells at once on its parent\'s calendar', async () => {
    const plan = ok(await manager.command<RatePlanView>('ratePlan.create', {
      propertyId: desk.propertyId, code: 'adv15', name: 'Advance purchase', roomTypeIds: [h.type('DLX').id],
      cancellationPolicy: { freeUntilDaysBefore: null, penalty: 'full_stay' }, derivedFrom: { ratePlanId: h.plan('BAR').id, percent: -15 },
    }));
    expect(plan).toMatchObject({ code: 'ADV15', derivedFrom: { percent: -15, amount: 0 }, currency: 'EUR' });
    const r = ok(await search(h.day(100), h.day(101)));
    expect(r.roomTypes.find((t) => t.roomTypeId === h.type('DLX').id)!.quotes.find((q) => q.ratePlanId === plan.id)!.total).toBe(17_000);
    expect(r.roomTypes.find((t) => t.roomTypeId === h.type('STD').id)!.quotes.some((q) => q.ratePlanId === plan.id)).toBe(false);
    expect(errorCode(await manager.command('ratePlan.create', { propertyId: desk.propertyId, code: 'ADV15', name: 'dup', roomTypeIds: [h.type('DLX').id], cancellationPolicy: { freeUntilDaysBefore: 1, penalty: 'first_night' } }))).toBe('CONFLICT');
  });

  it('minimum stay is read on the arrival date, for base and derived plans', async () => {
    ok(await restrict({ from: h.day(110), to: h.day(111), minStay: 3 }));
    const r = ok(await search(h.day(110), h.day(112)));
    const dlx = r.roomTypes.find((t) => t.roomTypeId === h.type('DLX').id)!;
    // Every plan selling Deluxe is BAR or derived from it, so none may be quoted.
    expect(dlx.quotes).toEqual([]);
    expect(dlx.restricted.map((x) => x.ratePlanId)).toEqual(expect.arrayContaining([h.plan('BAR').id, h.plan('BB').id, h.plan('NRF').id]));
    expect(dlx.restricted[0]!.reason).toMatch(/Minimum stay is 3 nights/);
    expect(await book(h.day(110), h.day(112))).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Minimum stay is 3 nights') } });
    ok(await book(h.day(110), h.day(113)));
    // Arriving the day before is not affected by the next day's min stay.
    ok(await book(h.day(109), h.day(111)));
  });

  it('closed to arrival, closed to departure and closed dates', async () => {
    ok(await restrict({ from: h.day(120), to: h.day(121), closedToArrival: true }));
    expect(errorCode(await book(h.day(120), h.day(122)))).toBe('CONFLICT');
    ok(await book(h.day(119), h.day(122)));
    ok(await restrict({ from: h.day(125), to: h.day(126), closedToDeparture: true }));
    expect(errorCode(await book(h.day(123), h.day(125)))).toBe('CONFLICT');
    ok(await book(h.day(123), h.day(126)));
    ok(await restrict({ from: h.day(130), to: h.day(131), closed: true }));
    expect(errorCode(await book(h.day(129), h.day(132)))).toBe('CONFLICT');
    ok(await book(h.day(129), h.day(130)));
    ok(await book(h.day(131), h.day(132)));
    // Clearing the closure reopens the date; setting restrictions never touches prices.
    ok(await restrict({ from: h.day(130), to: h.day(131), closed: false }));
    expect(quoteOf(ok(await search(h.day(130), h.day(131))), 'DLX', 'BAR')!.total).toBeGreaterThan(0);
  });

  it('an offer honours its stay window and usage limit; a cancellation gives its use back', async () => {
    const offer = ok(await manager.command<OfferView>('offer.create', {
      propertyId: desk.propertyId, code: 'FLASH', name: 'Flash sale', discount: { kind: 'amount', amount: 1000 },
      stayWindow: { from: h.day(140), until: h.day(149) }, usageLimit: 2,
    }));
    expect(offer).toMatchObject({ code: 'FLASH', usedCount: 0, usageLimit: 2, discount: { kind: 'amount', amount: 1000 } });
    expect(errorCode(await book(h.day(148), h.day(151), { offerCode: 'FLASH' }))).toBe('VALIDATION');
    const plain = ok(await book(h.day(140), h.day(141)));
    const first = ok(await book(h.day(140), h.day(141), { offerCode: 'FLASH' }));
    expect(first.total).toBe(plain.total - 1000);
    ok(await book(h.day(142), h.day(143), { offerCode: 'flash' }));
    expect(await book(h.day(144), h.day(145), { offerCode: 'FLASH' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('used up') } });
    expect(ok(await search(h.day(144), h.day(145), { offerCode: 'FLASH' })).offer).toMatchObject({ valid: false, reason: expect.stringContaining('used up') });
    ok(await desk.command('reservation.cancel', { reservationId: first.reservationId, reason: 'test' }));
    ok(await book(h.day(144), h.day(145), { offerCode: 'FLASH' }));
    const [row] = await sql<{ used_count: number }>(server, 'select used_count from offer where id = ?', [offer.id]);
    expect(row!.used_count).toBe(2);
  });

  it('an offer not yet bookable is refused; ten desks racing for the last use: one gets it', async () => {
    ok(await manager.command('offer.create', { propertyId: desk.propertyId, code: 'SOON', name: 'Soon', discount: { kind: 'percent', percent: 5 }, bookingWindow: { from: h.day(1), until: h.day(9) } }));
    expect(await book(h.day(150), h.day(151), { offerCode: 'SOON' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining(`from ${h.day(1)}`) } });
    ok(await manager.command('offer.create', { propertyId: desk.propertyId, code: 'ONCE', name: 'Once', discount: { kind: 'percent', percent: 50 }, usageLimit: 1 }));
    const acks = await Promise.all(Array.from({ length: 10 }, (_, i) => book(h.day(150 + i), h.day(151 + i), { offerCode: 'ONCE', guest: guest(`Once${i}`) })));
    expect(acks.map(errorCode).sort()).toEqual([...Array(9).fill('CONFLICT'), 'OK']);
  });

  it('every event the manager board heard matches the contract', async () => {
    await settle(100);
    expect(manager.events.length).toBeGreaterThan(5);
    expectEventsMatchContract(manager.events);
  });
});
