// Demo point of sale for the Demo Hotel: a restaurant and a bar with menus and two terminals each,
// room service, a minibar, stock with recipes, and a few open orders. Runs once per database (on a
// hotel without outlets), through the domain services so totals add up by the same rules as at a till.
import { randomUUID } from 'node:crypto';
import { Seeder } from '@mikro-orm/seeder';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OpeningPeriod, OutletKind, ProductModifier, StockUnit } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { Property } from '../../domains/property/entities.ts';
import { Membership } from '../../identity/entities.ts';
import { Outlet } from '../../domains/pos/entities.ts';
import { createOutlet, createProduct, registerTerminal, updateOutlet } from '../../domains/pos/outlet.service.ts';
import { addLine, openOrder } from '../../domains/pos/order.service.ts';
import { createStockItem, receiveStock, setRecipe } from '../../domains/inventory/stock.service.ts';
import { DEMO_HOTEL_NAME } from './DemoActivitySeeder.ts';

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
type Item = [name: string, category: string, price: number, taxRate?: number, modifiers?: ProductModifier[]];

const OUTLETS: Array<{ name: string; kind: OutletKind; taxRate: number; hours: OpeningPeriod[] | null; terminals: string[]; menu: Item[] }> = [
  {
    name: 'Harbor Kitchen', kind: 'restaurant', taxRate: 700, hours: [{ days: EVERY_DAY, opens: '06:30', closes: '23:30' }], terminals: ['Kitchen Till 1', 'Kitchen Till 2'],
    menu: [
      ['Tomato soup', 'Starters', 690], ['Caesar salad', 'Starters', 1150, 700, [{ name: 'Chicken', price: 400 }, { name: 'No croutons', price: 0 }]],
      ['Club sandwich', 'Mains', 1590], ['Wiener Schnitzel', 'Mains', 2450, 700, [{ name: 'Fries', price: 0 }, { name: 'Potato salad', price: 0 }]],
      ['Harbor burger', 'Mains', 1890, 700, [{ name: 'Cheese', price: 150 }, { name: 'Bacon', price: 250 }, { name: 'Gluten free bun', price: 100 }]],
      ['Risotto', 'Mains', 2190], ['Apple strudel', 'Desserts', 790, 700, [{ name: 'Vanilla ice cream', price: 200 }]], ['Cheesecake', 'Desserts', 850],
      ['Sparkling water 0.75', 'Drinks', 690, 1900], ['Cola', 'Drinks', 420, 1900], ['House red 0.2', 'Drinks', 750, 1900], ['Espresso', 'Drinks', 290, 1900],
    ],
  },
  {
    name: 'Lighthouse Bar', kind: 'bar', taxRate: 1900, hours: [{ days: EVERY_DAY, opens: '16:00', closes: '02:00' }], terminals: ['Bar Till 1', 'Bar Till 2'],
    menu: [
      ['Draught lager 0.5', 'Beer', 550], ['Wheat beer 0.5', 'Beer', 590], ['Gin & tonic', 'Cocktails', 1200, 1900, [{ name: 'Double', price: 500 }, { name: 'Cucumber', price: 0 }]],
      ['Negroni', 'Cocktails', 1300], ['Aperol spritz', 'Cocktails', 950], ['Glass of Riesling', 'Wine', 790], ['Whisky 4cl', 'Spirits', 1100, 1900, [{ name: 'On the rocks', price: 0 }]],
      ['Salted nuts', 'Snacks', 450, 700], ['Fries', 'Snacks', 550, 700],
    ],
  },
  {
    name: 'Room Service', kind: 'room_service', taxRate: 700, hours: null, terminals: ['Room Service Phone'],
    menu: [['Club sandwich', 'Food', 1890], ['Breakfast tray', 'Food', 2400], ['Bottle of Riesling', 'Drinks', 3400, 1900]],
  },
  {
    name: 'Minibar', kind: 'minibar', taxRate: 1900, hours: null, terminals: [],
    menu: [['Still water', 'Minibar', 350], ['Cola', 'Minibar', 400], ['Beer', 'Minibar', 550], ['Chocolate bar', 'Minibar', 350, 700], ['Salted nuts', 'Minibar', 500, 700]],
  },
];

const STOCK: Array<{ name: string; unit: StockUnit; on: number; low: number; uses: Array<[product: string, outlet: string, quantity: number]> }> = [
  { name: 'Lager keg', unit: 'ml', on: 30_000, low: 10_000, uses: [['Draught lager 0.5', 'Lighthouse Bar', 500]] },
  { name: 'Gin', unit: 'ml', on: 2800, low: 1400, uses: [['Gin & tonic', 'Lighthouse Bar', 40], ['Negroni', 'Lighthouse Bar', 30]] },
  { name: 'Tonic water', unit: 'piece', on: 24, low: 12, uses: [['Gin & tonic', 'Lighthouse Bar', 1]] },
  { name: 'Beef patty', unit: 'piece', on: 40, low: 10, uses: [['Harbor burger', 'Harbor Kitchen', 1]] },
  { name: 'Minibar water', unit: 'piece', on: 120, low: 30, uses: [['Still water', 'Minibar', 1]] },
  { name: 'Minibar cola', unit: 'piece', on: 80, low: 30, uses: [['Cola', 'Minibar', 1]] },
  { name: 'Minibar beer', unit: 'piece', on: 35, low: 30, uses: [['Beer', 'Minibar', 1]] },
  { name: 'Chocolate bar', unit: 'piece', on: 60, low: 20, uses: [['Chocolate bar', 'Minibar', 1]] },
];

const OPEN_ORDERS: Array<{ outlet: string; table: string; covers: number; lines: Array<[product: string, quantity: number, modifiers?: string[]]> }> = [
  { outlet: 'Harbor Kitchen', table: '4', covers: 2, lines: [['Tomato soup', 2], ['Harbor burger', 1, ['Cheese']], ['Risotto', 1], ['House red 0.2', 2]] },
  { outlet: 'Harbor Kitchen', table: '11', covers: 4, lines: [['Caesar salad', 2, ['Chicken']], ['Wiener Schnitzel', 2, ['Fries']], ['Sparkling water 0.75', 2]] },
  { outlet: 'Lighthouse Bar', table: 'Bar 3', covers: 2, lines: [['Gin & tonic', 2, ['Cucumber']], ['Salted nuts', 1]] },
];

export class PosSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    // One transaction: order lines take the order's row lock, as at a till.
    await em.transactional((tem) => this.seed(tem as EntityManager));
  }

  private async seed(em: EntityManager): Promise<void> {
    const property = await em.findOne(Property, { name: DEMO_HOTEL_NAME });
    if (!property || (await em.count(Outlet, { property })) > 0) return;
    const manager = await em.findOne(Membership, { property, role: 'manager' }, { populate: ['user'] });
    const cashier = await em.findOne(Membership, { property, role: 'pos_cashier' }, { populate: ['user'] });
    if (!manager || !cashier) return;
    const context = (userId: string, role: CommandContext['actor']['role']): CommandContext => ({
      em, propertyId: property.id, now: new Date(), commandId: randomUUID(), actor: { userId, role },
      // Seeding is not a person's action: no events (boards start from a snapshot) and no audit rows.
      emit: () => {}, recordChange: () => {}, notify: () => {}, services: {},
    });
    const ctx = context(manager.user.id, 'manager');
    const products = new Map<string, string>();
    const outlets = new Map<string, string>();
    for (const o of OUTLETS) {
      // Opening hours come last: the demo orders are taken whatever the time of seeding.
      const { outletId } = await createOutlet(ctx, { propertyId: property.id, name: o.name, kind: o.kind, taxRate: o.taxRate, openingHours: null, voidLimit: 2500 });
      outlets.set(o.name, outletId);
      for (const t of o.terminals) await registerTerminal(ctx, { outletId, name: t });
      for (const [name, category, price, taxRate, modifiers] of o.menu) {
        const { productId } = await createProduct(ctx, { outletId, name, category, price, taxRate: taxRate === o.taxRate ? null : taxRate, modifiers });
        products.set(`${o.name}/${name}`, productId);
      }
    }
    for (const s of STOCK) {
      const { stockItemId } = await createStockItem(ctx, { propertyId: property.id, name: s.name, unit: s.unit, lowThreshold: s.low });
      await receiveStock(ctx, { stockItemId, quantity: s.on, reason: 'Opening stock' });
      for (const [product, outlet, quantity] of s.uses) {
        await setRecipe(ctx, { productId: products.get(`${outlet}/${product}`)!, components: [{ stockItemId, quantity }] });
      }
    }
    const till = context(cashier.user.id, 'pos_cashier');
    for (const order of OPEN_ORDERS) {
      const { orderId } = await openOrder(till, { outletId: outlets.get(order.outlet)!, table: order.table, covers: order.covers });
      for (const [product, quantity, modifiers] of order.lines) {
        await addLine(till, { orderId, productId: products.get(`${order.outlet}/${product}`)!, quantity, modifiers });
      }
    }
    for (const o of OUTLETS) await updateOutlet(ctx, { outletId: outlets.get(o.name)!, openingHours: o.hours });
    await em.flush();
  }
}
