// A guest books on the public site in one browser while the front desk's tape chart is open in
// another: the stay appears there live. Needs the board built first (`pnpm --filter @innboard/web build`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { startTestServer, type TestServer } from '../testing/factory.ts';

const tapeReady = (page: Page) => page.locator('[data-room-row]').first().waitFor({ timeout: 15_000 });

describe('guest site in a real browser', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a guest books on /book/<slug> and the front desk tape chart shows it without a reload; the manage link cancels it', async () => {
    const desk = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    await desk.page.goto('/tape-chart');
    await Promise.all([connected(desk.page), tapeReady(desk.page)]);

    const guest = await browser.browser.newContext({ viewport: { width: 1100, height: 900 }, baseURL: server.url });
    const p = await guest.newPage();
    await p.goto('/book/demo-hotel');
    await p.getByTestId('calendar').waitFor();
    // A week out (the page opens on the hotel's date), so the stay is still in its free-cancellation period.
    const day = (n: number, from: string) => new Date(Date.parse(`${from}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const today = await p.locator('input[name="arrival"]').inputValue();
    const departure = day(9, today);
    await p.locator('input[name="arrival"]').fill(day(7, today));
    await p.locator('input[name="departure"]').fill(departure);
    await p.getByRole('button', { name: 'Check availability' }).click();
    await p.getByTestId('room-type').first().waitFor();
    await screenshot(p, 'guest-site-offers');

    await p.getByTestId('choose').first().click();
    await p.getByTestId('details').waitFor();
    await p.getByLabel('First name').fill('Grace');
    await p.getByLabel('Last name').fill('Hopper');
    await p.getByLabel('Email').fill('grace@example.org');
    await screenshot(p, 'guest-site-details');
    await p.getByTestId('confirm').click();
    await p.getByTestId('confirmation').waitFor();
    expect(await p.getByTestId('confirmation').textContent()).toContain('pending payment');
    await screenshot(p, 'guest-site-confirmed');

    // The desk's chart has the stay, from the normal property stream, without a reload.
    const bar = desk.page.locator('[data-testid^="bar-"]', { hasText: 'Hopper, Grace' });
    await bar.waitFor({ timeout: 10_000 });
    expect(await bar.getAttribute('data-departure')).toBe(departure);
    await screenshot(desk.page, 'guest-site-tape-chart-live');

    await p.getByTestId('manage-link').click();
    await p.getByTestId('booking').waitFor();
    expect(await p.getByTestId('status').textContent()).toContain('confirmed');
    await p.getByTestId('cancel').click();
    await p.getByTestId('notice').waitFor();
    expect(await p.getByTestId('status').textContent()).toContain('cancelled');
    await screenshot(p, 'guest-site-cancelled');
    await bar.waitFor({ state: 'detached', timeout: 10_000 });

    await guest.close();
    await desk.context.close();
  });
});
