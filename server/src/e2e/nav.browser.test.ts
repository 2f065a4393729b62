// The top navigation in a real browser: every page a role has must be reachable at a laptop width
// (1280px: grouped dropdowns, nothing cut off) and at a phone width (390px: the menu button lists them all).
// Needs the board built first (`pnpm --filter @innboard/web build`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { startTestServer, type TestServer } from '../testing/factory.ts';

const MANAGER_PAGES = [
  '/board', '/front-desk', '/tape-chart', '/housekeeping', '/housekeeping/assign', '/attendant', '/tickets',
  '/pos', '/pos/orders', '/pos/stock', '/shift-log', '/manager', '/content', '/reviews', '/notification-rules', '/approvals', '/night-audit', '/reports', '/audit',
];


/** True when the element is rendered and lies fully inside the viewport horizontally. */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const width = page.viewportSize()!.width;
  return box !== null && box.width > 0 && box.height > 0 && box.x >= 0 && box.x + box.width <= width;
}

describe('top navigation in a real browser', () => {
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

  it('reaches every manager page at 1280px through the grouped menus', async () => {
    const { context, page } = await loginPage(browser.browser, server.url, 'manager@innboard.demo', { width: 1280, height: 800 });
    await page.goto('/board');
    await connected(page);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const hrefs = await nav.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(MANAGER_PAGES);
    // The page does not scroll sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    for (const href of hrefs) {
      const link = `nav[aria-label="Main"] a[href="${href}"]`;
      if (!(await page.locator(link).isVisible())) {
        const toggle = page.locator(`nav[aria-label="Main"] li.group:has(a[href="${href}"]) > button`);
        expect(await onScreen(page, `nav[aria-label="Main"] li.group:has(a[href="${href}"]) > button`)).toBe(true);
        await toggle.click();
        if (href === '/manager') await screenshot(page, 'nav-1280-manager-menu');
      }
      expect(await onScreen(page, link), href).toBe(true);
    }
    // Escape closes the open menu; a link inside a menu navigates, and its menu shows as current.
    await page.keyboard.press('Escape');
    expect(await page.getByRole('link', { name: 'Audit' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Manager' }).click();
    await page.getByRole('link', { name: 'Approvals' }).click();
    await page.waitForURL('**/approvals');
    expect(await page.getByRole('button', { name: 'Manager' }).getAttribute('class')).toContain('current');
    expect(await page.getByRole('link', { name: 'Approvals' }).isVisible()).toBe(false);
    await screenshot(page, 'nav-1280-manager');
    await context.close();
  }, 60_000);

  it('keeps a front-desk agent\'s links flat at 1280px', async () => {
    const { context, page } = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo', { width: 1280, height: 800 });
    await page.goto('/board');
    await connected(page);
    const links = page.locator('nav[aria-label="Main"] a');
    expect(await links.count()).toBe(6);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      expect(await onScreen(page, `nav[aria-label="Main"] a[href="${href}"]`), href!).toBe(true);
    }
    await screenshot(page, 'nav-1280-frontdesk');
    await context.close();
  }, 60_000);

  it('lists every manager page behind the menu button at 390px', async () => {
    const { context, page } = await loginPage(browser.browser, server.url, 'manager@innboard.demo', { width: 390, height: 844 });
    await page.goto('/board');
    await connected(page);
    expect(await page.getByRole('link', { name: 'Night audit' }).isVisible()).toBe(false);
    await page.getByTestId('menu-toggle').click();
    for (const href of MANAGER_PAGES) {
      const link = page.locator(`nav[aria-label="Main"] a[href="${href}"]`);
      await link.scrollIntoViewIfNeeded();
      expect(await link.isVisible(), href).toBe(true);
      expect(await onScreen(page, `nav[aria-label="Main"] a[href="${href}"]`), href).toBe(true);
    }
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'nav-390-manager-menu');
    await page.getByRole('link', { name: 'Night audit' }).click();
    await page.waitForURL('**/night-audit');
    await screenshot(page, 'nav-390-night-audit');
    await context.close();
  }, 60_000);
});
