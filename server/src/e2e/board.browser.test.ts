// Two people on two browsers: one changes a room's status, the other sees it without reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { startTestServer, type TestServer } from '../testing/factory.ts';

const statusOf = (page: Page, room: string) => page.getByTestId(`room-${room}`).getAttribute('data-status');

describe('live room board in a real browser', () => {
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

  it("shows one user's status change on another user's board without reload", async () => {
    const desk = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const hk = await loginPage(browser.browser, server.url, 'housekeeping@innboard.demo');
    await Promise.all([connected(desk.page), connected(hk.page)]);
    expect(await statusOf(hk.page, '204')).toBe('clean');
    let reloaded = false;
    hk.page.on('load', () => (reloaded = true));

    await desk.page.getByTestId('room-204').click();
    await desk.page.getByTestId('set-status-dirty').click();

    await expect.poll(() => statusOf(hk.page, '204'), { timeout: 5000 }).toBe('dirty');
    expect(reloaded).toBe(false);
    expect(await statusOf(desk.page, '204')).toBe('dirty');
    await screenshot(hk.page, 'board-live-update');
    await desk.context.close();
    await hk.context.close();
  });

  it('rolls back an optimistic change the server refuses and says why', async () => {
    const pos = await loginPage(browser.browser, server.url, 'pos@innboard.demo');
    await pos.page.waitForURL(/\/pos$/); // a cashier starts at the till
    await pos.page.goto('/board');
    await connected(pos.page);
    const before = await statusOf(pos.page, '301');
    const menu = pos.page.getByTestId('room-301');
    await menu.click();
    const setDirty = pos.page.getByTestId('set-status-dirty');
    // The board may hide actions the role lacks; if it offers it, the server must still refuse.
    if (await setDirty.isVisible().catch(() => false) && await setDirty.isEnabled()) {
      await setDirty.click();
      await pos.page.getByTestId('toast').waitFor({ timeout: 5000 });
      expect(await pos.page.getByTestId('toast').textContent()).toMatch(/not allow|permission/i);
      await expect.poll(() => statusOf(pos.page, '301')).toBe(before);
    }
    const [row] = await server.app.orm.em.fork().execute<{ status: string }[]>("select status from room where number = '301' and property_id = (select id from property where name = 'Innboard Demo Hotel')");
    expect(row!.status).toBe(before);
    await screenshot(pos.page, 'board-pos-refused');
    await pos.context.close();
  });
});
