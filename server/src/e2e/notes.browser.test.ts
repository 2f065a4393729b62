// Notes per room (room panel on the board) and per reservation (reservation drawer) in real browsers:
// the same collaborative editor with presence; a role that cannot write notes sees them read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import * as Y from 'yjs';
import { docName, type PropertySnapshotBase, type ReservationCreateResult } from '@innboard/shared';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type Client, type TestServer } from '../testing/factory.ts';
import { loadDocumentState } from '../domains/collab/document.store.ts';

/** The editor's text without other editors' caret labels. */
const shownText = (scope: Locator) => scope.locator('.cm-content').evaluate((el) => {
  const copy = el.cloneNode(true) as typeof el;
  copy.querySelectorAll('.cm-ySelectionCaret').forEach((n: { remove(): void }) => n.remove());
  return (copy.textContent ?? '').replace(/\u2060/g, '');
});
const editorIn = (page: Page, panel: string) => page.getByTestId(panel).locator('[data-testid="doc-editor"][data-ready="true"]');

describe('room and reservation notes in real browsers', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let desk: Client & { propertyId: string };
  let snapshot: PropertySnapshotBase;

  const stored = async (name: string) => {
    const doc = new Y.Doc();
    const state = await loadDocumentState(server.app.orm.em.fork(), name);
    if (state) Y.applyUpdate(doc, state);
    return doc.getText('body').toString();
  };

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    snapshot = ((await desk.sync(desk.propertyId)) as { snapshot: PropertySnapshotBase }).snapshot;
  });
  afterAll(async () => {
    desk?.close();
    await browser?.close();
    await server?.stop();
  });

  it('housekeeping and the desk write a room\'s notes together from the board; a cashier reads them but cannot edit', async () => {
    const room = snapshot.rooms[0]!;
    const hk = await loginPage(browser.browser, server.url, 'housekeeping@innboard.demo');
    const fd = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    for (const { page } of [hk, fd]) {
      await page.goto('/board');
      await page.getByTestId(`room-${room.number}`).click();
      await page.getByTestId('open-room-notes').click();
      await editorIn(page, 'room-panel').waitFor({ timeout: 15_000 });
    }
    expect(await hk.page.locator('#room-panel-title').textContent()).toBe(`Room ${room.number}`);
    await expect.poll(() => hk.page.getByTestId('room-panel').getByTestId('doc-people').textContent(), { timeout: 10_000 }).toContain('Frida Frontdesk');
    await expect.poll(() => fd.page.getByTestId('room-panel').getByTestId('doc-people').textContent(), { timeout: 10_000 }).toContain('Hugo Housekeeper');

    await hk.page.getByTestId('room-panel').locator('.cm-content').click();
    await hk.page.keyboard.type('Window latch sticks.', { delay: 10 });
    const fdPanel = fd.page.getByTestId('room-panel');
    await expect.poll(() => shownText(fdPanel), { timeout: 10_000 }).toBe('Window latch sticks.');
    await fdPanel.locator('.cm-content').click();
    await fd.page.keyboard.press('Control+End');
    await fd.page.keyboard.type(' Guest told.', { delay: 10 });
    await expect.poll(() => shownText(hk.page.getByTestId('room-panel')), { timeout: 10_000 }).toBe('Window latch sticks. Guest told.');
    await expect.poll(() => hk.page.getByTestId('room-panel').locator('.cm-ySelectionInfo').allTextContents(), { timeout: 10_000 }).toContain('Frida Frontdesk');
    await screenshot(hk.page, 'notes-room-panel');
    const name = docName({ kind: 'roomNotes', roomId: room.id });
    await expect.poll(() => stored(name), { timeout: 10_000 }).toBe('Window latch sticks. Guest told.');

    // The cashier cannot set room status, so the tile opens the panel straight away, read-only.
    const pos = await loginPage(browser.browser, server.url, 'pos@innboard.demo');
    await pos.page.goto('/board');
    await pos.page.getByTestId(`room-${room.number}`).click();
    const posPanel = pos.page.getByTestId('room-panel');
    await editorIn(pos.page, 'room-panel').waitFor({ timeout: 15_000 });
    expect(await posPanel.getByTestId('doc-editor').getAttribute('data-readonly')).toBe('true');
    expect(await posPanel.getByText('Read only').isVisible()).toBe(true);
    await expect.poll(() => shownText(posPanel)).toBe('Window latch sticks. Guest told.');
    await posPanel.locator('.cm-content').click();
    await pos.page.keyboard.type('cashier was here');
    // Still live for the reader: a later edit by housekeeping arrives.
    await hk.page.keyboard.press('Control+End');
    await hk.page.keyboard.type(' Fixed.', { delay: 10 });
    await expect.poll(() => shownText(posPanel), { timeout: 10_000 }).toBe('Window latch sticks. Guest told. Fixed.');
    await expect.poll(() => stored(name), { timeout: 10_000 }).toBe('Window latch sticks. Guest told. Fixed.');
    await screenshot(pos.page, 'notes-room-panel-read-only');

    // A paste above the per-update limit is refused: housekeeping is told so and sees the stored text
    // again, and the next edit still reaches everyone.
    const hkPanel = hk.page.getByTestId('room-panel');
    await hk.page.keyboard.insertText('x'.repeat(70_000));
    await expect.poll(() => hkPanel.getByTestId('doc-error').textContent(), { timeout: 10_000 }).toMatch(/too large/i);
    await expect.poll(() => shownText(hkPanel), { timeout: 10_000 }).toBe('Window latch sticks. Guest told. Fixed.');
    await screenshot(hk.page, 'notes-room-panel-too-large');
    await hkPanel.locator('.cm-content').click();
    await hk.page.keyboard.press('Control+End');
    await hk.page.keyboard.type(' Checked.', { delay: 10 });
    await expect.poll(() => shownText(posPanel), { timeout: 10_000 }).toBe('Window latch sticks. Guest told. Fixed. Checked.');
    await expect.poll(() => stored(name), { timeout: 10_000 }).toBe('Window latch sticks. Guest told. Fixed. Checked.');
    await hkPanel.getByTestId('doc-error').waitFor({ state: 'detached', timeout: 10_000 }); // the accepted edit cleared it
    for (const c of [hk, fd, pos]) await c.context.close();
  }, 120_000);

  it('the desk and the manager write a reservation\'s shared notes in the drawer and see each other there', async () => {
    const room = snapshot.rooms[1]!;
    const arrival = snapshot.property.businessDate;
    const departure = new Date(Date.parse(`${arrival}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    const created = await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: room.roomTypeId, roomId: room.id, arrival, departure, adults: 2, guest: { firstName: 'Ada', lastName: 'Lovelace' },
    });
    if (!created.ok) throw new Error(`reservation.create: ${created.error.code}`);
    const id = created.result.reservationId;

    const fd = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const mgr = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    for (const { page } of [fd, mgr]) {
      await page.goto('/tape-chart');
      await connected(page);
      await page.getByTestId(`bar-${id}`).click();
      await editorIn(page, 'reservation-drawer').waitFor({ timeout: 15_000 });
    }
    await expect.poll(() => fd.page.getByTestId('reservation-drawer').getByTestId('doc-people').textContent(), { timeout: 10_000 }).toContain('Mona Manager');
    await mgr.page.getByTestId('reservation-drawer').locator('.cm-content').click();
    await mgr.page.keyboard.type('Anniversary: champagne in the room at 18:00.', { delay: 10 });
    await expect.poll(() => shownText(fd.page.getByTestId('reservation-drawer')), { timeout: 10_000 }).toBe('Anniversary: champagne in the room at 18:00.');
    await expect.poll(() => fd.page.getByTestId('reservation-drawer').locator('.cm-ySelectionInfo').allTextContents(), { timeout: 10_000 }).toContain('Mona Manager');
    await screenshot(fd.page, 'notes-reservation-drawer');
    await expect.poll(() => stored(docName({ kind: 'reservationNotes', reservationId: id })), { timeout: 10_000 }).toBe('Anniversary: champagne in the room at 18:00.');
    for (const c of [fd, mgr]) await c.context.close();
  }, 120_000);
});
