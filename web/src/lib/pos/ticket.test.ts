import { describe, expect, it } from 'vitest';
import type { EventEnvelope, OrderLineView, OrderTotals, OrderView, ProductView, PropertySnapshotBase } from '@innboard/shared';
import { P } from '#lib/testing/fixtures.ts';
import { applyEvent, fromSnapshot } from '#lib/live/read-model.ts';
import { applyPosEvent, menuOf, openOrders, posFromSnapshot, stockList, type PosEvent } from './model.ts';
import { localOrderRef, type OutboxEntry } from './outbox.ts';
import { expectedAmount, localOrders, ticketFor } from './ticket.ts';

const OUTLET = '00000000-0000-4000-8000-0000000000b1';
const ORDER = '00000000-0000-4000-8000-0000000000c1';
const U = '00000000-0000-4000-8000-0000000000d1';

const espresso: ProductView = {
  productId: 'p-esp', outletId: OUTLET, name: 'Espresso', category: 'Coffee', price: 250, taxRate: 1900, ownTaxRate: null,
  modifiers: [{ name: 'Oat milk', price: 50 }, { name: 'Extra shot', price: 80 }], available: true,
};
const soup: ProductView = { ...espresso, productId: 'p-soup', name: 'Soup', category: 'Food', price: 700, modifiers: [] };

function totals(total: number): OrderTotals {
  return { subtotal: total, discount: 0, total, tax: Math.round((total * 19) / 119), paid: 0, tips: 0, due: total };
}

function line(lineId: string, product: ProductView, quantity = 1): OrderLineView {
  return {
    lineId, productId: product.productId, name: product.name, quantity, unitPrice: product.price, modifiers: [], note: null,
    taxRate: 1900, amount: product.price * quantity, discount: 0, voided: false, voidReason: null, addedBy: U, addedAt: '2026-11-21T12:00:00Z',
  };
}

function order(lines: OrderLineView[], over: Partial<OrderView> = {}): OrderView {
  const total = lines.reduce((s, l) => s + l.amount, 0);
  return {
    orderId: ORDER, outletId: OUTLET, status: 'open', table: '12', covers: 2, note: '', orderDiscount: null, shares: null,
    lines, payments: [], totals: totals(total), openedBy: U, openedAt: '2026-11-21T12:00:00Z', closedAt: null, voidReason: null, version: 1, ...over,
  };
}

function snapshot(orders: OrderView[]): PropertySnapshotBase {
  return {
    property: { id: P, name: 'Demo', timeZone: 'UTC', businessDate: '2026-11-21', currency: 'EUR' },
    rooms: [],
    roomTypes: [],
    outlets: [{
      outletId: OUTLET, name: 'Restaurant', kind: 'restaurant', taxRate: 1900, openingHours: null, voidLimit: 2000, active: true,
      terminals: [], products: [soup, espresso], orders,
    }],
    stockItems: [
      { stockItemId: 's1', name: 'Coffee beans', unit: 'g', quantity: 900, lowThreshold: 500, low: false, version: 1 },
      { stockItemId: 's2', name: 'Milk', unit: 'ml', quantity: 200, lowThreshold: 1000, low: true, version: 1 },
    ],
    recipes: [],
  };
}

let seq = 100;
function ev<T extends PosEvent['type']>(type: T, payload: Extract<PosEvent, { type: T }>['payload']): PosEvent {
  return { seq: ++seq, propertyId: P, type, payload, at: '2026-11-21T12:05:00Z' } as EventEnvelope as PosEvent;
}

function entry(over: Partial<OutboxEntry> & Pick<OutboxEntry, 'id' | 'type' | 'payload'>): OutboxEntry {
  return { label: over.type, state: 'pending', createdAt: '2026-11-21T12:00:00Z', ...over };
}

describe('POS read model', () => {
  it('folds order events in; a repeated lineAdded is one line; closed orders leave the open list', () => {
    let model = posFromSnapshot(snapshot([order([line('l1', espresso)])]));
    expect(menuOf(model, OUTLET).map((c) => [c.name, c.products.map((p) => p.name)])).toEqual([['Coffee', ['Espresso']], ['Food', ['Soup']]]);
    const added = ev('pos.order.lineAdded', { orderId: ORDER, outletId: OUTLET, total: 950, totals: totals(950), version: 2, line: line('l2', soup) });
    model = applyPosEvent(applyPosEvent(model, added), added);
    expect(model.orders[ORDER].lines.map((l) => l.lineId)).toEqual(['l1', 'l2']);
    expect(model.orders[ORDER].totals.total).toBe(950);

    model = applyPosEvent(model, ev('pos.order.lineVoided', { orderId: ORDER, outletId: OUTLET, total: 700, totals: totals(700), version: 3, lineId: 'l1', reason: 'Spilled' }));
    expect(model.orders[ORDER].lines[0]).toMatchObject({ voided: true, voidReason: 'Spilled' });
    expect(openOrders(model, OUTLET).map((o) => o.orderId)).toEqual([ORDER]);

    const closed = { ...model.orders[ORDER], status: 'closed' as const };
    model = applyPosEvent(model, ev('pos.order.closed', { orderId: ORDER, outletId: OUTLET, total: 700, totals: totals(700), version: 4, status: 'closed', order: closed }));
    expect(openOrders(model, OUTLET)).toEqual([]);
    expect(model.orders[ORDER].status).toBe('closed');
  });

  it('is part of the property read model: POS events move it and the seq; a server without POS gives an empty one', () => {
    const model = fromSnapshot(snapshot([order([line('l1', espresso)])]), 100);
    const next = applyEvent(model, ev('pos.order.lineAdded', { orderId: ORDER, outletId: OUTLET, total: 950, totals: totals(950), version: 2, line: line('l2', soup) }));
    expect(next.pos.orders[ORDER].lines).toHaveLength(2);
    expect(next.seq).toBe(seq);
    const { outlets: _o, stockItems: _s, recipes: _r, ...bare } = snapshot([]);
    expect(fromSnapshot(bare as PropertySnapshotBase, 1).pos).toEqual({ outlets: {}, products: {}, orders: {}, stock: {}, lowAlerts: [] });
  });

  it('lists low stock first and keeps live low-stock alerts newest first', () => {
    let model = posFromSnapshot(snapshot([]));
    expect(stockList(model).map((s) => s.name)).toEqual(['Milk', 'Coffee beans']);
    const low = (quantity: number) => ev('stock.low', { stockItemId: 's1', name: 'Coffee beans', unit: 'g', quantity, lowThreshold: 500 });
    model = applyPosEvent(applyPosEvent(model, low(480)), low(300));
    expect(model.lowAlerts.map((a) => a.quantity)).toEqual([300, 480]);
  });
});

describe('ticketFor (the order on a terminal)', () => {
  it('shows queued lines as pending beside the confirmed ones, priced with their modifiers', () => {
    const model = posFromSnapshot(snapshot([order([line('l1', espresso)])]));
    const entries = [
      entry({ id: 'c1', type: 'pos.order.addLine', payload: { orderId: ORDER, productId: 'p-esp', quantity: 2, modifiers: ['Oat milk'] } }),
      entry({ id: 'c2', type: 'pos.order.voidLine', payload: { orderId: ORDER, lineId: 'l1', reason: 'Wrong' } }),
      entry({ id: 'c3', type: 'pos.order.addLine', payload: { orderId: 'other', productId: 'p-soup', quantity: 1 } }),
    ];
    const t = ticketFor(model, ORDER, entries);
    expect(t.lines.map((l) => [l.name, l.state, l.amount])).toEqual([['Espresso', 'voiding', 250], ['Espresso', 'pending', 600]]);
    expect(t.totals.total).toBe(250);
    expect(t.pendingAmount).toBe(600);
    expect(t.pendingCount).toBe(1);
    expect(expectedAmount(espresso, 1, ['Oat milk', 'Extra shot'])).toBe(380);
  });

  it('never shows a line twice while its accepted command waits for its event, nor after', () => {
    const entries = [entry({ id: 'c1', type: 'pos.order.addLine', payload: { orderId: ORDER, productId: 'p-soup', quantity: 1 }, state: 'done', result: { lineId: 'l2' }, settleAtSeq: 7 })];
    const before = ticketFor(posFromSnapshot(snapshot([order([line('l1', espresso)])])), ORDER, entries);
    expect(before.lines.map((l) => [l.key, l.state])).toEqual([['l1', 'confirmed'], ['c1', 'pending']]);
    const after = ticketFor(posFromSnapshot(snapshot([order([line('l1', espresso), line('l2', soup)])])), ORDER, entries);
    expect(after.lines.map((l) => [l.key, l.state])).toEqual([['l1', 'confirmed'], ['l2', 'confirmed']]);
    expect(after.pendingAmount).toBe(0);
    expect(after.totals.total).toBe(950);
  });

  it('shows rejected lines with the reason and leaves them out of what is pending', () => {
    const model = posFromSnapshot(snapshot([order([])]));
    const error = { code: 'CONFLICT' as const, message: 'Soup is sold out.' };
    const t = ticketFor(model, ORDER, [entry({ id: 'c1', type: 'pos.order.addLine', payload: { orderId: ORDER, productId: 'p-soup', quantity: 1 }, state: 'rejected', error })]);
    expect(t.lines).toMatchObject([{ state: 'rejected', error }]);
    expect(t.pendingAmount).toBe(0);
  });

  it('an order opened offline is a pending ticket until the server id is known, then the real order', () => {
    const open = entry({ id: 'c1', type: 'pos.order.open', payload: { outletId: OUTLET, table: '9' } });
    const ref = localOrderRef(open.id);
    const add = entry({ id: 'c2', type: 'pos.order.addLine', payload: { orderId: ref, productId: 'p-soup', quantity: 1 } });
    const offline = ticketFor(posFromSnapshot(snapshot([])), ref, [open, add]);
    expect(offline).toMatchObject({ status: 'pending', table: '9', pendingAmount: 700 });
    expect(localOrders([open, add], (r) => r)).toEqual([{ ref, table: '9', rejected: false }]);

    const resolve = (r: string) => (r === ref ? ORDER : r);
    const online = ticketFor(posFromSnapshot(snapshot([order([], { table: '9' })])), ref, [add], resolve);
    expect(online).toMatchObject({ status: 'open', table: '9', pendingAmount: 700 });
    expect(localOrders([open], resolve)).toEqual([]);
  });
});
