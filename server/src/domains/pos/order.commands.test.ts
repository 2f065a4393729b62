import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, OrderView, ShiftReport } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, expectEventsMatchContract, ok, type Conn } from '../reservations/testing.ts';
import { includedTax } from './totals.ts';
import { harborOf, openOrderOf, posSnapshotOf, setUpOutlet, writeFingerprint, type TestOutlet } from './testing.ts';

describe('POS orders', () => {
  let server: TestServer;
  let manager: Conn;
  let cashier: Conn;
  let other: Conn;
  let hk: Conn;
  let admin: Conn;
  let outlet: TestOutlet;
  const open = async (by: Conn, extra: Record<string, unknown> = {}) =>
    ok(await by.command<{ orderId: string }>('pos.order.open', { outletId: outlet.outletId, table: '7', covers: 2, terminalId: outlet.terminals[0], ...extra })).orderId;
  const add = async (by: Conn, orderId: string, name: keyof TestOutlet['product'], quantity = 1, extra: Record<string, unknown> = {}) =>
    ok(await by.command<{ lineId: string }>('pos.order.addLine', { orderId, productId: outlet.product[name], quantity, ...extra })).lineId;
  const ofOrder = (type: string, orderId: string) => (e: EventEnvelope) => e.type === type && (e.payload as { orderId: string }).orderId === orderId;

  beforeAll(async () => {
    server = await startTestServer();
    [manager, cashier, other, hk, admin] = await Promise.all(
      ['manager@innboard.demo', 'pos@innboard.demo', 'harbor.frontdesk@innboard.demo', 'housekeeping@innboard.demo', 'admin@innboard.demo'].map((e) => loginAndConnect(server.url, e)),
    );
    outlet = await setUpOutlet(manager);
  });
  afterAll(async () => {
    for (const c of [manager, cashier, other, hk, admin]) c?.close();
    await server?.stop();
  });

  it('adds lines with modifiers and keeps totals and included tax per rate; every terminal hears it', async () => {
    const orderId = await open(cashier);
    const opened = await manager.waitForEvent(ofOrder('pos.order.opened', orderId));
    expect(opened.payload).toMatchObject({ orderId, outletId: outlet.outletId, total: 0, order: { table: '7', covers: 2, status: 'open', lines: [] } });

    const burger = await add(cashier, orderId, 'Burger', 2, { modifiers: ['Cheese'], note: 'no onions' });
    await add(cashier, orderId, 'Beer', 3);
    const lineEvent = await manager.waitForEvent((e) => ofOrder('pos.order.lineAdded', orderId)(e) && (e.payload as { line: { lineId: string } }).line.lineId === burger);
    expect(lineEvent.payload).toMatchObject({ outletId: outlet.outletId, line: { name: 'Burger', quantity: 2, unitPrice: 1600, amount: 3200, modifiers: [{ name: 'Cheese', price: 150 }], note: 'no onions', taxRate: 700 } });

    const order = (await openOrderOf(cashier, outlet.outletId, orderId))!;
    expect(order.totals).toEqual({ subtotal: 4550, discount: 0, total: 4550, tax: includedTax(3200, 700) + includedTax(1350, 1900), paid: 0, tips: 0, due: 4550 });
    expect(order.lines.map((l) => l.name)).toEqual(['Burger', 'Beer']);
    expect(errorCode(await cashier.command('pos.order.addLine', { orderId, productId: outlet.product.Burger, quantity: 1, modifiers: ['Truffle'] }))).toBe('VALIDATION');
    expectEventsMatchContract(manager.events);
  });

  it('discounts a line and the order; the tax follows the discount', async () => {
    const orderId = await open(cashier);
    await add(cashier, orderId, 'Burger', 2, { modifiers: ['Cheese'] });
    const beer = await add(cashier, orderId, 'Beer', 3);
    ok(await cashier.command('pos.order.discount', { orderId, lineId: beer, amount: 350, reason: 'Happy hour' }));
    const view = ok(await cashier.command<OrderView>('pos.order.discount', { orderId, percent: 10, reason: 'Regular guest' }));
    expect(view.totals).toMatchObject({ subtotal: 4550, discount: 350 + 420, total: 3780, tax: includedTax(2880, 700) + includedTax(900, 1900) });
    expect(view.orderDiscount).toEqual({ percent: 10, amount: null, reason: 'Regular guest' });
    expect(view.lines.find((l) => l.lineId === beer)!.discount).toBe(350);
    expect(errorCode(await cashier.command('pos.order.discount', { orderId, percent: 10, amount: 5, reason: 'both' }))).toBe('VALIDATION');
  });

  it('voids a line with a reason; above the limit only a manager may', async () => {
    const orderId = await open(cashier);
    const salad = await add(cashier, orderId, 'Salad');
    const wine = await add(cashier, orderId, 'Wine');
    ok(await cashier.command('pos.order.voidLine', { orderId, lineId: salad, reason: 'Sent back' }));
    const voided = await manager.waitForEvent(ofOrder('pos.order.lineVoided', orderId));
    expect(voided.payload).toMatchObject({ lineId: salad, reason: 'Sent back', total: 3200 });
    expect(errorCode(await cashier.command('pos.order.voidLine', { orderId, lineId: salad, reason: 'again' }))).toBe('CONFLICT');
    // The wine (32.00) is over the 20.00 limit.
    expect(errorCode(await cashier.command('pos.order.voidLine', { orderId, lineId: wine, reason: 'Corked' }))).toBe('FORBIDDEN');
    ok(await manager.command('pos.order.voidLine', { orderId, lineId: wine, reason: 'Corked' }));
    const order = (await openOrderOf(cashier, outlet.outletId, orderId))!;
    expect(order.totals.total).toBe(0);
    expect(order.lines.map((l) => [l.name, l.voided, l.voidReason])).toEqual([['Salad', true, 'Sent back'], ['Wine', true, 'Corked']]);
  });

  it('pays cash with change and card exactly; the closed order leaves the snapshot and takes no more lines', async () => {
    const orderId = await open(cashier);
    await add(cashier, orderId, 'Salad', 2);
    expect(errorCode(await cashier.command('pos.order.pay', { orderId, method: 'card', amount: 1900 }))).toBe('CONFLICT');
    const part = ok(await cashier.command<{ change: number; due: number; closed: boolean }>('pos.order.pay', { orderId, method: 'card', amount: 800, tip: 100, terminalId: outlet.terminals[1] }));
    expect(part).toMatchObject({ change: 0, due: 1000, closed: false });
    const rest = ok(await cashier.command<{ change: number; due: number; closed: boolean }>('pos.order.pay', { orderId, method: 'cash', amount: 2000 }));
    expect(rest).toMatchObject({ change: 1000, due: 0, closed: true });
    const closed = await manager.waitForEvent(ofOrder('pos.order.closed', orderId));
    expect(closed.payload).toMatchObject({ status: 'closed', total: 1800, order: { totals: { paid: 1800, tips: 100, due: 0 }, payments: [{ method: 'card', amount: 800, tip: 100 }, { method: 'cash', amount: 1000, tip: 0 }] } });
    expect(await openOrderOf(cashier, outlet.outletId, orderId)).toBeUndefined();
    expect(errorCode(await cashier.command('pos.order.addLine', { orderId, productId: outlet.product.Beer, quantity: 1 }))).toBe('CONFLICT');
    expect(errorCode(await cashier.command('pos.order.pay', { orderId, method: 'cash', amount: 100 }))).toBe('CONFLICT');
  });

  it('paying an order another terminal just voided is a CONFLICT', async () => {
    const orderId = await open(cashier);
    await add(cashier, orderId, 'Beer');
    ok(await manager.command('pos.order.void', { orderId, reason: 'Walked out before serving', terminalId: outlet.terminals[1] }));
    const ack = await cashier.command('pos.order.pay', { orderId, method: 'cash', amount: 450 });
    expect(ack.ok ? null : ack.error).toMatchObject({ code: 'CONFLICT', message: 'This order was voided' });
    expect((await manager.waitForEvent(ofOrder('pos.order.closed', orderId))).payload).toMatchObject({ status: 'voided', order: { voidReason: 'Walked out before serving' } });
  });

  it('splits by lines onto a new order and evenly into shares, each paid on its own', async () => {
    const orderId = await open(cashier, { table: '12' });
    await add(cashier, orderId, 'Burger');
    const wine = await add(cashier, orderId, 'Wine');
    const beer = await add(cashier, orderId, 'Beer');
    const { orderId: splitId } = ok(await cashier.command<{ orderId: string }>('pos.order.split', { orderId, lineIds: [wine, beer] }));
    const splitOpened = await manager.waitForEvent(ofOrder('pos.order.opened', splitId));
    expect(splitOpened.payload).toMatchObject({ total: 3650, order: { table: '12', lines: [{ lineId: wine }, { lineId: beer }] } });
    expect((await openOrderOf(cashier, outlet.outletId, orderId))!.totals.total).toBe(1450);
    expect(errorCode(await cashier.command('pos.order.split', { orderId: splitId, lineIds: [wine, beer] }))).toBe('VALIDATION');

    const shared = ok(await cashier.command<OrderView>('pos.order.splitEvenly', { orderId: splitId, parts: 3 }));
    expect(shared.shares).toEqual([1217, 1217, 1216]);
    for (const share of shared.shares!) ok(await cashier.command('pos.order.pay', { orderId: splitId, method: 'card', amount: share }));
    expect((await manager.waitForEvent(ofOrder('pos.order.closed', splitId))).payload).toMatchObject({ status: 'closed', order: { totals: { paid: 3650, due: 0 } } });
  });

  it('moves an order to another table and keeps its note', async () => {
    const orderId = await open(cashier);
    const moved = ok(await cashier.command<OrderView>('pos.order.transfer', { orderId, table: '21' }));
    expect(moved.table).toBe('21');
    const noted = ok(await cashier.command<OrderView>('pos.order.setNote', { orderId, note: 'Nut allergy' }));
    expect(noted).toMatchObject({ table: '21', note: 'Nut allergy' });
    const event = await manager.waitForEvent((e) => ofOrder('pos.order.updated', orderId)(e) && (e.payload as { order: OrderView }).order.note === 'Nut allergy');
    expect(event.payload).toMatchObject({ outletId: outlet.outletId, order: { table: '21' } });
  });

  it('the snapshot lists outlets with products, terminals and open orders', async () => {
    const orderId = await open(cashier);
    await add(cashier, orderId, 'Beer', 2);
    const snap = await posSnapshotOf(cashier);
    const o = snap.outlets.find((x) => x.outletId === outlet.outletId)!;
    expect(o).toMatchObject({ kind: 'restaurant', taxRate: 700, voidLimit: 2000, active: true });
    expect(o.terminals.map((t) => t.name)).toEqual(['Till 1', 'Till 2', 'Till 3']);
    expect(o.products.map((p) => [p.category, p.name, p.price, p.taxRate])).toEqual([
      ['Drinks', 'Beer', 450, 1900], ['Drinks', 'Wine', 3200, 1900], ['Mains', 'Burger', 1450, 700], ['Mains', 'Salad', 900, 700],
    ]);
    expect(o.orders.find((x) => x.orderId === orderId)).toMatchObject({ lines: [{ name: 'Beer', quantity: 2, amount: 900 }], totals: { total: 900 } });
  });

  it('the demo hotel comes with a restaurant and a bar (menus, two terminals each), room service, a minibar and open orders', async () => {
    const demo = (await posSnapshotOf(cashier)).outlets.filter((o) => !o.name.startsWith('Bistro'));
    expect(demo.map((o) => [o.name, o.kind, o.terminals.length, o.orders.length])).toEqual([
      ['Harbor Kitchen', 'restaurant', 2, 2], ['Lighthouse Bar', 'bar', 2, 1], ['Minibar', 'minibar', 0, 0], ['Room Service', 'room_service', 1, 0],
    ]);
    const table4 = demo[0]!.orders.find((o) => o.table === '4')!;
    // 2 x 6.90 soup + 18.90 burger + 1.50 cheese + 21.90 risotto + 2 x 7.50 red.
    expect(table4.totals.total).toBe(2 * 690 + 1890 + 150 + 2190 + 2 * 750);
    expect(demo[1]!.products.find((p) => p.name === 'Gin & tonic')).toMatchObject({ price: 1200, taxRate: 1900, modifiers: [{ name: 'Double', price: 500 }, { name: 'Cucumber', price: 0 }] });
  });

  it('refuses closed outlets, unavailable products and roles without POS', async () => {
    const closed = await setUpOutlet(manager, { kind: 'bar', openingHours: [] });
    expect(errorCode(await cashier.command('pos.order.open', { outletId: closed.outletId }))).toBe('CONFLICT');
    const orderId = await open(cashier);
    ok(await manager.command('pos.product.update', { productId: outlet.product.Salad, available: false }));
    const ack = await cashier.command('pos.order.addLine', { orderId, productId: outlet.product.Salad, quantity: 1 });
    expect(ack.ok ? null : ack.error).toMatchObject({ code: 'CONFLICT', message: 'Salad is not available' });
    ok(await manager.command('pos.product.update', { productId: outlet.product.Salad, available: true }));
    expect(errorCode(await hk.command('pos.order.open', { outletId: outlet.outletId }))).toBe('FORBIDDEN');
    expect(errorCode(await cashier.command('pos.product.update', { productId: outlet.product.Beer, price: 1 }))).toBe('FORBIDDEN');
    // A terminal of another outlet is not this order's.
    expect(errorCode(await cashier.command('pos.order.addLine', { orderId, productId: outlet.product.Beer, quantity: 1, terminalId: closed.terminals[0] }))).toBe('NOT_FOUND');
  });

  it('an outlet, order, line, product or terminal of another hotel answers NOT_FOUND and nothing is written', async () => {
    // The Harbor Inn's own restaurant with an open order, set up by the admin who runs both hotels.
    const harbor = await setUpOutlet(admin, {}, harborOf(admin));
    const { orderId: harborOrder } = ok(await admin.command<{ orderId: string }>('pos.order.open', { outletId: harbor.outletId, table: '1' }));
    const harborLine = ok(await admin.command<{ lineId: string }>('pos.order.addLine', { orderId: harborOrder, productId: harbor.product.Beer, quantity: 1 })).lineId;
    const own = await open(cashier);
    await add(cashier, own, 'Salad');
    const before = await writeFingerprint(server);

    const foreign: Array<[Conn, string, Record<string, unknown>]> = [
      [cashier, 'pos.order.open', { outletId: harbor.outletId }],
      [cashier, 'pos.order.open', { outletId: outlet.outletId, terminalId: harbor.terminals[0] }],
      [cashier, 'pos.order.addLine', { orderId: harborOrder, productId: outlet.product.Beer, quantity: 1 }],
      [cashier, 'pos.order.addLine', { orderId: own, productId: harbor.product.Beer, quantity: 1 }],
      [cashier, 'pos.order.addLine', { orderId: own, productId: outlet.product.Beer, quantity: 1, terminalId: harbor.terminals[0] }],
      [manager, 'pos.order.voidLine', { orderId: own, lineId: harborLine, reason: 'x' }],
      [manager, 'pos.order.voidLine', { orderId: harborOrder, lineId: harborLine, reason: 'x' }],
      [cashier, 'pos.order.pay', { orderId: harborOrder, method: 'cash', amount: 450 }],
      [cashier, 'pos.order.pay', { orderId: own, method: 'cash', amount: 900, terminalId: harbor.terminals[1] }],
      [cashier, 'pos.order.postToRoom', { orderId: harborOrder, roomNumber: '101', guestLastName: 'Tester' }],
      [cashier, 'pos.order.split', { orderId: own, lineIds: [harborLine] }],
      [cashier, 'pos.order.split', { orderId: harborOrder, lineIds: [harborLine] }],
      [cashier, 'pos.order.splitEvenly', { orderId: harborOrder, parts: 2 }],
      [cashier, 'pos.order.transfer', { orderId: harborOrder, table: '9' }],
      [cashier, 'pos.order.setNote', { orderId: harborOrder, note: 'x' }],
      [cashier, 'pos.order.discount', { orderId: harborOrder, percent: 10, reason: 'x' }],
      [cashier, 'pos.order.discount', { orderId: own, lineId: harborLine, percent: 10, reason: 'x' }],
      [manager, 'pos.order.void', { orderId: harborOrder, reason: 'x' }],
      [manager, 'pos.order.void', { orderId: own, reason: 'x', terminalId: harbor.terminals[2] }],
      [manager, 'pos.outlet.update', { outletId: harbor.outletId, voidLimit: 0 }],
      [manager, 'pos.product.create', { outletId: harbor.outletId, name: 'Spy', category: 'Mains', price: 1 }],
      [manager, 'pos.product.update', { productId: harbor.product.Beer, price: 1 }],
      [manager, 'pos.terminal.register', { outletId: harbor.outletId, name: 'Till 9' }],
      [manager, 'pos.shift.report', { propertyId: manager.propertyId, terminalId: harbor.terminals[0] }],
    ];
    for (const [by, type, payload] of foreign) {
      expect.soft(errorCode(await by.command(type, payload)), `${type} ${JSON.stringify(payload)}`).toBe('NOT_FOUND');
    }
    expect(await writeFingerprint(server)).toEqual(before);
    expect((await openOrderOf(cashier, outlet.outletId, own))!.lines.map((l) => [l.name, l.voided])).toEqual([['Salad', false]]);
  });

  it('the shift report sums sales by tender, tips, voids and discounts per terminal and cashier', async () => {
    const report = ok(await manager.command<ShiftReport>('pos.shift.report', { propertyId: manager.propertyId, terminalId: outlet.terminals[1] }));
    // Till 2 saw the card part payment (800 + 100 tip) by the cashier and the manager's order void (450).
    expect(report.rows).toEqual(expect.arrayContaining([
      expect.objectContaining({ cashierName: 'Pablo POS', sales: { cash: 0, card: 800, room: 0 }, tips: 100, payments: 1, voids: { count: 0, amount: 0 } }),
      expect.objectContaining({ cashierName: 'Mona Manager', sales: { cash: 0, card: 0, room: 0 }, voids: { count: 1, amount: 450 } }),
    ]));
    // A cashier sees only their own rows, whatever they ask for.
    const own = ok(await cashier.command<ShiftReport>('pos.shift.report', { propertyId: cashier.propertyId, cashierId: manager.session.user.id }));
    expect(own.rows.length).toBeGreaterThan(0);
    expect(own.rows.every((r) => r.cashierId === cashier.session.user.id)).toBe(true);
    const all = own.rows.reduce((s, r) => ({ card: s.card + r.sales.card, cash: s.cash + r.sales.cash, discounts: s.discounts + r.discounts.amount }), { card: 0, cash: 0, discounts: 0 });
    expect(all).toEqual({ card: 800 + 3650, cash: 1000, discounts: 350 + 420 });
  });
});
