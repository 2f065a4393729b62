// POS terminals in real browsers: three tills on one order stay identical through concurrent taps and
// an offline period (Chromium's offline mode), a replay the server refuses is shown to the cashier, and
// the manager counts stock and sees low-stock alerts live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { OrderView } from '@innboard/shared';
import { launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { ok, type Conn } from '../domains/reservations/testing.ts';
import { posSnapshotOf, setUpOutlet, type TestOutlet } from '../domains/pos/testing.ts';

type Till = { context: BrowserContext; page: Page };

/** Waits for the browser to catch up; generous, as two cores are shared by many test processes. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

const connectedState = (page: Page) => page.getByTestId('connection').textContent();
const ticketStatus = (page: Page) => page.getByTestId('pos-ticket').getAttribute('data-order-status');
const total = (page: Page) => page.getByTestId('pos-total').textContent();
const pendingCount = (page: Page) => page.locator('[data-line-state="pending"]').count();
/** The confirmed lines on a till, as sorted "2× Burger" strings (lines from several tills interleave). */
async function confirmedLines(page: Page): Promise<string[]> {
  const lines = page.locator('[data-line-state="confirmed"] .line');
  const texts = await lines.evaluateAll((els) => els.map((el) => `${el.querySelector('.qty')?.textContent}${el.querySelector('.name')?.textContent}`));
  return texts.sort();
}

async function tap(page: Page, category: string, product: string): Promise<void> {
  await page.getByTestId(`pos-category-${category}`).click();
  await page.getByTestId(`pos-product-${product}`).click();
}

describe('POS terminals in real browsers', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let manager: Conn;
  let outlet: TestOutlet;
  let outletName: string;

  /** A cashier's till: signs in (landing on the terminal page), picks this test's outlet and a till. */
  async function till(name: string, viewport = { width: 1280, height: 800 }): Promise<Till> {
    const t = await loginPage(browser.browser, server.url, 'pos@innboard.demo', viewport);
    t.page.setDefaultTimeout(10_000);
    await t.page.waitForURL(/\/pos$/);
    await poll(() => connectedState(t.page)).toBe('connected');
    await t.page.getByTestId(`pos-outlet-card-${outletName}`).getByRole('button', { name }).click();
    await t.page.getByTestId('pos-terminal').waitFor();
    return t;
  }

  async function openTable(t: Till, table: string): Promise<void> {
    await t.page.getByTestId('pos-new-order').click();
    await t.page.getByTestId('pos-open-table').fill(table);
    await t.page.getByTestId('pos-open-submit').click();
    await poll(() => ticketStatus(t.page)).toBe('open');
  }

  async function serverOrder(table: string): Promise<OrderView> {
    const snap = await posSnapshotOf(manager);
    return snap.outlets.find((o) => o.outletId === outlet.outletId)!.orders.find((o) => o.table === table)!;
  }

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    manager = await loginAndConnect(server.url, 'manager@innboard.demo');
    outlet = await setUpOutlet(manager);
    outletName = (await posSnapshotOf(manager)).outlets.find((o) => o.outletId === outlet.outletId)!.name;
  });
  afterAll(async () => {
    manager?.close();
    await browser?.close();
    await server?.stop();
  });

  it('two tills on one order see each other live; one goes offline, keeps selling, comes back: same totals, nothing twice', async () => {
    const a = await till('Till 1');
    const b = await till('Till 2');
    const overview = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    await overview.page.goto('/pos/orders');

    await openTable(a, '12');
    await b.page.getByTestId('pos-order-12').click();

    // Burger with cheese on till 1 (options dialog), a beer on till 2: both see both.
    await a.page.getByTestId('pos-category-Mains').click();
    await a.page.getByTestId('pos-product-Burger').click();
    await a.page.getByTestId('pos-modifier-Cheese').click();
    expect(await a.page.getByTestId('pos-add-submit').textContent()).toContain('€16.00');
    await screenshot(a.page, 'pos-add-with-options');
    await a.page.getByTestId('pos-add-submit').click();
    await tap(b.page, 'Drinks', 'Beer');
    for (const t of [a, b]) {
      await poll(() => confirmedLines(t.page)).toEqual(['1×Beer', '1×Burger']);
      await poll(() => total(t.page)).toBe('€20.50');
    }
    await poll(() => overview.page.getByTestId('overview-12').getAttribute('data-total')).toBe('2050');
    await screenshot(a.page, 'pos-till1-live');

    // Till 2 loses the network and keeps taking the order.
    await b.context.setOffline(true);
    await poll(() => connectedState(b.page)).toBe('offline');
    await tap(b.page, 'Mains', 'Salad');
    await tap(b.page, 'Drinks', 'Beer');
    await poll(() => pendingCount(b.page)).toBe(2);
    await poll(() => b.page.getByTestId('pos-outbox').getAttribute('data-pending')).toBe('2');
    // The header's indicator counts both, not only the one the outbox has handed to the connection.
    await poll(() => b.page.getByTestId('queued').textContent()).toBe('2 changes waiting');
    expect(await b.page.getByTestId('pos-pending-amount').textContent()).toContain('€13.50');
    // Meanwhile till 1 sells a bottle of wine.
    await tap(a.page, 'Drinks', 'Wine');
    await poll(() => confirmedLines(a.page)).toEqual(['1×Beer', '1×Burger', '1×Wine']);
    await screenshot(b.page, 'pos-till2-offline');

    await b.context.setOffline(false);
    const expected = ['1×Beer', '1×Beer', '1×Burger', '1×Salad', '1×Wine'];
    for (const t of [a, b]) {
      await poll(() => confirmedLines(t.page)).toEqual(expected);
      await poll(() => total(t.page)).toBe('€66.00');
    }
    expect(await pendingCount(b.page)).toBe(0);
    await b.page.getByTestId('pos-outbox').waitFor({ state: 'detached' });
    await poll(() => overview.page.getByTestId('overview-12').getAttribute('data-total')).toBe('6600');
    await screenshot(b.page, 'pos-till2-back-online');
    await screenshot(overview.page, 'pos-open-orders-overview');

    // The server holds each line once.
    const order = await serverOrder('12');
    expect(order.lines.map((l) => l.name).sort()).toEqual(['Beer', 'Beer', 'Burger', 'Salad', 'Wine']);
    expect(order.totals.total).toBe(6600);

    // Till 2 takes the card; the order closes on till 1 too and leaves the overview.
    await b.page.getByTestId('pos-pay').click();
    await b.page.getByTestId('pos-method-card').click();
    await b.page.getByTestId('pos-pay-submit').click();
    for (const t of [a, b]) await poll(() => ticketStatus(t.page)).toBe('closed');
    await a.page.getByTestId('pos-order-12').waitFor({ state: 'detached' });
    await overview.page.getByTestId('overview-12').waitFor({ state: 'detached' });
    await screenshot(a.page, 'pos-till1-paid');

    // The end-of-shift figures name the till that took the card.
    await overview.page.getByTestId('shift-load').click();
    const row = overview.page.getByTestId('shift-report').getByRole('row', { name: new RegExp(`${outletName} · Till 2 · Pablo POS`) });
    await row.waitFor();
    expect(await row.textContent()).toContain('€66.00');
    await screenshot(overview.page, 'pos-shift-report');
    await Promise.all([a.context.close(), b.context.close(), overview.context.close()]);
  }, 120_000);

  it('three tills stay identical through concurrent taps and an offline period', async () => {
    const tills = [await till('Till 1'), await till('Till 2'), await till('Till 3')];
    const [a, b, c] = tills;
    await openTable(a, '30');
    await b.page.getByTestId('pos-order-30').click();
    await c.page.getByTestId('pos-order-30').click();

    const taps = async (t: Till, category: string, product: string, times: number) => {
      await t.page.getByTestId(`pos-category-${category}`).click();
      for (let i = 0; i < times; i++) await t.page.getByTestId(`pos-product-${product}`).click();
    };
    await Promise.all([taps(a, 'Drinks', 'Beer', 3), taps(b, 'Mains', 'Salad', 3), taps(c, 'Drinks', 'Wine', 2)]);

    // Till 3 drops off while the others keep going, then comes back.
    await c.context.setOffline(true);
    await poll(() => connectedState(c.page)).toBe('offline');
    await Promise.all([taps(a, 'Drinks', 'Beer', 1), taps(c, 'Drinks', 'Beer', 2), taps(b, 'Mains', 'Salad', 1)]);
    await poll(() => pendingCount(c.page)).toBe(2);
    await screenshot(c.page, 'pos-three-till3-offline');
    await c.context.setOffline(false);

    const expected = [...Array(6).fill('1×Beer'), ...Array(4).fill('1×Salad'), ...Array(2).fill('1×Wine')].sort();
    for (const t of tills) {
      await poll(() => confirmedLines(t.page)).toEqual(expected);
      await poll(() => total(t.page)).toBe('€127.00'); // 6 × 4.50 + 4 × 9.00 + 2 × 32.00
      expect(await pendingCount(t.page)).toBe(0);
    }
    const order = await serverOrder('30');
    expect(order.lines).toHaveLength(12);
    expect(order.totals.total).toBe(12700);
    await screenshot(b.page, 'pos-three-identical');
    await Promise.all(tills.map((t) => t.context.close()));
  }, 120_000);

  it('a replay the server refuses is shown to the cashier, who discards it', async () => {
    // A tablet held upright.
    const t = await till('Till 1', { width: 800, height: 1280 });
    await openTable(t, '44');
    await tap(t.page, 'Drinks', 'Beer');
    await poll(() => confirmedLines(t.page)).toEqual(['1×Beer']);

    await t.context.setOffline(true);
    await poll(() => connectedState(t.page)).toBe('offline');
    await tap(t.page, 'Mains', 'Salad');
    // The kitchen runs out of salad while the till is offline.
    ok(await manager.command('pos.product.update', { productId: outlet.product.Salad, available: false }));
    await t.context.setOffline(false);

    const rejected = t.page.getByTestId('pos-rejected-item');
    await rejected.waitFor({ timeout: 15_000 });
    expect(await rejected.textContent()).toMatch(/1 × Salad.*not available/);
    expect(await t.page.locator('[data-line-state="rejected"]').count()).toBe(1);
    await poll(() => total(t.page)).toBe('€4.50');
    await screenshot(t.page, 'pos-rejected-replay');

    await t.page.getByTestId('pos-rejected-discard').click();
    await t.page.getByTestId('pos-rejected').waitFor({ state: 'detached' });
    expect(await t.page.locator('[data-line-state="rejected"]').count()).toBe(0);
    expect((await serverOrder('44')).lines.map((l) => l.name)).toEqual(['Beer']);
    ok(await manager.command('pos.product.update', { productId: outlet.product.Salad, available: true }));

    // The guests move to table 45 and mention an allergy; then they leave before ordering food.
    await t.page.getByTestId('pos-move').click();
    await t.page.getByTestId('prompt-text').fill('45');
    await t.page.getByTestId('prompt-submit').click();
    await t.page.getByTestId('pos-order-45').waitFor();
    await t.page.getByTestId('pos-note').click();
    await t.page.getByTestId('prompt-text').fill('Nut allergy');
    await t.page.getByTestId('prompt-submit').click();
    await poll(() => t.page.getByTestId('pos-order-note').textContent()).toBe('Note: Nut allergy');
    expect(await serverOrder('45')).toMatchObject({ table: '45', note: 'Nut allergy' });
    await screenshot(t.page, 'pos-upright-moved');
    await t.page.getByTestId('pos-void-order').click();
    await t.page.getByTestId('prompt-text').fill('Guests left');
    await t.page.getByTestId('prompt-submit').click();
    await poll(() => ticketStatus(t.page)).toBe('voided');
    await t.page.getByTestId('pos-order-45').waitFor({ state: 'detached' });
    await t.context.close();
  }, 90_000);

  it('discounts the order and splits a line onto its own bill; the other till follows', async () => {
    const a = await till('Till 1');
    const b = await till('Till 2');
    await openTable(a, '60');
    await tap(a.page, 'Drinks', 'Beer');
    await tap(a.page, 'Drinks', 'Wine');
    await tap(a.page, 'Mains', 'Salad');
    await poll(() => total(a.page)).toBe('€45.50');
    await b.page.getByTestId('pos-order-60').click();

    await a.page.getByTestId('pos-discount-order').click();
    await a.page.getByTestId('pos-discount-value').fill('10');
    await a.page.getByTestId('pos-discount-reason').fill('Regular guests');
    await a.page.getByTestId('pos-discount-submit').click();
    for (const t of [a, b]) await poll(() => total(t.page)).toBe('€40.95');

    // The wine goes on its own bill: a second order at table 60 with just that line.
    await a.page.getByTestId('pos-split').click();
    await a.page.getByTestId('pos-split-line').filter({ hasText: 'Wine' }).click();
    await screenshot(a.page, 'pos-split-dialog');
    await a.page.getByTestId('pos-split-submit').click();
    await poll(() => b.page.getByTestId('pos-order-60').count()).toBe(2);
    await poll(() => confirmedLines(b.page)).toEqual(['1×Beer', '1×Salad']);
    const snap = await posSnapshotOf(manager);
    const tables = snap.outlets.find((o) => o.outletId === outlet.outletId)!.orders.filter((o) => o.table === '60');
    expect(tables.map((o) => o.lines.filter((l) => !l.voided).map((l) => l.name).sort()).sort()).toEqual([['Beer', 'Salad'], ['Wine']]);
    await screenshot(b.page, 'pos-after-split');
    await Promise.all([a.context.close(), b.context.close()]);
  }, 90_000);

  it('the manager books a delivery and a count; stock that runs low is flagged and announced live', async () => {
    const { stockItemId } = ok(await manager.command<{ stockItemId: string }>('stock.item.create', {
      propertyId: manager.propertyId, name: 'Test lager keg', unit: 'ml', lowThreshold: 5000,
    }));
    const m = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    m.page.setDefaultTimeout(10_000);
    await m.page.goto('/pos/stock');
    const row = m.page.getByTestId('stock-Test lager keg');
    await row.waitFor();

    await row.getByTestId('stock-receive').click();
    await m.page.getByTestId('stock-quantity').fill('20000');
    await m.page.getByTestId('stock-reason').fill('Delivery note 4711');
    await m.page.getByTestId('stock-submit').click();
    await poll(() => row.getAttribute('data-quantity')).toBe('20000');
    expect(await row.getAttribute('data-low')).toBe('false');

    await row.getByTestId('stock-adjust').click();
    await m.page.getByTestId('stock-quantity').fill('3000');
    await m.page.getByTestId('stock-reason').fill('Stocktake');
    await m.page.getByTestId('stock-submit').click();
    await poll(() => row.getAttribute('data-low')).toBe('true');
    await m.page.getByTestId('low-stock-alert').filter({ hasText: 'Test lager keg' }).waitFor();
    await m.page.getByTestId('low-stock-badge').waitFor();
    await m.page.getByTestId('toast').filter({ hasText: 'Low stock: Test lager keg' }).waitFor();
    await screenshot(m.page, 'pos-stock-low');

    const item = (await posSnapshotOf(manager) as unknown as { stockItems: { stockItemId: string; quantity: number; low: boolean }[] })
      .stockItems.find((i) => i.stockItemId === stockItemId)!;
    expect(item).toMatchObject({ quantity: 3000, low: true });
    await m.context.close();
  }, 90_000);
});
