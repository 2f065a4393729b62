// The audit trail in a real browser: a front-desk clerk (over a socket, as another terminal would)
// changes a room's status and books a stay; the manager finds those entries on /audit with the clerk's
// name and the before→after of the change, then sees the stay's history in the reservation drawer.
// Needs the board built first (`pnpm --filter @innboard/web build`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, PropertySnapshotBase, ReservationCreateResult } from '@innboard/shared';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type Client, type TestServer } from '../testing/factory.ts';

type Snapshot = PropertySnapshotBase;


function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function ok<R>(ack: Ack<R>): R {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.result;
}

describe('audit trail in a real browser', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let desk: Client & { propertyId: string; session: { user: { name: string } } };
  let snap: Snapshot;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const sync = await desk.sync(desk.propertyId);
    if (!sync.ok || !('snapshot' in sync)) throw new Error('no snapshot');
    snap = sync.snapshot as Snapshot;
  });

  afterAll(async () => {
    desk?.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows who changed what on /audit and in the reservation drawer', async () => {
    const clerk = desk.session.user.name;
    const today = snap.property.businessDate;
    const target = snap.rooms.find((r) => r.status === 'clean' || r.status === 'inspected')!;
    ok(await desk.command('room.setStatus', { roomId: target.id, status: 'dirty' }));
    const stayRoom = snap.rooms.find((r) => r.id !== target.id && r.status !== 'out_of_order')!;
    const { reservationId } = ok(await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: stayRoom.roomTypeId, roomId: stayRoom.id, arrival: today, departure: addDays(today, 2),
      adults: 2, guest: { firstName: 'Grace', lastName: 'Hopper' },
    }));

    const { context, page } = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    // The nav has the page for a manager, in the Manager menu.
    await page.goto('/board');
    await connected(page);
    await page.getByRole('button', { name: 'Manager' }).click();
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await page.waitForURL('**/audit');
    await page.getByTestId('audit-filters').waitFor();

    // Filter by command type with the keyboard only: type, Enter submits the form. The relay ships
    // entries within about a second, so search again until the clerk's change is there.
    // The page keeps the previous answer on screen while a search runs (the unfiltered list it opened with, which may
    // already hold the clerk's entries): wait until every row shown is one the filter allows.
    const command = page.getByTestId('audit-command');
    await command.fill('room.setStatus');
    const rows = page.getByTestId('audit-row');
    const shownCommands = () => rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-command')));
    await expect.poll(async () => {
      await command.press('Enter');
      await page.getByTestId('audit-status').filter({ hasText: /entr/ }).waitFor();
      const shown = await shownCommands();
      return shown.length > 0 && shown.every((c) => c === 'room.setStatus') && (await rows.filter({ hasText: clerk }).count()) > 0;
    }, { timeout: 10_000, interval: 700 }).toBe(true);
    const row = rows.filter({ hasText: clerk }).first();
    expect(await row.getAttribute('data-command')).toBe('room.setStatus');
    expect(await row.getByTestId('audit-actor-cell').textContent()).toContain('Front desk');
    const changes = (await row.getByTestId('audit-changes').textContent()) ?? '';
    expect(changes).toContain(target.status);
    expect(changes).toContain('dirty');
    expect(changes).toContain(`room ${target.number}`);
    await screenshot(page, 'audit-room-status');

    // A family of commands: every reservation command, the booking among them.
    await command.fill('reservation.*');
    await expect.poll(async () => {
      await page.getByTestId('audit-search').click();
      await page.getByTestId('audit-status').filter({ hasText: /entr/ }).waitFor();
      const shown = await shownCommands();
      return shown.every((c) => c?.startsWith('reservation.')) && (await rows.filter({ hasText: 'reservation.create' }).count()) > 0;
    }, { timeout: 10_000, interval: 700 }).toBe(true);
    expect(await rows.filter({ hasText: 'reservation.create' }).first().textContent()).toContain(clerk);
    await screenshot(page, 'audit-reservations');

    // The drawer on the tape chart shows the stay's history: booked by the clerk.
    await page.goto(`/tape-chart?r=${reservationId}`);
    const drawer = page.getByTestId('reservation-drawer');
    await drawer.waitFor({ timeout: 15_000 });
    const entry = drawer.getByTestId('history-entry').filter({ hasText: 'Booked' });
    await entry.waitFor({ timeout: 10_000 });
    expect(await entry.textContent()).toContain(clerk);

    // A change while the drawer is open shows up in the history without reopening it.
    ok(await desk.command('reservation.setLateCheckout', { reservationId, time: '13:00' }));
    const late = drawer.getByTestId('history-entry').filter({ hasText: 'Late check-out' });
    await late.waitFor({ timeout: 10_000 });
    expect(await late.textContent()).toContain('13:00');
    await screenshot(page, 'audit-drawer-history');
    await context.close();

    // The clerk cannot read the trail: the drawer says who can.
    const agent = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    await agent.page.goto(`/tape-chart?r=${reservationId}`);
    await agent.page.getByTestId('history-managers-only').waitFor({ timeout: 15_000 });
    await agent.context.close();
  }, 60_000);
});
