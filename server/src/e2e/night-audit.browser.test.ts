// The night audit on the board in a real browser: a manager starts it from /night-audit and watches it
// go step by step (the test holds one folio's row lock, so the run is caught half-way for certain),
// then complete and roll the business date; the daily report shows the closed day's figures, its
// charts and its CSV. Needs the board built first (`pnpm --filter @innboard/web build`).
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DailyStatistics, EventPayloadOf, NightAuditStatusResult, nightAuditCompleted } from '@innboard/shared';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { addDays } from '../domains/property/hotel-date.ts';
import { hotelOf, ok, type Conn } from '../domains/reservations/testing.ts';
import { checkedInStay, moveHotelBack, queryOf } from '../domains/night-audit/testing.ts';

const PRICE = 12_000;

describe('night audit and daily report in a real browser', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let db: pg.Client;
  let manager: Conn;
  let desk: Conn;

  beforeAll(async () => {
    // Batches of two: with three stays in house the room charges take two batches.
    server = await startTestServer({ env: { NIGHT_AUDIT_BATCH_SIZE: '2' } });
    browser = await launchBrowser();
    db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    manager = await loginAndConnect(server.url, 'manager@innboard.demo');
    desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
  });

  afterAll(async () => {
    manager?.close();
    desk?.close();
    await db?.end();
    await browser?.close();
    await server?.stop();
  });

  it('a manager sets the audit time and turns automatic runs off; a change made elsewhere shows live', async () => {
    const status = async () => ok(await manager.command<NightAuditStatusResult>('nightAudit.status', { propertyId: manager.propertyId })).schedule;
    const before = await status();
    const { page: p, context } = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    await p.goto('/night-audit');
    await connected(p);
    const form = p.getByTestId('audit-schedule-form');
    await form.waitFor({ timeout: 10_000 });
    expect(await p.getByTestId('audit-time').inputValue()).toBe(before.time);
    expect(await p.getByTestId('audit-schedule-save').isDisabled()).toBe(true);

    await p.getByTestId('audit-automatic').uncheck();
    if (before.isDefault) await p.getByTestId('audit-time-default').uncheck();
    await p.getByTestId('audit-time').fill('02:30');
    await p.getByTestId('audit-schedule-save').click();
    await expect.poll(() => p.getByTestId('audit-schedule').textContent(), { timeout: 10_000 }).toBe('Started by a manager');
    expect(await status()).toEqual({ time: '02:30', automatic: false, isDefault: false });
    await screenshot(p, 'night-audit-schedule-manual');

    // Another manager's terminal puts it back to the server default, automatic: the form follows without a reload.
    ok(await manager.command('nightAudit.configure', { propertyId: manager.propertyId, time: null, automatic: true }));
    const restored = await status();
    expect(restored).toMatchObject({ automatic: true, isDefault: true });
    await expect.poll(() => p.getByTestId('audit-schedule').textContent(), { timeout: 10_000 }).toBe(`Automatic at ${restored.time} (default)`);
    expect(await p.getByTestId('audit-automatic').isChecked()).toBe(true);
    expect(await p.getByTestId('audit-time-default').isChecked()).toBe(true);
    expect(await p.getByTestId('audit-time').isDisabled()).toBe(true);
    await screenshot(p, 'night-audit-schedule-default');
    await context.close();
  }, 60_000);

  it('a manager starts the audit, sees it progress live and complete; the report shows the closed day', async () => {
    const h = await hotelOf(manager);
    const date = await moveHotelBack(queryOf(server), manager, h, 3, PRICE);
    const rooms = h.snapshot.rooms.filter((r) => r.roomTypeId === h.type('STD').id).map((r) => r.number);
    const stays: string[] = [];
    for (const [i, name] of ['Ada', 'Alan', 'Grace'].entries()) {
      stays.push(await checkedInStay(desk, h, { type: 'STD', room: rooms[i]!, arrival: date, departure: addDays(date, 2), name }));
    }
    const guestFolio = async (reservationId: string) =>
      ok(await desk.command<{ folios: Array<{ folioId: string; kind: string }> }>('folio.get', { reservationId })).folios.find((f) => f.kind === 'guest')!.folioId;
    ok(await desk.command('folio.takePayment', { folioId: await guestFolio(stays[0]!), method: 'card', amount: 10_000, cardLast4: '4242' }));
    ok(await desk.command('folio.takePayment', { folioId: await guestFolio(stays[1]!), method: 'cash', amount: 2_500 }));

    // The stay the audit posts last (highest id of the night) is in the second batch: its folios are
    // locked here, so the run commits the first batch and then waits.
    const [last] = await queryOf(server)<{ id: string }>(
      `select r.id from reservation r join reservation_night n on n.reservation_id = r.id and n.date = ?
        where r.property_id = ? and r.status = 'checked_in' order by r.id desc limit 1`, [date, manager.propertyId]);
    await guestFolio(last!.id);
    await db.query('begin');
    await db.query('select id from folio where reservation_id = $1 for update', [last!.id]);

    const { page: p, context } = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    await p.goto('/night-audit');
    await connected(p);
    await p.getByTestId('audit-idle').waitFor({ timeout: 10_000 });
    expect(await p.getByTestId('audit-business-date').getAttribute('data-date')).toBe(date);
    await p.getByTestId('audit-start').click();

    // Live, without a reload: no-shows through, the first batch of room charges through, the last step waiting.
    const step = (name: string) => p.locator(`[data-testid="audit-step"][data-step="${name}"]`);
    await expect.poll(() => p.getByTestId('audit-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    await expect.poll(() => step('room_charges').getByTestId('audit-step-count').textContent(), { timeout: 10_000 }).toMatch(/^2 \/ \d+$/);
    expect(await step('room_charges').getAttribute('data-state')).toBe('running');
    expect(await step('no_shows').getAttribute('data-state')).toBe('done');
    expect(await step('close_day').getAttribute('data-state')).toBe('pending');
    expect(await p.getByTestId('audit-start').isDisabled()).toBe(true);
    await screenshot(p, 'night-audit-running');

    await db.query('rollback');
    const completed = await manager.waitForEvent((e) => e.type === 'nightAudit.completed', 20_000);
    const { statistics, nextBusinessDate } = completed.payload as EventPayloadOf<typeof nightAuditCompleted>;
    expect(nextBusinessDate).toBe(addDays(date, 1));
    await expect.poll(() => p.getByTestId('audit-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('completed');
    expect(await p.locator('[data-testid="audit-step"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['done', 'done', 'done']);
    // The status is read again after the run: the business date on the page has rolled.
    await expect.poll(() => p.getByTestId('audit-business-date').getAttribute('data-date'), { timeout: 10_000 }).toBe(nextBusinessDate);
    await p.locator(`[data-testid="audit-history-row"][data-date="${date}"][data-status="completed"]`).waitFor({ timeout: 10_000 });
    await screenshot(p, 'night-audit-completed');

    await p.getByTestId('audit-report-link').click();
    await p.waitForURL(/\/reports\?date=/);
    await expectReport(p, statistics);
    await screenshot(p, 'daily-report');

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('report-csv').click()]);
    expect(download.suggestedFilename()).toBe(`daily-report-${date}.csv`);
    const csv = (await readFile((await download.path())!, 'utf8')).split('\r\n');
    const decimals = (minor: number) => (minor / 100).toFixed(2);
    expect(csv[0]).toBe('Section,Item,Value');
    expect(csv).toContain(`Rooms,Occupancy %,${statistics.occupancy.toFixed(1)}`);
    expect(csv).toContain(`Rates,ADR,${decimals(statistics.adr)}`);
    expect(csv).toContain(`Rates,RevPAR,${decimals(statistics.revpar)}`);
    expect(csv).toContain(`Revenue,Room,${decimals(statistics.revenueByDepartment.room!)}`);
    expect(csv).toContain('Payments,Card,100.00');
    expect(csv).toContain('Payments,Cash,25.00');
    await context.close();
  }, 90_000);

  async function expectReport(p: Page, s: DailyStatistics): Promise<void> {
    const euro = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: s.currency }).format(minor / 100);
    await expect.poll(() => p.getByTestId('report-date').getAttribute('data-date'), { timeout: 10_000 }).toBe(s.businessDate);
    // Three stays at the price set for the night (plus whatever the seed has in house that night).
    expect(s.roomsSold).toBeGreaterThanOrEqual(3);
    expect(s.paymentsByMethod).toMatchObject({ card: 10_000, cash: 2_500 });
    expect(await p.getByTestId('report-occupancy').textContent()).toBe(`${s.occupancy.toFixed(1)}%`);
    expect(await p.getByTestId('report-occupancy-detail').textContent()).toBe(`${s.roomsSold} sold of ${s.roomsAvailable} available`);
    expect(await p.getByTestId('report-adr').textContent()).toBe(euro(s.adr));
    expect(await p.getByTestId('report-revpar').textContent()).toBe(euro(s.revpar));
    expect(await p.getByTestId('report-room-revenue').textContent()).toBe(euro(s.roomRevenue));
    const revenue = Object.values(s.revenueByDepartment).reduce((a, b) => a + b, 0);
    expect(Number(await p.getByTestId('report-revenue-total').getAttribute('data-amount'))).toBe(revenue);
    expect(Number(await p.getByTestId('report-payments-total').getAttribute('data-amount'))).toBe(12_500);
    expect(await p.getByTestId('report-payments-chart').getAttribute('data-keys')).toBe('card,cash');
    expect((await p.getByTestId('report-revenue-chart').getAttribute('data-keys'))!.split(',')[0]).toBe('room');
  }
});
