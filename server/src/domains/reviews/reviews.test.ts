import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityResult, ReviewView } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, hotelOf, ok, sql, type Conn, type Hotel } from '../reservations/testing.ts';

// Reviews through the guest's manage link (HTTP) and the managers' board (socket): after check-out
// only, once per stay, live to managers, answered publicly, hidden with an audited reason.

async function post(server: TestServer, path: string, form: Record<string, string | number>) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, String(v)])).toString(),
  });
  return { status: res.status, body: await res.text() };
}
const page = async (server: TestServer, path: string) => (await fetch(`${server.url}${path}`)).text();

describe('guest reviews', () => {
  let server: TestServer;
  let desk: Conn;
  let manager: Conn;
  let harbor: Conn;
  let h: Hotel;

  /** Books on the public site and returns the manage token and the reservation id. */
  async function bookOnline(firstName: string, from: number): Promise<{ token: string; reservationId: string }> {
    const type = h.type('STD');
    const search = ok(await desk.command<AvailabilityResult>('availability.search', { propertyId: desk.propertyId, arrival: h.day(from), departure: h.day(from + 1), adults: 1 }));
    const ratePlanId = search.roomTypes.find((t) => t.roomTypeId === type.id)!.quotes[0]!.ratePlanId;
    const res = await post(server, '/book/demo-hotel', {
      requestId: randomUUID(), roomTypeId: type.id, ratePlanId, arrival: h.day(from), departure: h.day(from + 1), adults: 1, firstName, lastName: 'Reviewer', email: 'r@example.com',
    });
    expect(res.status).toBe(200);
    const token = decodeURIComponent(/token=([^"&]+)/.exec(res.body)![1]!);
    const [row] = await sql<{ id: string }>(server, `select r.id from reservation r join guest g on g.id = r.guest_id where g.first_name = ?`, [firstName]);
    return { token, reservationId: row!.id };
  }

  async function stay(reservationId: string, roomNumber: string) {
    ok(await desk.command('reservation.assignRoom', { reservationId, roomId: h.room(roomNumber).id }));
    ok(await desk.command('reservation.checkIn', { reservationId }));
    ok(await desk.command('reservation.checkOut', { reservationId }));
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_REQUESTS_PER_MINUTE: '1000', PUBLIC_WRITES_PER_MINUTE: '1000' } });
    [desk, manager, harbor] = await Promise.all(['frontdesk@innboard.demo', 'manager@innboard.demo', 'harbor.frontdesk@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, manager, harbor]) c?.close();
    await server?.stop();
  });

  it('a guest reviews once after check-out; managers see it live and are notified', async () => {
    const early = await bookOnline('Eager', 3);
    const before = await post(server, '/book/demo-hotel/manage/review', { token: early.token, requestId: randomUUID(), rating: 5, text: 'Cannot wait' });
    expect(before.status).toBe(409);
    expect(before.body).toContain('after check-out');

    const { token, reservationId } = await bookOnline('Rita', 0);
    await stay(reservationId, h.snapshot.rooms.find((r) => r.roomTypeId === h.type('STD').id)!.number);
    expect(await page(server, `/book/demo-hotel/manage?token=${encodeURIComponent(token)}`)).toContain('data-testid="review-form"');
    const forged = await post(server, '/book/demo-hotel/manage/review', { token: `${token.slice(0, -2)}xx`, requestId: randomUUID(), rating: 1, text: 'Forged' });
    expect(forged.status).toBe(404);
    const posted = await post(server, '/book/demo-hotel/manage/review', { token, requestId: randomUUID(), rating: 4, text: 'Lovely <b>room</b>' });
    expect(posted.status).toBe(200);
    expect(posted.body).toContain('Thank you for your review');
    expect(posted.body).toContain('Lovely &lt;b&gt;room&lt;/b&gt;');

    const live = await manager.waitForEvent((e) => e.type === 'review.posted');
    expect(live.payload).toMatchObject({ review: { reservationId, rating: 4, author: 'Rita R.', hidden: false }, summary: { average: 4, count: 1 } });
    const notice = await manager.waitForNotification((n) => n.kind === 'review_posted');
    expect(notice).toMatchObject({ title: 'New 4-star review', ref: { type: 'review' } });
    expect(desk.notifications.some((n) => n.kind === 'review_posted')).toBe(false);

    const again = await post(server, '/book/demo-hotel/manage/review', { token, requestId: randomUUID(), rating: 1, text: 'Second thoughts' });
    expect(again.status).toBe(409);
    expect(await page(server, '/book/demo-hotel')).toContain('data-testid="average">4.0</span>');
  });

  it('only managers answer and hide; hiding needs a reason, is audited and leaves the public site and the average', async () => {
    const [{ id: reviewId }] = await sql<{ id: string }>(server, 'select id from review limit 1') as [{ id: string }];
    expect(errorCode(await desk.command('review.respond', { reviewId, response: 'Thanks!' }))).toBe('FORBIDDEN');
    expect(errorCode(await desk.command('review.hide', { reviewId, reason: 'I do not like it' }))).toBe('FORBIDDEN');
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(errorCode(await harbor.command('review.hide', { reviewId, reason: 'Not my hotel' })));
    expect(errorCode(await manager.command('review.hide', { reviewId, reason: '' }))).toBe('VALIDATION');
    expect(errorCode(await manager.command('review.hide', { reviewId: randomUUID(), reason: 'Nobody' }))).toBe('NOT_FOUND');

    ok(await manager.command<ReviewView>('review.respond', { reviewId, response: 'Thank you, Rita!' }));
    expect(await page(server, '/book/demo-hotel')).toContain('The hotel replied: Thank you, Rita!');

    const hidden = ok(await manager.command<ReviewView>('review.hide', { reviewId, reason: 'Contains a phone number' }));
    expect(hidden).toMatchObject({ hidden: true, hiddenReason: 'Contains a phone number' });
    const update = await desk.waitForEvent((e) => e.type === 'review.updated' && (e.payload as { change: string }).change === 'hidden');
    expect(update.payload).toMatchObject({ summary: { average: null, count: 0 } });
    const publicPage = await page(server, '/book/demo-hotel');
    expect(publicPage).not.toContain('Lovely');
    expect(publicPage).not.toContain('data-testid="reviews"');
    const [audit] = await sql<{ actor_role: string; changes: unknown }>(server, `select actor_role, changes from audit_outbox where command_type = 'review.hide' and outcome = 'ok'`);
    expect(audit!.actor_role).toBe('manager');
    expect(JSON.stringify(audit!.changes)).toContain('Contains a phone number');
  });
});
