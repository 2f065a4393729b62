// A manager writes a guest-site page in the board's collaborative editor and publishes it; the public
// address shows the published version only, never a later unpublished edit, until it is published again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { docName } from '@innboard/shared';
import { launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { startTestServer, type TestServer } from '../testing/factory.ts';
import { loadDocumentState } from '../domains/collab/document.store.ts';

const editorReady = (page: Page) => page.locator('[data-testid="doc-editor"][data-ready="true"]').waitFor({ timeout: 15_000 });

describe('content pages in a real browser', () => {
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

  const storedDraft = async (pageId: string) => {
    const doc = new Y.Doc();
    const state = await loadDocumentState(server.app.orm.em.fork(), docName({ kind: 'contentPage', pageId }));
    if (state) Y.applyUpdate(doc, state);
    return doc.getText('body').toString();
  };

  it('a manager edits and publishes a page; the public page shows it, and an unpublished edit does not appear', async () => {
    const manager = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    const m = manager.page;
    await m.goto('/content');
    await m.getByTestId('content-empty').waitFor({ timeout: 15_000 });
    await m.getByLabel('Title', { exact: true }).fill('Spa & Sauna');
    await expect.poll(() => m.getByLabel('Address').inputValue()).toBe('spa-sauna');
    await m.getByRole('button', { name: 'Create page' }).click();
    await m.getByTestId('content-page-spa-sauna').waitFor();
    await editorReady(m);
    await expect.poll(() => m.getByTestId('content-published').textContent()).toContain('Draft: not on the guest site yet');

    // A guest looking before anything is published finds nothing.
    const guest = await browser.browser.newContext({ viewport: { width: 1100, height: 800 }, baseURL: server.url });
    const g = await guest.newPage();
    expect((await g.goto('/p/demo-hotel/spa-sauna'))?.status()).toBe(404);

    await m.locator('.cm-content').click();
    await m.keyboard.type('# Spa hours');
    await m.keyboard.press('Enter');
    await m.keyboard.press('Enter');
    await m.keyboard.type('Open daily from 9 to 21.', { delay: 10 });
    await m.getByTestId('content-publish-button').click();
    await expect.poll(() => m.getByTestId('content-published').textContent(), { timeout: 10_000 }).toContain('Version 1 published');
    await expect.poll(() => m.getByTestId('content-page-spa-sauna').textContent()).toContain('published v1');
    await screenshot(m, 'content-pages-published');

    expect((await g.goto('/p/demo-hotel/spa-sauna'))?.status()).toBe(200);
    await expect.poll(() => g.getByTestId('content-page').textContent()).toContain('Open daily from 9 to 21.');
    // The title, then the draft's "# " line as a heading.
    expect(await g.getByTestId('content-page').locator('h2').allTextContents()).toEqual(['Spa & Sauna', 'Spa hours']);
    await screenshot(g, 'content-pages-public-v1');

    // Keep writing without publishing: stored on the server, but not on the public page.
    await m.locator('.cm-content').click();
    await m.keyboard.press('Control+End');
    await m.keyboard.type(' The sauna is closed on Mondays.', { delay: 10 });
    const [row] = await server.app.orm.em.fork().execute<{ id: string }[]>("select id from content_page where slug = 'spa-sauna'");
    await expect.poll(() => storedDraft(row!.id), { timeout: 10_000 }).toContain('closed on Mondays');
    await g.reload();
    await expect.poll(() => g.getByTestId('content-page').textContent()).toContain('Open daily from 9 to 21.');
    expect(await g.getByTestId('content-page').textContent()).not.toContain('Mondays');
    expect(await g.content()).not.toContain('Mondays');

    // Publishing again (with a new title) replaces what guests see.
    await m.getByLabel('Published title').fill('Spa, sauna and pool');
    await m.getByTestId('content-publish-button').click();
    await expect.poll(() => m.getByTestId('content-published').textContent(), { timeout: 10_000 }).toContain('Version 2 published');
    await g.reload();
    await expect.poll(() => g.getByTestId('content-page').textContent()).toContain('The sauna is closed on Mondays.');
    expect(await g.getByTestId('content-page').locator('h2').allTextContents()).toEqual(['Spa, sauna and pool', 'Spa hours']);
    await screenshot(g, 'content-pages-public-v2');
    await screenshot(m, 'content-pages-board');

    await guest.close();
    await manager.context.close();
  }, 120_000);
});
