// Guest reviews on the managers' board, live: a guest reviews their stay from the manage link while
// two manager sessions watch /reviews; one answers and hides it (with a reason) and the other sees
// each change without a reload, as does the public booking site. Needs the board built first.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityResult } from '@innboard/shared';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { hotelOf, ok, sql, type Conn } from '../domains/reservations/testing.ts';


async function post(server: TestServer, path: string, form: Record<string, string | number>) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, String(v)])).toString(),
  });
  return { status: res.status, body: await res.text() };
}

describe('guest reviews on the board in a real browser', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let desk: Conn;

  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_REQUESTS_PER_MINUTE: '1000', PUBLIC_WRITES_PER_MINUTE: '1000' } });
    browser = await launchBrowser();
    desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
  });
  afterAll(async () => {
    desk?.close();
    await browser?.close();
    await server?.stop();
  });

  /** A guest books online, stays one night (the desk checks them in and out) and answers the manage token. */
  async function stayedGuest(): Promise<string> {
    const h = await hotelOf(desk);
    const type = h.type('STD');
    const search = ok(await desk.command<AvailabilityResult>('availability.search', { propertyId: desk.propertyId, arrival: h.day(0), departure: h.day(1), adults: 1 }));
    const booked = await post(server, '/book/demo-hotel', {
      requestId: randomUUID(), roomTypeId: type.id, ratePlanId: search.roomTypes.find((t) => t.roomTypeId === type.id)!.quotes[0]!.ratePlanId,
      arrival: h.day(0), departure: h.day(1), adults: 1, firstName: 'Rosa', lastName: 'Reviewer', email: 'rosa@example.com',
    });
    expect(booked.status).toBe(200);
    const token = decodeURIComponent(/token=([^"&]+)/.exec(booked.body)![1]!);
    const [res] = await sql<{ id: string }>(server, `select r.id from reservation r join guest g on g.id = r.guest_id where g.first_name = 'Rosa'`);
    ok(await desk.command('reservation.assignRoom', { reservationId: res!.id, roomId: h.snapshot.rooms.find((r) => r.roomTypeId === type.id)!.id }));
    ok(await desk.command('reservation.checkIn', { reservationId: res!.id }));
    ok(await desk.command('reservation.checkOut', { reservationId: res!.id }));
    return token;
  }

  it('a review arrives live on two managers\' boards; the answer and the hiding show on the other board and the guest site', async () => {
    const token = await stayedGuest();
    const [a, b] = [await loginPage(browser.browser, server.url, 'manager@innboard.demo'), await loginPage(browser.browser, server.url, 'manager@innboard.demo')];
    for (const m of [a.page, b.page]) {
      await m.goto('/reviews');
      await connected(m);
      await m.getByTestId('reviews-empty').waitFor({ timeout: 15_000 });
    }

    // The guest writes through their manage link (the real public form).
    const guest = await browser.browser.newContext({ viewport: { width: 1100, height: 900 }, baseURL: server.url });
    const g = await guest.newPage();
    await g.goto(`/book/demo-hotel/manage?token=${encodeURIComponent(token)}`);
    await g.locator('select[name="rating"]').selectOption('4');
    await g.locator('textarea[name="text"]').first().fill('Quiet room, call me on 0151 2345678');
    await g.getByRole('button', { name: 'Post review' }).click();
    await g.getByText('Thank you for your review').waitFor();

    for (const m of [a.page, b.page]) {
      await m.getByTestId('review').waitFor({ timeout: 10_000 });
      await expect.poll(() => m.getByTestId('review-average').textContent()).toBe('4.0');
    }
    expect(await b.page.getByTestId('review').textContent()).toContain('Rosa R.');
    await screenshot(b.page, 'reviews-live-posted');

    // Manager A answers publicly; B sees it without reloading, and so does the guest site.
    await a.page.getByTestId('review-respond-open').click();
    await a.page.getByTestId('review-response-text').fill('Thank you, Rosa! We hope to welcome you again.');
    await a.page.getByTestId('review-submit').click();
    await expect.poll(() => b.page.getByTestId('review-response').textContent(), { timeout: 10_000 }).toContain('Thank you, Rosa!');
    const site = await browser.browser.newContext({ baseURL: server.url });
    const s = await site.newPage();
    await s.goto('/book/demo-hotel');
    await expect.poll(() => s.getByTestId('reviews').textContent()).toContain('The hotel replied: Thank you, Rosa!');

    // It carries a phone number: A hides it with a reason; B's board shows it hidden and the average gone.
    await a.page.getByTestId('review-hide-open').click();
    await a.page.getByTestId('review-hide-reason').fill('Contains a phone number');
    await a.page.getByTestId('review-submit').click();
    await expect.poll(() => b.page.getByTestId('review-hidden').textContent(), { timeout: 10_000 }).toBe('Hidden: Contains a phone number');
    await expect.poll(() => b.page.getByTestId('review-average').textContent()).toBe('–');
    expect(await b.page.getByTestId('review').getAttribute('data-hidden')).toBe('true');
    await expect.poll(() => a.page.getByTestId('review-hide-open').count()).toBe(0);
    await screenshot(b.page, 'reviews-live-hidden');
    await s.reload();
    expect(await s.content()).not.toContain('0151 2345678');
    const [audit] = await sql<{ actor_role: string }>(server, `select actor_role from audit_outbox where command_type = 'review.hide' and outcome = 'ok'`);
    expect(audit!.actor_role).toBe('manager');

    await Promise.all([a.context.close(), b.context.close(), guest.close(), site.close()]);
  }, 120_000);
});
