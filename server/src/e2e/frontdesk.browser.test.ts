// The front desk in real browsers: book through the UI and see it on a colleague's tape chart, drag a
// stay to another room, check in (with the dirty-room override) and out, and watch the manager's counts
// move live. Needs the board built first (`pnpm --filter @innboard/web build`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Ack, PropertySnapshotBase, ReservationCreateResult } from '@innboard/shared';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type Client, type TestServer } from '../testing/factory.ts';

type Snapshot = PropertySnapshotBase;

const tapeReady = (page: Page) => page.locator('[data-room-row]').first().waitFor({ timeout: 15_000 });
const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function ok<R>(ack: Ack<R>): R {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.result;
}

describe('front desk in a real browser', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let desk: Client & { propertyId: string };
  let today: string;
  let room: (n: string) => Snapshot['rooms'][number];
  let typeOf: (code: string) => string;

  /** A booking made over the socket, as another terminal would; the boards hear it as an event. */
  async function book(guest: string, roomNumber: string | null, nights: number, arrival = today): Promise<string> {
    const r = roomNumber ? room(roomNumber) : null;
    const [firstName, lastName] = guest.split(' ');
    const result = ok(await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: r?.roomTypeId ?? typeOf('STD'), roomId: r?.id, arrival, departure: addDays(arrival, nights),
      adults: 2, guest: { firstName, lastName },
    }));
    return result.reservationId;
  }

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const sync = await desk.sync(desk.propertyId);
    if (!sync.ok || !('snapshot' in sync)) throw new Error('no snapshot');
    const snap = sync.snapshot as Snapshot;
    today = snap.property.businessDate;
    room = (n) => snap.rooms.find((r) => r.number === n)!;
    typeOf = (code) => snap.roomTypes.find((t) => t.code === code)!.id;
  });

  afterAll(async () => {
    desk?.close();
    await browser?.close();
    await server?.stop();
  });

  it('books through the UI with the keyboard and a colleague sees it on the tape chart', async () => {
    const agent = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const manager = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    await manager.page.goto('/tape-chart');
    await agent.page.goto('/reservations/new');
    await Promise.all([connected(agent.page), connected(manager.page), tapeReady(manager.page)]);
    const p = agent.page;

    // Stay: arrival is focused and set to today; Tab on to nights (a date input may take a Tab per
    // part of the date), type 2, Enter searches.
    const focused = () => p.evaluate<string | null>('document.activeElement?.getAttribute("data-testid") ?? null');
    await expect.poll(focused).toBe('stay-arrival');
    await screenshot(p, 'frontdesk-new-stay');
    for (let i = 0; i < 4 && (await focused()) !== 'stay-nights'; i++) await p.keyboard.press('Tab');
    expect(await focused()).toBe('stay-nights');
    await p.keyboard.press('ControlOrMeta+a');
    await p.keyboard.type('2');
    await p.keyboard.press('Enter');
    // Quotes: the cheapest plan of the first type with rooms is chosen and focused; Enter continues.
    await p.getByTestId('quote').first().waitFor();
    await screenshot(p, 'frontdesk-new-quotes');
    await expect.poll(focused).toBe('quote');
    await p.keyboard.press('Enter');
    // Guest: nobody called Lovelace yet, so Enter turns the typed name into a new guest.
    await expect.poll(focused).toBe('guest-search');
    await p.keyboard.type('Ada Lovelace');
    await p.getByText('0 guests found').waitFor();
    await p.keyboard.press('Enter');
    await expect.poll(focused).toBe('guest-email');
    expect(await p.getByTestId('guest-first').inputValue()).toBe('Ada');
    expect(await p.getByTestId('guest-last').inputValue()).toBe('Lovelace');
    await p.keyboard.type('ada@example.org');
    await p.keyboard.press('Enter');
    // Confirm: the book button has focus.
    await expect.poll(focused).toBe('confirm-submit');
    await screenshot(p, 'frontdesk-new-confirm');
    await p.keyboard.press('Enter');

    const done = p.getByTestId('booking-done');
    await done.waitFor({ timeout: 10_000 });
    const id = (await done.getAttribute('data-reservation'))!;
    await screenshot(p, 'frontdesk-new-done');

    // The manager's tape chart shows the new stay, unassigned, without a reload.
    const bar = manager.page.getByTestId(`bar-${id}`);
    await bar.waitFor({ timeout: 5000 });
    expect(await bar.textContent()).toContain('Lovelace, Ada');
    expect(await bar.getAttribute('data-room')).toBe('');
    expect(await bar.getAttribute('data-departure')).toBe(addDays(today, 2));
    await screenshot(manager.page, 'frontdesk-tape-sees-new-booking');
    // Up to 60 nights: the chart scrolls sideways with the room column pinned.
    await manager.page.getByTestId('tape-days').selectOption('60');
    await manager.page.locator('[role="columnheader"]').nth(60).waitFor();
    await manager.page.locator('.scroller').evaluate((el) => el.scrollBy(900, 0));
    await screenshot(manager.page, 'frontdesk-tape-60-days');
    await agent.context.close();
    await manager.context.close();
  }, 60_000);

  it('drags a stay onto another room: red over a taken room, green over a free one, moved for everyone', async () => {
    const mover = await book('Grace Hopper', '103', 3);
    await book('Alan Turing', '105', 2, addDays(today, 1));
    const agent = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const colleague = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    await agent.page.goto('/tape-chart');
    await colleague.page.goto('/tape-chart');
    await Promise.all([connected(agent.page), connected(colleague.page), tapeReady(agent.page), tapeReady(colleague.page)]);
    const p = agent.page;

    const bar = p.getByTestId(`bar-${mover}`);
    const from = (await bar.boundingBox())!;
    const rowCenter = async (n: string) => {
      const box = (await p.locator(`[data-room-row="${room(n).id}"]`).boundingBox())!;
      return box.y + box.height / 2;
    };
    await p.mouse.move(from.x + 20, from.y + from.height / 2);
    await p.mouse.down();
    await p.mouse.move(from.x + 24, await rowCenter('105'), { steps: 8 });
    const preview = p.getByTestId('drop-preview');
    await expect.poll(() => preview.getAttribute('data-valid')).toBe('false');
    expect(await p.getByTestId('drag-hint').textContent()).toMatch(/Room 105 is taken by Turing, Alan/);
    expect(await preview.locator('[data-state="bad"]').count()).toBe(2);
    await screenshot(p, 'frontdesk-drag-conflict');

    await p.mouse.move(from.x + 24, await rowCenter('107'), { steps: 8 });
    await expect.poll(() => preview.getAttribute('data-valid')).toBe('true');
    await screenshot(p, 'frontdesk-drag-free');
    await p.mouse.up();

    await expect.poll(() => bar.getAttribute('data-room')).toBe(room('107').id);
    await expect.poll(() => colleague.page.getByTestId(`bar-${mover}`).getAttribute('data-room'), { timeout: 5000 }).toBe(room('107').id);
    const [row] = await server.app.orm.em.fork().execute<{ number: string }[]>(
      `select r.number from room_occupancy o join room r on r.id = o.room_id where o.reservation_id = ?`, [mover]);
    expect(row!.number).toBe('107');
    await screenshot(colleague.page, 'frontdesk-drag-moved-colleague');

    // Extending by its right edge into free nights works the same way.
    const grip = p.getByTestId(`resize-${mover}`);
    const g = (await grip.boundingBox())!;
    const cell = from.width / 3;
    await p.mouse.move(g.x + g.width / 2, g.y + g.height / 2);
    await p.mouse.down();
    await p.mouse.move(g.x + g.width / 2 + cell, g.y + g.height / 2, { steps: 6 });
    await expect.poll(() => preview.getAttribute('data-valid')).toBe('true');
    await p.mouse.up();
    await expect.poll(() => colleague.page.getByTestId(`bar-${mover}`).getAttribute('data-departure'), { timeout: 5000 }).toBe(addDays(today, 4));

    // An out-of-order block drawn by the manager shows up on the row; the bar opens the drawer.
    const mgr = await loginAndConnect(server.url, 'manager@innboard.demo');
    ok(await mgr.command('room.block', { roomId: room('113').id, from: addDays(today, 1), to: addDays(today, 4), kind: 'out_of_order', reason: 'Water leak' }));
    mgr.close();
    await p.locator(`[data-room-row="${room('113').id}"] [data-testid^="block-"]`).waitFor({ timeout: 5000 });
    await bar.click();
    const drawer = p.getByTestId('reservation-drawer');
    await drawer.getByTestId('drawer-room').filter({ hasText: '107' }).waitFor();
    expect(await drawer.getByTestId('drawer-departure').textContent()).toContain(String(Number(addDays(today, 4).slice(8))));
    await screenshot(p, 'frontdesk-drawer');
    await p.keyboard.press('Escape');
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await agent.context.close();
    await colleague.context.close();
  }, 60_000);

  it('checks in (overriding a dirty room with a reason) and out; the room turns dirty and the manager sees it live', async () => {
    const dirtyStay = await book('Katherine Johnson', '109', 2);
    const cleanStay = await book('Margaret Hamilton', '111', 1);
    ok(await desk.command('room.setStatus', { roomId: room('109').id, status: 'dirty' }));

    const agent = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const manager = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    const hk = await loginPage(browser.browser, server.url, 'housekeeping@innboard.demo');
    await agent.page.goto('/front-desk');
    await manager.page.goto('/manager');
    await Promise.all([connected(agent.page), connected(manager.page), connected(hk.page)]);
    const p = agent.page;
    await manager.page.getByTestId('kpi-inhouse').waitFor();
    const inHouse0 = Number(await text(manager.page, 'kpi-inhouse'));
    const arrivals0 = Number(await text(manager.page, 'kpi-arrivals'));
    // ADR and RevPAR come from the server's report.occupancy.
    await expect.poll(() => text(manager.page, 'kpi-adr'), { timeout: 5000 }).toMatch(/€\d/);
    await screenshot(manager.page, 'frontdesk-manager-before');

    // Into a dirty room: the server says no, the desk sees why and may override with a reason.
    await p.getByTestId(`checkin-${dirtyStay}`).click();
    const conflict = p.getByTestId('checkin-conflict');
    await conflict.waitFor({ timeout: 5000 });
    expect(await conflict.textContent()).toMatch(/Room 109 is dirty/);
    await screenshot(p, 'frontdesk-checkin-conflict');
    await p.getByTestId('override-reason').fill('Guest accepts, housekeeping on the way');
    await p.getByTestId('override-confirm').click();
    await expect.poll(() => p.getByTestId(`desk-row-${dirtyStay}`).getByTestId('reservation-status').textContent()).toBe('In house');
    const statusInDb = async (id: string) => (await server.app.orm.em.fork().execute<{ status: string }[]>('select status from reservation where id = ?', [id]))[0]!.status;
    expect(await statusInDb(dirtyStay)).toBe('checked_in');

    // Into a clean room: one click.
    await p.getByTestId(`checkin-${cleanStay}`).click();
    await expect.poll(() => p.getByTestId(`desk-row-${cleanStay}`).getByTestId('reservation-status').textContent()).toBe('In house');
    await expect.poll(async () => Number(await text(manager.page, 'kpi-inhouse')), { timeout: 5000 }).toBe(inHouse0 + 2);
    await expect.poll(async () => Number(await text(manager.page, 'kpi-arrivals'))).toBe(arrivals0 - 2);
    await screenshot(p, 'frontdesk-arrivals-checked-in');

    // Check-out from the in-house list; housekeeping's board shows the room dirty at once.
    expect(await hk.page.getByTestId('room-111').getAttribute('data-status')).toBe('clean');
    await p.getByTestId('tab-inHouse').click();
    await p.getByTestId('desk-search').fill('hamilton');
    await screenshot(p, 'frontdesk-inhouse-search');
    await p.getByTestId(`checkout-${cleanStay}`).click();
    await expect.poll(() => hk.page.getByTestId('room-111').getAttribute('data-status'), { timeout: 5000 }).toBe('dirty');
    await expect.poll(async () => Number(await text(manager.page, 'kpi-inhouse')), { timeout: 5000 }).toBe(inHouse0 + 1);
    await screenshot(hk.page, 'frontdesk-checkout-room-dirty');
    await screenshot(manager.page, 'frontdesk-manager-after');

    // The tape chart's row header shows the new room status too.
    await p.goto('/tape-chart');
    await tapeReady(p);
    expect(await p.getByTestId('tape-room-111').getAttribute('data-status')).toBe('dirty');
    await screenshot(p, 'frontdesk-tape-after-checkout');
    await agent.context.close();
    await manager.context.close();
    await hk.context.close();
  }, 60_000);
});
