// Browser tests drive Debian's Chromium through playwright-core (Playwright cannot download its own
// browsers on our machines). Flags keep Chromium off the network it cannot reach anyway.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from './factory.ts';

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  // Playwright gives every launch a fresh temporary profile itself (it refuses --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    headless: true,
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** A fresh context (own sessionStorage) logged in as `email` through the real login form. */
export async function loginPage(browser: Browser, baseUrl: string, email: string, viewport = { width: 1400, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /sign in|log in/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 });
  return { context, page };
}

/** Resolves once the board's connection badge reads "connected" (snapshot loaded, live events flowing). */
export const connected = (page: Page) => page.getByTestId('connection').filter({ hasText: /^connected$/ }).waitFor({ timeout: 15_000 });

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
