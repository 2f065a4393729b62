// Helpers for the POS medium tests: an outlet with a small menu and terminals, built through commands.
import type { PosSnapshot } from '@innboard/shared';
import type { TestServer } from '../../testing/factory.ts';
import type { Conn } from '../reservations/testing.ts';
import { ok, sql } from '../reservations/testing.ts';

export interface TestOutlet {
  outletId: string;
  /** Product ids by name: Burger 1450 (7 %, options Cheese +150 / Bacon +200), Salad 900 (7 %), Beer 450 (19 %), Wine 3200 (19 %). */
  product: Record<'Burger' | 'Salad' | 'Beer' | 'Wine', string>;
  terminals: [string, string, string];
}

/** An always-open restaurant (food 7 %, drinks 19 %, void limit 2000) with three terminals, at `propertyId` (default: the manager's). */
export async function setUpOutlet(manager: Conn, overrides: Record<string, unknown> = {}, propertyId = manager.propertyId): Promise<TestOutlet> {
  const { outletId } = ok(await manager.command<{ outletId: string }>('pos.outlet.create', {
    propertyId, name: `Bistro ${Math.random().toString(36).slice(2, 7)}`, kind: 'restaurant', taxRate: 700, openingHours: null, voidLimit: 2000, ...overrides,
  }));
  const add = async (name: string, category: string, price: number, extra: Record<string, unknown> = {}) =>
    ok(await manager.command<{ productId: string }>('pos.product.create', { outletId, name, category, price, ...extra })).productId;
  const product = {
    Burger: await add('Burger', 'Mains', 1450, { modifiers: [{ name: 'Cheese', price: 150 }, { name: 'Bacon', price: 200 }] }),
    Salad: await add('Salad', 'Mains', 900),
    Beer: await add('Beer', 'Drinks', 450, { taxRate: 1900 }),
    Wine: await add('Wine', 'Drinks', 3200, { taxRate: 1900 }),
  };
  const terminals = [] as unknown as [string, string, string];
  for (const name of ['Till 1', 'Till 2', 'Till 3']) terminals.push(ok(await manager.command<{ terminalId: string }>('pos.terminal.register', { outletId, name })).terminalId);
  return { outletId, product, terminals };
}

export async function posSnapshotOf(conn: Conn): Promise<PosSnapshot> {
  const res = await conn.sync(conn.propertyId);
  if (!res.ok || !('snapshot' in res)) throw new Error('expected a snapshot');
  return res.snapshot as unknown as PosSnapshot;
}

export async function openOrderOf(conn: Conn, outletId: string, orderId: string) {
  const outlet = (await posSnapshotOf(conn)).outlets.find((o) => o.outletId === outletId)!;
  return outlet.orders.find((o) => o.orderId === orderId);
}


/** The Harbor Inn's property id, for a user who is a member there (the admin runs both hotels). */
export const harborOf = (conn: Conn): string => conn.session.user.memberships.find((m) => m.propertyName.includes('Harbor'))!.propertyId;

/**
 * Everything a POS or stock command could write, in both hotels: row counts, order versions, stock on
 * hand and the event log. A refused command must leave all of it as it was.
 */
export async function writeFingerprint(server: TestServer): Promise<Record<string, number>> {
  const counted = ['pos_outlet', 'pos_product', 'pos_terminal', 'pos_order', 'pos_order_line', 'pos_payment', 'pos_order_adjustment', 'stock_item', 'stock_movement', 'recipe_component', 'folio_line', 'event_log'];
  const [row] = await sql<Record<string, string | null>>(server, `select ${counted.map((t) => `(select count(*) from ${t}) as ${t}`).join(', ')},
    (select sum(version) from pos_order) as order_versions, (select sum(version) from pos_outlet) as outlet_versions,
    (select sum(version) from pos_product) as product_versions, (select sum(quantity) from stock_item) as on_hand,
    (select sum(version) from stock_item) as stock_versions`);
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v ?? 0)]));
}
