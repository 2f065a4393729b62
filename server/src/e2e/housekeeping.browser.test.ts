// Housekeeping across three people on three browsers: an attendant on a phone finishes a room, the
// supervisor inspects it, and the front desk's room board shows it ready, all without a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PropertySnapshotBase, SyncResult, TaskView } from '@innboard/shared';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type Client, type TestServer } from '../testing/factory.ts';

const PHONE = { width: 390, height: 844 };
const attr = (page: Page, testId: string, name: string) => page.getByTestId(testId).getAttribute(name);

type Supervisor = Client & { propertyId: string };

async function snapshotOf(client: Supervisor): Promise<PropertySnapshotBase> {
  const sync = (await client.sync(client.propertyId)) as Extract<SyncResult, { snapshot: unknown }>;
  return sync.snapshot;
}

/** A dirty room with a departure clean on someone's list, made through the public socket contract. */
async function dirtyRoomWithTask(sup: Supervisor, number: string, assigneeId: string | null): Promise<TaskView> {
  const snapshot = await snapshotOf(sup);
  const room = snapshot.rooms.find((r) => r.number === number)!;
  expect((await sup.command('room.setStatus', { roomId: room.id, status: 'dirty' })).ok).toBe(true);
  const created = await sup.command<TaskView>('task.create', { roomId: room.id, type: 'departure_clean' });
  if (!created.ok) throw new Error(created.error.message);
  if (assigneeId) {
    const assigned = await sup.command('task.assign', { taskId: created.result.taskId, assigneeId });
    if (!assigned.ok) throw new Error(assigned.error.message);
  }
  return created.result;
}

describe('housekeeping in real browsers', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let sup: Supervisor;
  let hugoId: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    sup = await loginAndConnect(server.url, 'supervisor@innboard.demo');
    const staff = (await snapshotOf(sup)).staff as Array<{ userId: string; name: string }>;
    hugoId = staff.find((s) => s.name === 'Hugo Housekeeper')!.userId;
  });
  afterAll(async () => {
    sup?.close();
    await browser?.close();
    await server?.stop();
  });

  it('attendant finishes a room on a phone; supervisor inspects; the front desk sees it ready without reload', async () => {
    const desk = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const boss = await loginPage(browser.browser, server.url, 'supervisor@innboard.demo');
    const hk = await loginPage(browser.browser, server.url, 'housekeeping@innboard.demo', PHONE);
    await boss.page.goto('/housekeeping/assign');
    await hk.page.goto('/attendant');
    await Promise.all([connected(desk.page), connected(boss.page), connected(hk.page)]);
    const reloads: string[] = [];
    for (const [who, p] of [['desk', desk.page], ['supervisor', boss.page], ['attendant', hk.page]] as const) {
      p.on('load', () => reloads.push(who));
    }

    // The supervisor gives Hugo room 305 while his phone is open: it appears, and he is told.
    await dirtyRoomWithTask(sup, '305', hugoId);
    const card = hk.page.getByTestId('my-task-305');
    await card.waitFor({ timeout: 5000 });
    await expect.poll(() => hk.page.getByTestId('notification-count').textContent(), { timeout: 5000 }).toBe('1');
    await expect.poll(() => attr(desk.page, 'room-305', 'data-status')).toBe('dirty');
    await screenshot(hk.page, 'hk-attendant-my-rooms');

    // Big touch targets on the phone: the main action is at least 48 px tall and spans the card.
    const start = card.getByTestId('task-start');
    const box = (await start.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(48);
    expect(box.width).toBeGreaterThan(300);
    // No sideways scrolling on the phone (evaluated in the page; the server's tsconfig has no DOM types).
    expect(await hk.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);

    await hk.page.getByTestId('notification-bell').click();
    await hk.page.getByTestId('notification-item').first().waitFor();
    expect(await hk.page.getByTestId('notification-item').first().textContent()).toContain('305');
    await screenshot(hk.page, 'hk-attendant-notifications');
    await hk.page.keyboard.press('Escape');
    expect(await hk.page.getByTestId('notification-count').count()).toBe(0);

    await start.click();
    await expect.poll(() => attr(hk.page, 'my-task-305', 'data-task-status')).toBe('in_progress');
    await card.getByTestId('task-done').click();
    await hk.page.getByTestId('finished-305').waitFor({ timeout: 5000 });
    await expect.poll(() => attr(hk.page, 'finished-305', 'data-task-status')).toBe('done');
    await screenshot(hk.page, 'hk-attendant-finished');

    // Cleaned: the front desk sees it clean (not yet inspected) while it waits for the supervisor.
    await expect.poll(() => attr(desk.page, 'room-305', 'data-status'), { timeout: 5000 }).toBe('clean');

    const inspect = boss.page.getByTestId('inspect-305');
    await inspect.waitFor({ timeout: 5000 });
    await screenshot(boss.page, 'hk-supervisor-to-inspect');
    await inspect.getByTestId('inspect-note').fill('Spotless');
    await inspect.getByTestId('inspect-pass').click();
    await inspect.waitFor({ state: 'detached', timeout: 5000 });

    await expect.poll(() => attr(desk.page, 'room-305', 'data-status'), { timeout: 5000 }).toBe('inspected');
    await expect.poll(() => attr(hk.page, 'finished-305', 'data-task-status'), { timeout: 5000 }).toBe('inspected');
    await screenshot(desk.page, 'hk-frontdesk-room-ready');
    expect(reloads).toEqual([]);

    const [row] = await server.app.orm.em.fork().execute<{ status: string }[]>(
      "select status from room where number = '305' and property_id = (select id from property where name = 'Innboard Demo Hotel')",
    );
    expect(row!.status).toBe('inspected');

    // The front desk's housekeeping board shows the same, read-only.
    await desk.page.goto('/housekeeping');
    await connected(desk.page);
    await expect.poll(() => attr(desk.page, 'hk-room-305', 'data-status')).toBe('inspected');
    expect(await attr(desk.page, 'hk-room-305', 'data-task-status')).toBe('inspected');
    await desk.page.getByTestId('read-only').waitFor();
    await screenshot(desk.page, 'hk-frontdesk-housekeeping-board');

    await Promise.all([desk.context.close(), boss.context.close(), hk.context.close()]);
  });

  it('supervisor drags a room onto an attendant and fails an inspection; the attendant reports a problem', async () => {
    const task = await dirtyRoomWithTask(sup, '212', null);
    const boss = await loginPage(browser.browser, server.url, 'supervisor@innboard.demo');
    const hk = await loginPage(browser.browser, server.url, 'housekeeping@innboard.demo', PHONE);
    boss.page.setDefaultTimeout(8000);
    hk.page.setDefaultTimeout(8000);
    await boss.page.goto('/housekeeping/assign');
    await hk.page.goto('/attendant');
    await Promise.all([connected(boss.page), connected(hk.page)]);

    await boss.page.getByTestId('column-unassigned').getByTestId('task-card-212').waitFor({ timeout: 5000 });
    await screenshot(boss.page, 'hk-supervisor-assign-before');
    await boss.page.getByTestId('task-card-212').dragTo(boss.page.getByTestId(`column-${hugoId}`));
    await boss.page.getByTestId(`column-${hugoId}`).getByTestId('task-card-212').waitFor({ timeout: 5000 });
    await hk.page.getByTestId('my-task-212').waitFor({ timeout: 5000 });

    // Hugo cleans it; the supervisor fails it with a note, which goes back to Hugo's list.
    await hk.page.getByTestId('my-task-212').getByTestId('task-start').click();
    await hk.page.getByTestId('my-task-212').getByTestId('task-done').click();
    const inspect = boss.page.getByTestId('inspect-212');
    await inspect.waitFor({ timeout: 5000 });
    await inspect.getByTestId('inspect-fail').click();
    await inspect.getByTestId('inspect-note').fill('Mirror streaky');
    await inspect.getByTestId('inspect-fail').click();
    await expect.poll(() => attr(hk.page, 'my-task-212', 'data-task-status'), { timeout: 5000 }).toBe('open');
    expect(await hk.page.getByTestId('my-task-212').textContent()).toContain('Mirror streaky');
    await screenshot(hk.page, 'hk-attendant-reopened');

    // A problem in the room: a ticket the supervisor sees on the maintenance page.
    await hk.page.getByTestId('my-task-212').getByTestId('report-problem').click();
    const form = hk.page.getByTestId('ticket-form');
    await form.getByRole('radio', { name: 'Plumbing' }).check();
    await form.getByRole('radio', { name: 'High' }).check();
    await form.getByTestId('ticket-description').fill('Shower drain blocked');
    expect(await form.getByTestId('ticket-out-of-order').count()).toBe(0); // a housekeeper cannot block rooms
    await screenshot(hk.page, 'hk-attendant-report-problem');
    await form.getByTestId('ticket-submit').click();
    await form.waitFor({ state: 'detached', timeout: 5000 });

    await boss.page.goto('/tickets');
    await connected(boss.page);
    const ticketRow = boss.page.getByRole('button', { name: /Room 212.*Shower drain blocked/ });
    await ticketRow.waitFor({ timeout: 5000 });
    await ticketRow.click();
    await boss.page.getByTestId('ticket-detail').waitFor();
    await boss.page.getByTestId('ticket-comment').fill('Plumber booked for 14:00');
    await boss.page.getByTestId('ticket-comment-submit').click();
    await boss.page.getByTestId('ticket-detail').getByText('Plumber booked for 14:00').waitFor({ timeout: 5000 });
    await screenshot(boss.page, 'hk-supervisor-tickets');

    const [row] = await server.app.orm.em.fork().execute<{ status: string; assignee_id: string | null }[]>(
      `select status, assignee_id from housekeeping_task where id = '${task.taskId}'`,
    );
    expect(row).toMatchObject({ status: 'open', assignee_id: hugoId });
    await Promise.all([boss.context.close(), hk.context.close()]);
  }, 90_000);
});
