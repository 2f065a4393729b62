import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityResult, TicketView } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, hotelOf, ok, type Conn, type Hotel } from '../reservations/testing.ts';

// Support issues from the manage-booking link join the hotel's tickets (source `guest`); staff answer
// on the board and only the answers marked for the guest show on the link.

async function post(server: TestServer, path: string, form: Record<string, string | number>) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, String(v)])).toString(),
  });
  return { status: res.status, body: await res.text() };
}

describe('guest support issues', () => {
  let server: TestServer;
  let desk: Conn;
  let sup: Conn;
  let h: Hotel;

  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_REQUESTS_PER_MINUTE: '1000', PUBLIC_WRITES_PER_MINUTE: '1000' } });
    [desk, sup] = await Promise.all(['frontdesk@innboard.demo', 'supervisor@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, sup]) c?.close();
    await server?.stop();
  });

  it('a guest opens an issue, the board gets a guest ticket, and the guest sees only the answer meant for them', async () => {
    const type = h.type('STD');
    const search = ok(await desk.command<AvailabilityResult>('availability.search', { propertyId: desk.propertyId, arrival: h.day(5), departure: h.day(6), adults: 1 }));
    const booked = await post(server, '/book/demo-hotel', {
      requestId: randomUUID(), roomTypeId: type.id, ratePlanId: search.roomTypes.find((t) => t.roomTypeId === type.id)!.quotes[0]!.ratePlanId,
      arrival: h.day(5), departure: h.day(6), adults: 1, firstName: 'Sam', lastName: 'Support', email: 'sam@example.com',
    });
    const token = decodeURIComponent(/token=([^"&]+)/.exec(booked.body)![1]!);

    expect((await post(server, '/book/demo-hotel/manage/issue', { token: `${token}x`, requestId: randomUUID(), text: 'We need a baby cot' })).status).toBe(404);
    expect((await post(server, '/book/demo-hotel/manage/issue', { token, requestId: randomUUID(), text: 'no' })).status).toBe(400);
    const opened = await post(server, '/book/demo-hotel/manage/issue', { token, requestId: randomUUID(), text: 'We need a baby cot' });
    expect(opened.status).toBe(200);
    expect(opened.body).toContain('the hotel will answer here');

    const created = await sup.waitForEvent((e) => e.type === 'ticket.created' && (e.payload as TicketView).source === 'guest');
    const ticket = created.payload as TicketView;
    expect(ticket).toMatchObject({ description: 'We need a baby cot', reporterId: null, category: 'other', status: 'open' });

    ok(await sup.command('ticket.comment', { ticketId: ticket.ticketId, body: 'Cot is in storage room B' }));
    ok(await desk.command('ticket.comment', { ticketId: ticket.ticketId, body: 'A cot will be in your room on arrival.', toGuest: true }));
    const page = await (await fetch(`${server.url}/book/demo-hotel/manage?token=${encodeURIComponent(token)}`)).text();
    expect(page).toContain('The hotel: A cot will be in your room on arrival.');
    expect(page).not.toContain('storage room B');

    // A staff ticket has no guest to answer.
    const staffTicket = ok(await desk.command<TicketView>('ticket.create', { propertyId: desk.propertyId, category: 'it', priority: 'low', description: 'Printer jam' }));
    expect(staffTicket.source).toBe('staff');
    expect(errorCode(await desk.command('ticket.comment', { ticketId: staffTicket.ticketId, body: 'Hello guest', toGuest: true }))).toBe('VALIDATION');
  });
});
