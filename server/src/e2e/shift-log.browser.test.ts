// Two staff type into the same shift log at once in two real browsers: each sees the other's text
// and a named cursor, and the text is stored on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { docName, type PropertySnapshotBase } from '@innboard/shared';
import { launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { loadDocumentState } from '../domains/collab/document.store.ts';

/** The document text as shown, without the other editors' caret widgets (their name labels). */
const shownText = (page: Page) => page.locator('.cm-content').evaluate((el) => {
  const copy = el.cloneNode(true) as typeof el;
  copy.querySelectorAll('.cm-ySelectionCaret').forEach((n: { remove(): void }) => n.remove());
  return (copy.textContent ?? '').replace(/\u2060/g, '');
});
const editorReady = (page: Page) => page.locator('[data-testid="doc-editor"][data-ready="true"]').waitFor({ timeout: 15_000 });

describe('shift log in real browsers', () => {
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

  it('front desk and housekeeping type at the same time and see each other\'s text and cursor', async () => {
    const desk = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const hk = await loginPage(browser.browser, server.url, 'housekeeping@innboard.demo');
    await Promise.all([desk.page.goto('/shift-log'), hk.page.goto('/shift-log')]);
    await Promise.all([editorReady(desk.page), editorReady(hk.page)]);
    await expect.poll(() => desk.page.getByTestId('doc-people').textContent(), { timeout: 10_000 }).toContain('Hugo Housekeeper');
    await expect.poll(() => hk.page.getByTestId('doc-people').textContent(), { timeout: 10_000 }).toContain('Frida Frontdesk');

    await desk.page.locator('.cm-content').click();
    await hk.page.locator('.cm-content').click();
    // Both type at once.
    await Promise.all([
      desk.page.keyboard.type('Room 204 guest asked for late checkout. ', { delay: 15 }),
      hk.page.keyboard.type('Floor 3 linen low. ', { delay: 15 }),
    ]);
    for (const page of [desk.page, hk.page]) {
      await expect.poll(() => shownText(page), { timeout: 10_000 }).toContain('late checkout');
      await expect.poll(() => shownText(page), { timeout: 10_000 }).toContain('linen low');
    }
    const deskText = await shownText(desk.page);
    expect(await shownText(hk.page)).toBe(deskText);
    // The other's caret with their name (y-codemirror.next renders it in the text).
    await expect.poll(() => desk.page.locator('.cm-ySelectionInfo').allTextContents(), { timeout: 10_000 }).toContain('Hugo Housekeeper');
    await expect.poll(() => hk.page.locator('.cm-ySelectionInfo').allTextContents(), { timeout: 10_000 }).toContain('Frida Frontdesk');
    await desk.page.locator('.cm-ySelectionCaret').first().hover();
    await hk.page.locator('.cm-ySelectionCaret').first().hover();
    await screenshot(desk.page, 'shift-log-front-desk');
    await screenshot(hk.page, 'shift-log-housekeeping');

    const probe = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const snapshot = ((await probe.sync(probe.propertyId)) as { snapshot: PropertySnapshotBase }).snapshot;
    probe.close();
    const name = docName({ kind: 'shiftLog', propertyId: snapshot.property.id, date: snapshot.property.businessDate });
    await expect.poll(async () => {
      const doc = new Y.Doc();
      const state = await loadDocumentState(server.app.orm.em.fork(), name);
      if (state) Y.applyUpdate(doc, state);
      return doc.getText('body').toString();
    }, { timeout: 10_000 }).toBe(deskText);
    await desk.context.close();
    await hk.context.close();
  }, 120_000);
});
