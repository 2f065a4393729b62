import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docName, type AvailabilityResult, type EventEnvelope } from '@innboard/shared';
import { ackCode, append, openSession } from '../collab/test-helpers.ts';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { freeOn, guest, hotelOf, inventoryMismatches, ok, sql, type Conn, type Hotel } from '../reservations/testing.ts';

// The public booking site through its real HTTP addresses, with the front desk's socket watching.
const SLUG = 'demo-hotel';
const RACERS = 50;

interface Stay { roomTypeId: string; ratePlanId: string; arrival: string; departure: string; adults: number }

async function post(server: TestServer, path: string, form: Record<string, string | number>): Promise<{ status: number; body: string }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, String(v)])).toString(),
  });
  return { status: res.status, body: await res.text() };
}

async function get(server: TestServer, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: await res.text() };
}

const bookingForm = (stay: Stay, firstName: string, requestId = randomUUID()) =>
  ({ ...stay, requestId, firstName, lastName: 'Guest', email: `${firstName.toLowerCase()}@example.com` });

/** The manage link in a confirmation page (HTML-escaped `&amp;` undone). */
function manageLinkIn(body: string): string {
  const href = /href="([^"]*\/manage\?token=[^"]*)"/.exec(body)?.[1];
  expect(href, 'confirmation page carries a manage link').toBeDefined();
  return href!.replace(/&amp;/g, '&');
}

describe('public booking site', () => {
  let server: TestServer;
  let desk: Conn;
  let h: Hotel;

  async function stayFor(code: string, from: number, nights = 1): Promise<Stay> {
    const type = h.type(code);
    const search = ok(await desk.command<AvailabilityResult>('availability.search', { propertyId: desk.propertyId, arrival: h.day(from), departure: h.day(from + nights), adults: 2 }));
    const quote = search.roomTypes.find((t) => t.roomTypeId === type.id)!.quotes[0]!;
    return { roomTypeId: type.id, ratePlanId: quote.ratePlanId, arrival: h.day(from), departure: h.day(from + nights), adults: 2 };
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_REQUESTS_PER_MINUTE: '1000', PUBLIC_WRITES_PER_MINUTE: '1000' } });
    desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    desk?.close();
    await server?.stop();
  });

  it('shows the calendar, room types with amenities and plan prices, and applies nothing for an unknown promo code', async () => {
    const stay = await stayFor('DLX', 30, 2);
    const page = await get(server, `/book/${SLUG}?arrival=${stay.arrival}&departure=${stay.departure}&adults=2&promo=NOPE`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-testid="calendar"');
    expect(page.body).toContain(h.type('DLX').name);
    expect(page.body).toContain('Promo code NOPE: Unknown offer code');
    expect(page.body).toMatch(/for 2 nights/);
    expect((await get(server, '/book/no-such-hotel')).status).toBe(404);
  });

  it(`${RACERS} guests racing for the last room of a type: exactly one gets it, the desk sees exactly one booking live`, async () => {
    const stay = await stayFor('FAM', 120);
    const rooms = await freeOn(server, stay.roomTypeId, stay.arrival);
    for (let i = 0; i < rooms - 1; i++) ok(await desk.command('reservation.create', { propertyId: desk.propertyId, roomTypeId: stay.roomTypeId, arrival: stay.arrival, departure: stay.departure, adults: 2, guest: guest(`Early${i}`) }));
    expect(await freeOn(server, stay.roomTypeId, stay.arrival)).toBe(1);

    const answers = await Promise.all(Array.from({ length: RACERS }, (_, i) => post(server, `/book/${SLUG}`, bookingForm(stay, `Racer${i}`))));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(RACERS - 1);
    expect(answers.find((a) => a.status === 200)!.body).toContain('Your booking is confirmed');

    const guestNamed = (e: EventEnvelope, prefix: string) => (e.payload as { reservation?: { guest: { name: string } } }).reservation?.guest.name.startsWith(`Guest, ${prefix}`) ?? false;
    const created = await desk.waitForEvent((e) => e.type === 'reservation.created' && guestNamed(e, 'Racer'));
    expect((created.payload as { reservation: { source: string; arrival: string } }).reservation).toMatchObject({ source: 'direct', arrival: stay.arrival });
    await settle();
    expect(desk.events.filter((e) => e.type === 'reservation.created' && guestNamed(e, 'Racer'))).toHaveLength(1);
    expect(await freeOn(server, stay.roomTypeId, stay.arrival)).toBe(0);
    const [racers] = await sql<{ n: number }>(server, `select count(*)::int as n from reservation r join guest g on g.id = r.guest_id where g.first_name like 'Racer%'`);
    expect(racers!.n).toBe(1);
    const [deposit] = await sql<{ status: string; amount: number }>(server, `select p.status, p.amount from guest_booking b join payment p on p.id = b.deposit_payment_id
      join reservation r on r.id = b.reservation_id join guest g on g.id = r.guest_id where g.first_name like 'Racer%'`);
    expect(deposit!.status).toBe('pending');
    expect(deposit!.amount).toBeGreaterThan(0);
    expect(await inventoryMismatches(server)).toEqual([]);
  });

  it('a resubmitted form books once', async () => {
    const stay = await stayFor('STD', 40);
    const form = bookingForm(stay, 'Twice');
    const [a, b] = [await post(server, `/book/${SLUG}`, form), await post(server, `/book/${SLUG}`, form)];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(manageLinkIn(b.body)).toBe(manageLinkIn(a.body));
    const [n] = await sql<{ n: number }>(server, `select count(*)::int as n from reservation r join guest g on g.id = r.guest_id where g.first_name = 'Twice'`);
    expect(n!.n).toBe(1);
  });

  it('the manage link shows the booking and cancels it; a tampered or foreign token is an invalid link and changes nothing', async () => {
    const stay = await stayFor('STD', 60, 2);
    const link = manageLinkIn((await post(server, `/book/${SLUG}`, bookingForm(stay, 'Manny'))).body);
    const other = manageLinkIn((await post(server, `/book/${SLUG}`, bookingForm(stay, 'Otto'))).body);
    const view = await get(server, link);
    expect(view.status).toBe(200);
    expect(view.body).toContain('Booking for Manny Guest');
    expect(view.body).toContain('Status: confirmed');

    const token = new URL(link, server.url).searchParams.get('token')!;
    const [id, sig] = token.split('.') as [string, string];
    const otherId = new URL(other, server.url).searchParams.get('token')!.split('.')[0]!;
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const forged = [
      `${id}.${flip(sig, 5)}`, `${flip(id, 0)}.${sig}`, `${otherId}.${sig}`, `${id}.`, id, `${id}.${sig}.x`, `${randomUUID()}.${sig}`, '',
    ];
    for (const t of forged) {
      const res = await get(server, `/book/${SLUG}/manage?token=${encodeURIComponent(t)}`);
      expect(res.status, `token ${t}`).toBe(404);
      expect(res.body).toContain('This booking link is not valid');
      expect(res.body).not.toContain('Manny');
      const cancel = await post(server, `/book/${SLUG}/manage/cancel`, { token: t, requestId: randomUUID() });
      expect(cancel.status).toBe(404);
    }
    // The right token under another hotel's address names nothing there.
    expect((await get(server, `/book/harbor-inn/manage?token=${encodeURIComponent(token)}`)).status).toBe(404);
    const [still] = await sql<{ status: string }>(server, `select r.status from reservation r join guest g on g.id = r.guest_id where g.first_name = 'Manny'`);
    expect(still!.status).toBe('confirmed');

    const cancelled = await post(server, `/book/${SLUG}/manage/cancel`, { token, requestId: randomUUID() });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toContain('Your booking is cancelled');
    expect(cancelled.body).toContain('Status: cancelled');
    await desk.waitForEvent((e) => e.type === 'reservation.cancelled' && (e.payload as { reservation: { guest: { name: string } } }).reservation.guest.name === 'Guest, Manny');
    const [deposit] = await sql<{ status: string }>(server, `select p.status from guest_booking b join payment p on p.id = b.deposit_payment_id
      join reservation r on r.id = b.reservation_id join guest g on g.id = r.guest_id where g.first_name = 'Manny'`);
    expect(deposit!.status).toBe('void');
    const [audit] = await sql<{ actor_role: string; command_type: string }>(server, `select actor_role, command_type from audit_outbox where command_type = 'guestSite.cancel'`);
    expect(audit).toEqual({ actor_role: 'system', command_type: 'guestSite.cancel' });
  });

  it('serves a content page at /p/<property-slug>/<page> only once published, and only in its own hotel', async () => {
    const manager = await loginAndConnect(server.url, 'manager@innboard.demo');
    try {
      const page = ok(await manager.command<{ id: string }>('content.create', { propertyId: manager.propertyId, slug: 'house-rules', title: 'House rules draft' }));
      const editor = await openSession(manager.socket, docName({ kind: 'contentPage', pageId: page.id }));
      expect(ackCode(await append(editor, '# Quiet hours\n\nFrom 22:00 <b>please</b>.'))).toBe('OK');
      expect((await get(server, `/p/${SLUG}/house-rules`)).status).toBe(404);
      ok(await manager.command('content.publish', { pageId: page.id, title: 'House rules' }));
      expect(ackCode(await append(editor, '\n\nDraft: pets welcome'))).toBe('OK');
      const shown = await get(server, `/p/${SLUG}/house-rules`);
      expect(shown.status).toBe(200);
      expect(shown.body).toContain('<h2>Quiet hours</h2>');
      expect(shown.body).toContain('From 22:00 &lt;b&gt;please&lt;/b&gt;.');
      expect(shown.body).not.toContain('House rules draft');
      expect(shown.body).not.toContain('pets welcome');
      expect((await get(server, '/p/harbor-inn/house-rules')).status).toBe(404);
    } finally {
      manager.close();
    }
  });

  it('refuses a cancellation after the free period and keeps the booking', async () => {
    const stay = await stayFor('STD', 0);
    const link = manageLinkIn((await post(server, `/book/${SLUG}`, bookingForm(stay, 'Late'))).body);
    const policy = await sql<{ p: { freeUntilDaysBefore: number | null } }>(server, `select r.cancellation_policy as p from reservation r join guest g on g.id = r.guest_id where g.first_name = 'Late'`);
    // Arriving today is past any free period of at least a day; the demo default plan has one.
    expect(policy[0]!.p.freeUntilDaysBefore).toBeGreaterThan(0);
    const view = await get(server, link);
    expect(view.body).toContain('Free cancellation has ended');
    const token = new URL(link, server.url).searchParams.get('token')!;
    const res = await post(server, `/book/${SLUG}/manage/cancel`, { token, requestId: randomUUID() });
    expect(res.status).toBe(409);
    const [still] = await sql<{ status: string }>(server, `select r.status from reservation r join guest g on g.id = r.guest_id where g.first_name = 'Late'`);
    expect(still!.status).toBe('confirmed');
  });
});

describe('public site abuse protection', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_REQUESTS_PER_MINUTE: '5', PUBLIC_WRITES_PER_MINUTE: '2' } });
  });
  afterAll(async () => server?.stop());

  it('limits writes and requests per address and refuses oversized forms', async () => {
    const big = await post(server, `/book/${SLUG}`, { requestId: randomUUID(), firstName: 'x'.repeat(9000) });
    expect(big.status).toBe(413);
    const second = await post(server, `/book/${SLUG}`, { requestId: randomUUID() });
    expect(second.status).toBe(400);
    const third = await post(server, `/book/${SLUG}`, { requestId: randomUUID() });
    expect(third.status).toBe(429);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(server, `/book/${SLUG}`)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
