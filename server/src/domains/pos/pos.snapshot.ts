import type { EntityManager } from '@mikro-orm/postgresql';
import type { PosSnapshot } from '@innboard/shared';
import { Order, OrderLine, Outlet, Payment, Product, Terminal } from './entities.ts';
import { toOrderView, toOutletView, toProductView } from './views.ts';

/** The POS part of the property snapshot: active outlets, each with its menu and open orders. */
export async function posSnapshot(em: EntityManager, propertyId: string): Promise<PosSnapshot> {
  const outlets = await em.find(Outlet, { property: propertyId, active: true }, { orderBy: { name: 'asc' } });
  const terminals = await em.find(Terminal, { property: propertyId });
  const products = await em.find(Product, { property: propertyId }, { orderBy: { category: 'asc', name: 'asc' } });
  const orders = await em.find(Order, { property: propertyId, status: 'open' }, { orderBy: { openedAt: 'asc' } });
  const lines = orders.length ? await em.find(OrderLine, { order: { $in: orders } }, { orderBy: { addedAt: 'asc', id: 'asc' } }) : [];
  const payments = orders.length ? await em.find(Payment, { order: { $in: orders } }) : [];
  return {
    outlets: outlets.map((outlet) => ({
      ...toOutletView(outlet, terminals),
      products: products.filter((p) => p.outlet.id === outlet.id).map((p) => toProductView(p, outlet)),
      orders: orders.filter((o) => o.outlet.id === outlet.id).map((o) => toOrderView(
        o, lines.filter((l) => l.order.id === o.id), payments.filter((p) => p.order.id === o.id),
      )),
    })),
  };
}
