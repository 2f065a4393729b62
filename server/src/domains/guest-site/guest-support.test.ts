import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityResult, TicketView } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, hotelOf, ok, type Conn, type Hotel } from '../reservations/testing.ts';

// Support issues from the manage-booking link join the hotel's tickets (source `guest`); staff answer
// on the board, only the answers marked for the guest show on the link, and the guest replies there.

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
  let token: string;
  let ticket: TicketView;

  async function bookOnline(firstName: string, day: number): Promise<string> {
    const type = h.type('STD');
    const search = ok(await desk.command<AvailabilityResult>('availability.search', { propertyId: desk.propertyId, arrival: h.day(day), departure: h.day(day + 1), adults: 1 }));
    const booked = await post(server, '/book/demo-hotel', {
      requestId: randomUUID(), roomTypeId: type.id, ratePlanId: search.roomTypes.find((t) => t.roomTypeId === type.id)!.quotes[0]!.ratePlanId,
      arrival: h.day(day), departure: h.day(day + 1), adults: 1, firstName, lastName: 'Support', email: 'guest@example.com',
    });
    return decodeURIComponent(/token=([^"&]+)/.exec(booked.body)![1]!);
  }
  const managePage = async (t: string) => (await fetch(`${server.url}/book/demo-hotel/manage?token=${encodeURIComponent(t)}`)).text();

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
    token = await bookOnline('Sam', 5);
    expect((await post(server, '/book/demo-hotel/manage/issue', { token: `${token}x`, requestId: randomUUID(), text: 'We need a baby cot' })).status).toBe(404);
    expect((await post(server, '/book/demo-hotel/manage/issue', { token, requestId: randomUUID(), text: 'no' })).status).toBe(400);
    const opened = await post(server, '/book/demo-hotel/manage/issue', { token, requestId: randomUUID(), text: 'We need a baby cot' });
    expect(opened.status).toBe(200);
    expect(opened.body).toContain('the hotel will answer here');

    const created = await sup.waitForEvent((e) => e.type === 'ticket.created' && (e.payload as TicketView).source === 'guest');
    ticket = created.payload as TicketView;
    expect(ticket).toMatchObject({ description: 'We need a baby cot', reporterId: null, category: 'other', status: 'open' });

    ok(await sup.command('ticket.comment', { ticketId: ticket.ticketId, body: 'Cot is in storage room B' }));
    ok(await desk.command('ticket.comment', { ticketId: ticket.ticketId, body: 'A cot will be in your room on arrival.', toGuest: true }));
    const page = await managePage(token);
    expect(page).toContain('The hotel: A cot will be in your room on arrival.');
    expect(page).not.toContain('storage room B');

    // A staff ticket has no guest to answer.
    const staffTicket = ok(await desk.command<TicketView>('ticket.create', { propertyId: desk.propertyId, category: 'it', priority: 'low', description: 'Printer jam' }));
    expect(staffTicket.source).toBe('staff');
    expect(errorCode(await desk.command('ticket.comment', { ticketId: staffTicket.ticketId, body: 'Hello guest', toGuest: true }))).toBe('VALIDATION');
  });

  it('the guest replies on the link; staff see it live; a resolved issue reopens; a closed one takes no more', async () => {
    const sent = await post(server, '/book/demo-hotel/manage/reply', { token, requestId: randomUUID(), ticketId: ticket.ticketId, text: 'Thanks! Could it have a mattress protector?' });
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('Your answer was sent to the hotel.');
    expect(sent.body).toContain('You: Thanks! Could it have a mattress protector?');

    const live = await sup.waitForEvent((e) => e.type === 'ticket.updated' && (e.payload as TicketView).comments.some((c) => c.fromGuest));
    const reply = (live.payload as TicketView).comments.find((c) => c.fromGuest)!;
    expect(reply).toMatchObject({ authorId: null, authorName: 'Guest', body: 'Thanks! Could it have a mattress protector?', toGuest: true });

    // Another booking's link cannot write into this issue, and an empty answer is refused.
    const other = await bookOnline('Oli', 6);
    expect((await post(server, '/book/demo-hotel/manage/reply', { token: other, requestId: randomUUID(), ticketId: ticket.ticketId, text: 'Hijack' })).status).toBe(404);
    expect((await post(server, '/book/demo-hotel/manage/reply', { token, requestId: randomUUID(), ticketId: ticket.ticketId, text: ' ' })).status).toBe(400);
    expect(JSON.stringify(ok(await sup.command<TicketView>('ticket.update', { ticketId: ticket.ticketId, status: 'in_progress' })).comments)).not.toContain('Hijack');

    ok(await sup.command('ticket.resolve', { ticketId: ticket.ticketId, resolution: 'Cot delivered' }));
    expect((await post(server, '/book/demo-hotel/manage/reply', { token, requestId: randomUUID(), ticketId: ticket.ticketId, text: 'The cot is missing a sheet' })).status).toBe(200);
    const reopened = await sup.waitForEvent((e) => e.type === 'ticket.updated' && (e.payload as TicketView).status === 'open' && (e.payload as TicketView).comments.some((c) => c.body === 'The cot is missing a sheet'));
    expect((reopened.payload as TicketView).ticketId).toBe(ticket.ticketId);

    ok(await sup.command('ticket.update', { ticketId: ticket.ticketId, status: 'closed' }));
    const closed = await post(server, '/book/demo-hotel/manage/reply', { token, requestId: randomUUID(), ticketId: ticket.ticketId, text: 'One more thing' });
    expect(closed.status).toBe(409);
    expect(closed.body).toContain('This request is closed');
    expect(closed.body).not.toContain('data-testid="reply-form"');
  });
});
