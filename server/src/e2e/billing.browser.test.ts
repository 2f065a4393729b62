// Billing on the board in real browsers: take a payment in the reservation drawer, issue an invoice and
// open its PDF; a refund asked for at the desk reaches a manager's approvals inbox live and the desk sees
// the decision live. Needs the board built first (`pnpm --filter @innboard/web build`).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Ack, FolioGetResult, PropertySnapshotBase, ReservationCreateResult } from '@innboard/shared';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type Client, type TestServer } from '../testing/factory.ts';


function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function ok<R>(ack: Ack<R>): R {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.result;
}

describe('billing in a real browser', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let desk: Client & { propertyId: string };
  let snap: PropertySnapshotBase;

  /** An unassigned stay arriving today with a dinner of 45.50 on its guest folio, made over the socket as another terminal would. */
  async function stayWithDinner(firstName: string, lastName: string): Promise<{ reservationId: string; folioId: string }> {
    const today = snap.property.businessDate;
    const { reservationId } = ok(await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: snap.roomTypes[0]!.id, arrival: today, departure: addDays(today, 1),
      adults: 1, guest: { firstName, lastName },
    }));
    const { folios } = ok(await desk.command<FolioGetResult>('folio.get', { reservationId }));
    const folioId = folios.find((f) => f.kind === 'guest')!.folioId;
    ok(await desk.command('folio.postCharge', { folioId, department: 'food', description: 'Dinner', amount: 4550 }));
    return { reservationId, folioId };
  }

  /** The digits of a printed number: INV-000042 -> 42. */
  const numberOf = (display: string | null) => Number(/(\d+)$/.exec(display ?? '')?.[1]);

  async function openDrawer(page: Page, reservationId: string) {
    await page.goto('/front-desk');
    await connected(page);
    const row = page.getByTestId(`desk-row-${reservationId}`);
    await row.waitFor({ timeout: 10_000 });
    await row.getByRole('button').first().click();
    const drawer = page.getByTestId('reservation-drawer');
    await drawer.getByTestId('folio-lines').waitFor({ timeout: 10_000 });
    return drawer;
  }

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const sync = await desk.sync(desk.propertyId);
    if (!sync.ok || !('snapshot' in sync)) throw new Error('no snapshot');
    snap = sync.snapshot as PropertySnapshotBase;
  });

  afterAll(async () => {
    desk?.close();
    await browser?.close();
    await server?.stop();
  });

  it('takes a card payment, issues an invoice and opens its PDF', async () => {
    const { reservationId } = await stayWithDinner('Emmy', 'Noether');
    const agent = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const p = agent.page;
    const drawer = await openDrawer(p, reservationId);
    const balance = drawer.getByTestId('folio-balance');
    await expect.poll(() => balance.getAttribute('data-amount'), { timeout: 10_000 }).toBe('4550');
    // The arrivals list shows what the stay owes, from the snapshot and events.
    expect(await p.getByTestId(`desk-row-${reservationId}`).getByTestId('desk-balance').getAttribute('data-amount')).toBe('4550');
    await screenshot(p, 'billing-folio-open');

    // The amount due is prefilled; a card payment needs only its last four digits.
    expect(await drawer.getByTestId('payment-amount').inputValue()).toBe('45.50');
    await drawer.getByTestId('payment-method').selectOption('card');
    await drawer.getByTestId('payment-last4').fill('4242');
    await drawer.getByTestId('payment-submit').click();
    await expect.poll(async () => (await drawer.getByTestId('folio-error').count()) ? await drawer.getByTestId('folio-error').textContent() : balance.getAttribute('data-amount'), { timeout: 10_000 }).toBe('0');
    expect(await drawer.locator('[data-testid="folio-line"][data-kind="payment"]').count()).toBe(1);
    await expect.poll(() => p.getByTestId(`desk-row-${reservationId}`).getByTestId('desk-balance').getAttribute('data-amount'), { timeout: 10_000 }).toBe('0');

    await drawer.getByTestId('invoice-issue').click();
    const invoice = drawer.getByTestId('invoice').first();
    await invoice.waitFor({ timeout: 10_000 });
    const number = await invoice.getAttribute('data-number');
    expect(number).toMatch(/\d/);
    await screenshot(p, 'billing-paid-and-invoiced');

    // Download: the PDF fetched with the bearer token is a real PDF.
    const [download] = await Promise.all([p.waitForEvent('download'), invoice.getByTestId('invoice-download').click()]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Open: a new tab shows it from a blob (the PDF route itself refuses requests without the token).
    const [tab] = await Promise.all([agent.context.waitForEvent('page'), invoice.getByTestId('invoice-open').click()]);
    await expect.poll(() => tab.url(), { timeout: 10_000 }).toMatch(/^blob:/);
    const unauthenticated = await fetch(`${server.url}/api/invoices/${await invoice.getAttribute('data-invoice')}.pdf`);
    expect(unauthenticated.status).toBe(401);
    await agent.context.close();
  }, 60_000);

  it('a manager adjusts a folio with a reason and credits its invoice; the credit note takes the next number', async () => {
    const { reservationId } = await stayWithDinner('Lise', 'Meitner');
    const manager = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    const drawer = await openDrawer(manager.page, reservationId);
    const balance = drawer.getByTestId('folio-balance');
    await expect.poll(() => balance.getAttribute('data-amount'), { timeout: 10_000 }).toBe('4550');

    // An allowance of 5.50 for a cold dinner: the line says why, the balance drops.
    await drawer.getByText('Manual adjustment').click();
    await drawer.getByTestId('adjust-direction').selectOption('allowance');
    await drawer.getByTestId('adjust-department').selectOption('food');
    await drawer.getByTestId('adjust-amount').fill('5.50');
    await drawer.getByTestId('adjust-reason').fill('Dinner served cold');
    await drawer.getByTestId('adjust-submit').click();
    await expect.poll(() => balance.getAttribute('data-amount'), { timeout: 10_000 }).toBe('4000');
    const adjustment = drawer.locator('[data-testid="folio-line"][data-kind="adjustment"]');
    expect(await adjustment.count()).toBe(1);
    expect(await adjustment.textContent()).toContain('Dinner served cold');
    await screenshot(manager.page, 'billing-adjusted');

    await drawer.getByTestId('invoice-issue').click();
    const invoice = drawer.locator('[data-testid="invoice"][data-kind="invoice"]');
    await invoice.waitFor({ timeout: 10_000 });
    const invoiceNumber = numberOf(await invoice.getAttribute('data-number'));
    expect(await invoice.getByTestId('invoice-total').getAttribute('data-amount')).toBe('4000');
    expect(await invoice.getByTestId('invoice-status').textContent()).toBe('Issued');

    await invoice.getByTestId('invoice-credit-open').click();
    await drawer.getByTestId('credit-reason').fill('Guest asked for the company address');
    await drawer.getByTestId('credit-submit').click();
    const note = drawer.locator('[data-testid="invoice"][data-kind="credit_note"]');
    await note.waitFor({ timeout: 10_000 });
    const noteDisplay = await note.getAttribute('data-number');
    expect(noteDisplay).toMatch(/^CN-/);
    // Invoices and credit notes share one gapless sequence: nothing else was issued in between.
    expect(numberOf(noteDisplay)).toBe(invoiceNumber + 1);
    expect(await note.getByTestId('invoice-total').getAttribute('data-amount')).toBe('-4000');
    expect(await note.getByTestId('invoice-status').textContent()).toBe(`Credit note for ${await invoice.getAttribute('data-number')}`);
    await expect.poll(() => invoice.getAttribute('data-credited'), { timeout: 10_000 }).toBe('yes');
    expect(await invoice.getByTestId('invoice-status').textContent()).toBe(`Credited by ${noteDisplay}`);
    // A credited invoice cannot be credited twice; its lines can go on a new invoice.
    expect(await invoice.getByTestId('invoice-credit-open').count()).toBe(0);
    expect(await drawer.getByTestId('invoice-issue').isEnabled()).toBe(true);
    await screenshot(manager.page, 'billing-credit-note');
    await manager.context.close();
  }, 60_000);

  it('a cancelled stay\'s folio takes no charges or payments until a manager adds a fee', async () => {
    const today = snap.property.businessDate;
    const { reservationId } = ok(await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: snap.roomTypes[0]!.id, arrival: today, departure: addDays(today, 2),
      adults: 1, guest: { firstName: 'Rosalind', lastName: 'Franklin' },
    }));
    ok(await desk.command('reservation.cancel', { reservationId, reason: 'Conference moved' }));
    const manager = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    await manager.page.goto(`/tape-chart?r=${reservationId}`);
    const drawer = manager.page.getByTestId('reservation-drawer');
    await drawer.getByTestId('folio-closed').waitFor({ timeout: 15_000 });
    expect(await drawer.getByTestId('folio-closed').textContent()).toContain('cancelled');
    expect(await drawer.getByTestId('charge-form').count()).toBe(0);
    expect(await drawer.getByTestId('payment-form').count()).toBe(0);

    // The late-cancellation fee is an adjustment; then the stay owes it and takes exactly that payment.
    await drawer.getByTestId('adjust-direction').selectOption('charge');
    await drawer.getByTestId('adjust-department').selectOption('fees');
    await drawer.getByTestId('adjust-amount').fill('80');
    await drawer.getByTestId('adjust-reason').fill('Late cancellation fee');
    await drawer.getByTestId('adjust-submit').click();
    const balance = drawer.getByTestId('folio-balance');
    await expect.poll(() => balance.getAttribute('data-amount'), { timeout: 10_000 }).toBe('8000');
    await drawer.getByTestId('payment-form').waitFor({ timeout: 10_000 });
    expect(await drawer.getByTestId('payment-amount').inputValue()).toBe('80.00');
    expect(await drawer.getByTestId('charge-form').count()).toBe(0);
    await screenshot(manager.page, 'billing-cancelled-stay-fee');
    await manager.context.close();
  }, 60_000);

  it('a refund asked for at the desk appears in the manager\'s inbox live; the approval shows at the desk live', async () => {
    const { reservationId, folioId } = await stayWithDinner('Sophie', 'Germain');
    ok(await desk.command('folio.takePayment', { folioId, method: 'cash', amount: 6000 }));
    const agent = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const manager = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    await manager.page.goto('/approvals');
    await connected(manager.page);
    const before = Number(await manager.page.getByTestId('approvals-count').textContent());

    const drawer = await openDrawer(agent.page, reservationId);
    const payment = drawer.getByTestId('payment').first();
    await payment.getByTestId('refund-open').click();
    await drawer.getByTestId('refund-amount').fill('14.50');
    await drawer.getByTestId('refund-reason').fill('Paid too much in cash');
    await drawer.getByTestId('refund-submit').click();
    const refund = drawer.getByTestId('refund').filter({ hasText: 'Paid too much in cash' });
    await expect.poll(() => refund.getAttribute('data-status'), { timeout: 10_000 }).toBe('pending');
    const refundId = (await refund.getAttribute('data-refund'))!;

    // The manager's inbox gets it without a reload.
    const item = manager.page.locator(`[data-testid="approval"][data-refund="${refundId}"]`);
    await item.waitFor({ timeout: 10_000 });
    expect(Number(await manager.page.getByTestId('approvals-count').textContent())).toBe(before + 1);
    expect(await item.textContent()).toContain('Germain, Sophie');
    await screenshot(manager.page, 'billing-approvals-inbox');
    await item.getByTestId('approval-approve').click();
    await manager.page.locator(`[data-testid="approval-decided"][data-refund="${refundId}"][data-status="approved"]`).waitFor({ timeout: 10_000 });

    // The desk sees the decision and the refund posted on the folio, live.
    await expect.poll(() => refund.getAttribute('data-status'), { timeout: 10_000 }).toBe('approved');
    await expect.poll(() => drawer.locator('[data-testid="folio-line"][data-kind="refund"]').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(agent.page, 'billing-refund-approved');
    await agent.context.close();
    await manager.context.close();
  }, 60_000);
});
