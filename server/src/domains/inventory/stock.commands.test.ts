import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, InventorySnapshot, StockItemView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, expectEventsMatchContract, ok, sql, type Conn } from '../reservations/testing.ts';
import { harborOf, setUpOutlet, writeFingerprint, type TestOutlet } from '../pos/testing.ts';

describe('stock', () => {
  let server: TestServer;
  let manager: Conn;
  let cashier: Conn;
  let admin: Conn;
  let outlet: TestOutlet;
  const create = async (name: string, unit: string, lowThreshold: number) =>
    ok(await manager.command<{ stockItemId: string }>('stock.item.create', { propertyId: manager.propertyId, name, unit, lowThreshold })).stockItemId;
  const lowAlerts = (c: Conn, stockItemId: string) => c.events.filter((e: EventEnvelope) => e.type === 'stock.low' && (e.payload as { stockItemId: string }).stockItemId === stockItemId);
  const inStock = async (c: Conn, stockItemId: string) => {
    const res = await c.sync(c.propertyId);
    if (!res.ok || !('snapshot' in res)) throw new Error('expected a snapshot');
    return (res.snapshot as unknown as InventorySnapshot).stockItems.find((i) => i.stockItemId === stockItemId)!;
  };

  beforeAll(async () => {
    server = await startTestServer();
    [manager, cashier, admin] = await Promise.all(['manager@innboard.demo', 'pos@innboard.demo', 'admin@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    outlet = await setUpOutlet(manager);
  });
  afterAll(async () => {
    for (const c of [manager, cashier, admin]) c?.close();
    await server?.stop();
  });

  it('receives, wastes and counts, each a movement with its balance', async () => {
    const lemons = await create('Lemons', 'piece', 10);
    expect(ok(await manager.command<StockItemView>('stock.receive', { stockItemId: lemons, quantity: 50, reason: 'Delivery 4711' }))).toMatchObject({ quantity: 50, low: false });
    expect(ok(await manager.command<StockItemView>('stock.waste', { stockItemId: lemons, quantity: 5, reason: 'Mouldy' })).quantity).toBe(45);
    expect(ok(await manager.command<StockItemView>('stock.adjust', { stockItemId: lemons, quantity: 42, reason: 'Stocktake' })).quantity).toBe(42);
    // A count that matches books nothing.
    const same = await manager.command('stock.adjust', { stockItemId: lemons, quantity: 42, reason: 'Recount' });
    expect(same.ok && same.seq).toBe(undefined);
    const moves = await sql<{ kind: string; quantity: number; balance: number; reason: string }>(server, 'select kind, quantity, balance, reason from stock_movement where stock_item_id = ? order by at, balance desc', [lemons]);
    expect(moves).toEqual([
      { kind: 'receive', quantity: 50, balance: 50, reason: 'Delivery 4711' },
      { kind: 'waste', quantity: -5, balance: 45, reason: 'Mouldy' },
      { kind: 'count', quantity: -3, balance: 42, reason: 'Stocktake' },
    ]);
    expect(await inStock(cashier, lemons)).toMatchObject({ name: 'Lemons', unit: 'piece', quantity: 42, lowThreshold: 10 });
    expect(errorCode(await cashier.command('stock.receive', { stockItemId: lemons, quantity: 1, reason: 'x' }))).toBe('FORBIDDEN');
  });

  it('a paid order consumes its recipes; a voided one does not; crossing the threshold alerts managers once', async () => {
    const beer = await create('Draught lager', 'ml', 1000);
    ok(await manager.command('stock.receive', { stockItemId: beer, quantity: 2000, reason: 'Keg' }));
    ok(await manager.command('stock.recipe.set', { productId: outlet.product.Beer, components: [{ stockItemId: beer, quantity: 500 }] }));

    const sell = async (quantity: number, settle: 'pay' | 'void') => {
      const { orderId } = ok(await cashier.command<{ orderId: string }>('pos.order.open', { outletId: outlet.outletId }));
      ok(await cashier.command('pos.order.addLine', { orderId, productId: outlet.product.Beer, quantity }));
      if (settle === 'pay') ok(await cashier.command('pos.order.pay', { orderId, method: 'cash', amount: 450 * quantity }));
      else ok(await manager.command('pos.order.void', { orderId, reason: 'Wrong table' }));
      return orderId;
    };
    await sell(3, 'void');
    expect((await inStock(manager, beer)).quantity).toBe(2000);
    const orderId = await sell(2, 'pay');
    expect((await inStock(manager, beer)).quantity).toBe(1000);
    const alert = await manager.waitForEvent((e) => e.type === 'stock.low' && (e.payload as { stockItemId: string }).stockItemId === beer);
    expect(alert.payload).toEqual({ stockItemId: beer, name: 'Draught lager', unit: 'ml', quantity: 1000, lowThreshold: 1000 });
    const sale = await manager.waitForEvent((e) => e.type === 'stock.changed' && (e.payload as { movement: { orderId: string } | null }).movement?.orderId === orderId);
    expect(sale.payload).toMatchObject({ item: { quantity: 1000, low: true }, movement: { kind: 'sale', quantity: -1000 } });

    // Already low: selling more raises no second alert; a delivery and a new fall raise one again.
    await sell(1, 'pay');
    await settle();
    expect(lowAlerts(manager, beer)).toHaveLength(1);
    ok(await manager.command('stock.receive', { stockItemId: beer, quantity: 5000, reason: 'Keg' }));
    ok(await manager.command('stock.waste', { stockItemId: beer, quantity: 4600, reason: 'Line cleaning' }));
    await manager.waitForEvent(() => lowAlerts(manager, beer).length === 2);
    expectEventsMatchContract(manager.events);
  });

  it('recipes are the manager\'s and name only this hotel\'s stock', async () => {
    const gin = await create('Gin', 'ml', 700);
    expect(errorCode(await cashier.command('stock.recipe.set', { productId: outlet.product.Wine, components: [{ stockItemId: gin, quantity: 40 }] }))).toBe('FORBIDDEN');
    expect(errorCode(await manager.command('stock.recipe.set', { productId: outlet.product.Wine, components: [{ stockItemId: crypto.randomUUID(), quantity: 40 }] }))).toBe('NOT_FOUND');
    ok(await manager.command('stock.recipe.set', { productId: outlet.product.Wine, components: [{ stockItemId: gin, quantity: 40 }] }));
    ok(await manager.command('stock.recipe.set', { productId: outlet.product.Wine, components: [] }));
    const res = await manager.sync(manager.propertyId);
    if (!res.ok || !('snapshot' in res)) throw new Error('expected a snapshot');
    expect((res.snapshot as unknown as InventorySnapshot).recipes.find((r) => r.productId === outlet.product.Wine)).toBeUndefined();
  });

  it('another hotel\'s stock items and products answer NOT_FOUND and nothing moves', async () => {
    const harborId = harborOf(admin);
    const { stockItemId: harborGin } = ok(await admin.command<{ stockItemId: string }>('stock.item.create', { propertyId: harborId, name: 'Harbor gin', unit: 'ml', lowThreshold: 0 }));
    ok(await admin.command('stock.receive', { stockItemId: harborGin, quantity: 700, reason: 'Delivery' }));
    const harborProduct = (await setUpOutlet(admin, {}, harborId)).product.Wine;
    const ownGin = await create('House gin', 'ml', 0);
    const before = await writeFingerprint(server);
    const foreign: Array<[string, Record<string, unknown>]> = [
      ['stock.item.create', { propertyId: harborId, name: 'Spy', unit: 'piece', lowThreshold: 0 }],
      ['stock.item.update', { stockItemId: harborGin, lowThreshold: 5 }],
      ['stock.receive', { stockItemId: harborGin, quantity: 1, reason: 'x' }],
      ['stock.adjust', { stockItemId: harborGin, quantity: 0, reason: 'x' }],
      ['stock.waste', { stockItemId: harborGin, quantity: 1, reason: 'x' }],
      ['stock.recipe.set', { productId: outlet.product.Wine, components: [{ stockItemId: ownGin, quantity: 40 }, { stockItemId: harborGin, quantity: 40 }] }],
      ['stock.recipe.set', { productId: harborProduct, components: [{ stockItemId: ownGin, quantity: 40 }] }],
    ];
    for (const [type, payload] of foreign) expect.soft(errorCode(await manager.command(type, payload)), type).toBe('NOT_FOUND');
    expect(await writeFingerprint(server)).toEqual(before);
  });
});
