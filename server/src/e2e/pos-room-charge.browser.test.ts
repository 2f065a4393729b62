// Charges that reach a guest's folio from outside the front desk, in real browsers: a cashier posts a
// bill to a room from the terminal (room number + last name checked), a housekeeping attendant records
// the minibar on a phone, and the front desk's open reservation drawer shows each charge live while the
// manager's stock page shows the minibar stock going down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReservationCreateResult, TaskView } from '@innboard/shared';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { guest, hotelOf, ok, sql, type Conn } from '../domains/reservations/testing.ts';
import { posSnapshotOf, setUpOutlet, type TestOutlet } from '../domains/pos/testing.ts';

const PHONE = { width: 390, height: 844 };
/** Waits for the browser to catch up; generous, as two cores are shared by many test processes. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

describe('charges to a guest room in real browsers', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let desk: Conn;
  let supervisor: Conn;
  let manager: Conn;
  let outlet: TestOutlet;
  let outletName: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    [desk, supervisor, manager] = await Promise.all(
      ['frontdesk@innboard.demo', 'supervisor@innboard.demo', 'manager@innboard.demo'].map((e) => loginAndConnect(server.url, e)),
    );
    // An always-open outlet, so the test passes at any hour (the demo outlets keep opening hours).
    outlet = await setUpOutlet(manager);
    outletName = (await posSnapshotOf(manager)).outlets.find((o) => o.outletId === outlet.outletId)!.name;
  });
  afterAll(async () => {
    for (const c of [desk, supervisor, manager]) c?.close();
    await browser?.close();
    await server?.stop();
  });

  it('a bill posted to a room at the till and the minibar recorded on a phone show on the guest\'s folio live; stock follows', async () => {
    // Ada Lovelace is in-house (arrived today, checked in) and her room is on Hugo's list for a stayover clean.
    const h = await hotelOf(desk);
    const { reservationId } = ok(await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: h.type('DLX').id, arrival: h.day(0), departure: h.day(2), adults: 1, guest: guest('Ada', 'Lovelace'),
    }));
    ok(await desk.command('reservation.autoAssign', { reservationId }));
    ok(await desk.command('reservation.checkIn', { reservationId }));
    const [room] = await sql<{ id: string; number: string }>(server, 'select rm.id, rm.number from room_occupancy o join room rm on rm.id = o.room_id where o.reservation_id = ?', [reservationId]);
    const [hugo] = await sql<{ id: string }>(server, "select id from app_user where email = 'housekeeping@innboard.demo'");
    const task = ok(await supervisor.command<TaskView>('task.create', { roomId: room!.id, type: 'stayover' }));
    ok(await supervisor.command('task.assign', { taskId: task.taskId, assigneeId: hugo!.id }));

    // The front desk has Ada's reservation open; the manager watches the stock page.
    const agent = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    await agent.page.goto('/front-desk');
    await connected(agent.page);
    const row = agent.page.getByTestId(`desk-row-${reservationId}`);
    await row.waitFor({ timeout: 10_000 });
    await row.getByRole('button').first().click();
    const drawer = agent.page.getByTestId('reservation-drawer');
    const balance = drawer.getByTestId('folio-balance');
    await balance.waitFor({ timeout: 10_000 });
    const opening = Number(await balance.getAttribute('data-amount'));
    const folioLine = (text: string) => drawer.getByTestId('folio-line').filter({ hasText: text });

    const m = await loginPage(browser.browser, server.url, 'manager@innboard.demo');
    await m.page.goto('/pos/stock');
    await connected(m.page);
    const water = m.page.getByTestId('stock-Minibar water');
    await water.waitFor({ timeout: 10_000 });
    const waterBefore = Number(await water.getAttribute('data-quantity'));

    // The cashier rings up a salad and a wine at table 5 and sends the bill to the room.
    const till = await loginPage(browser.browser, server.url, 'pos@innboard.demo');
    const p = till.page;
    p.setDefaultTimeout(10_000);
    await p.waitForURL(/\/pos$/);
    await connected(p);
    await p.getByTestId(`pos-outlet-card-${outletName}`).getByRole('button', { name: 'Till 1' }).click();
    await p.getByTestId('pos-new-order').click();
    await p.getByTestId('pos-open-table').fill('5');
    await p.getByTestId('pos-open-submit').click();
    await poll(() => p.getByTestId('pos-ticket').getAttribute('data-order-status')).toBe('open');
    await p.getByTestId('pos-category-Mains').click();
    await p.getByTestId('pos-product-Salad').click();
    await p.getByTestId('pos-category-Drinks').click();
    await p.getByTestId('pos-product-Wine').click();
    await poll(() => p.getByTestId('pos-total').textContent()).toBe('€41.00');

    // A wrong name is refused and shown to the cashier; nothing reaches the folio.
    await p.getByTestId('pos-room').click();
    await p.getByTestId('pos-room-number').fill(room!.number);
    await p.getByTestId('pos-room-name').fill('Byron');
    await p.getByTestId('pos-room-submit').click();
    const refused = p.getByTestId('pos-rejected-item');
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.textContent()).toContain(`The name does not match the guest in room ${room!.number}`);
    expect(await p.getByTestId('pos-ticket').getAttribute('data-order-status')).toBe('open');
    await screenshot(p, 'pos-room-name-refused');
    await p.getByTestId('pos-rejected-discard').click();

    await p.getByTestId('pos-room').click();
    await p.getByTestId('pos-room-number').fill(room!.number);
    await p.getByTestId('pos-room-name').fill('lovelace');
    await screenshot(p, 'pos-room-dialog');
    await p.getByTestId('pos-room-submit').click();
    await poll(() => p.getByTestId('pos-ticket').getAttribute('data-order-status')).toBe('closed');

    // The drawer, open all along, shows the charge without a reload.
    const restaurant = folioLine(`${outletName}, table 5`);
    await restaurant.waitFor({ timeout: 15_000 });
    expect(await restaurant.textContent()).toContain('€41.00');
    await poll(() => balance.getAttribute('data-amount')).toBe(String(opening + 4100));
    await screenshot(agent.page, 'pos-room-folio-restaurant');

    // Hugo opens the room on his phone and records two waters from the minibar.
    const hk = await loginPage(browser.browser, server.url, 'housekeeping@innboard.demo', PHONE);
    await hk.page.goto('/attendant');
    await connected(hk.page);
    const card = hk.page.getByTestId(`my-task-${room!.number}`);
    await card.waitFor({ timeout: 10_000 });
    await card.getByTestId('task-minibar').click();
    const sheet = hk.page.getByTestId('minibar-sheet');
    const stillWater = sheet.getByTestId('minibar-item-Still water');
    await stillWater.getByTestId('minibar-add').click();
    await stillWater.getByTestId('minibar-add').click();
    expect(await sheet.getByTestId('minibar-charge').textContent()).toContain(`Charge €7.00 to room ${room!.number}`);
    await screenshot(hk.page, 'pos-minibar-sheet');
    await sheet.getByTestId('minibar-charge').click();
    await hk.page.getByTestId('toast').filter({ hasText: `Minibar charged to room ${room!.number}: €7.00` }).waitFor({ timeout: 15_000 });
    await sheet.waitFor({ state: 'detached' });

    const minibar = folioLine('Minibar: 2 × Still water');
    await minibar.waitFor({ timeout: 15_000 });
    expect(await minibar.textContent()).toContain('€7.00');
    await poll(() => balance.getAttribute('data-amount')).toBe(String(opening + 4100 + 700));
    await poll(() => water.getAttribute('data-quantity')).toBe(String(waterBefore - 2));
    await screenshot(agent.page, 'pos-room-folio-minibar');
    await screenshot(m.page, 'pos-minibar-stock');

    // The server holds both charges once, on Ada's guest folio.
    const charges = await sql<{ department: string; amount: number }>(server,
      "select l.department, l.amount from folio_line l join folio f on f.id = l.folio_id where f.reservation_id = ? and f.kind = 'guest' and l.department in ('food', 'minibar') order by l.amount",
      [reservationId]);
    expect(charges).toEqual([{ department: 'minibar', amount: 700 }, { department: 'food', amount: 4100 }]);

    // The cashier's end-of-shift figures, one tap from the till, count the bill as sent to rooms.
    await p.getByTestId('pos-shift-link').click();
    await p.waitForURL(/\/pos\/orders/);
    await p.getByTestId('shift-load').click();
    const figures = p.getByTestId('shift-report').getByRole('row', { name: new RegExp(`${outletName} · Till 1 · Pablo POS`) });
    await figures.waitFor();
    expect(await figures.textContent()).toContain('€41.00');
    await screenshot(p, 'pos-cashier-shift-report');
    await Promise.all([agent.context.close(), m.context.close(), till.context.close(), hk.context.close()]);
  }, 150_000);
});
