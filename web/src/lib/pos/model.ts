import type {
  EventEnvelope,
  EventPayloadOf,
  InventorySnapshot,
  OrderView,
  OutletView,
  PosSnapshot,
  ProductView,
  PropertySnapshotBase,
  StockItemView,
  inventoryEvents,
  posEvents,
} from '@innboard/shared';

export type PosEventSpec = (typeof posEvents)[number] | (typeof inventoryEvents)[number];
export type PosEvent = { [S in PosEventSpec as S['type']]: EventEnvelope<S['type'], EventPayloadOf<S>> }[PosEventSpec['type']];

export interface LowStockAlert {
  stockItemId: string;
  name: string;
  unit: StockItemView['unit'];
  quantity: number;
  lowThreshold: number;
  seq: number;
  at: string;
}

/** What the board knows about the property's outlets, orders and stock. Never mutated. */
export interface PosModel {
  outlets: Readonly<Record<string, OutletView>>;
  products: Readonly<Record<string, ProductView>>;
  /** Open orders from the snapshot, plus every order an event touched since (closed ones keep their final state). */
  orders: Readonly<Record<string, OrderView>>;
  stock: Readonly<Record<string, StockItemView>>;
  /** stock.low events seen live, newest first (the snapshot's low items are in `stock`, flagged `low`). */
  lowAlerts: readonly LowStockAlert[];
}

/** Enough alerts for a shift; older ones drop off. */
const MAX_ALERTS = 30;

export function posFromSnapshot(snapshot: PropertySnapshotBase): PosModel {
  // Either part may be missing (a server without POS still gives a working board).
  const s = snapshot as PropertySnapshotBase & Partial<PosSnapshot> & Partial<InventorySnapshot>;
  const outlets = s.outlets ?? [];
  return {
    outlets: Object.fromEntries(outlets.map(({ products: _p, orders: _o, ...outlet }) => [outlet.outletId, outlet])),
    products: Object.fromEntries(outlets.flatMap((o) => o.products).map((p) => [p.productId, p])),
    orders: Object.fromEntries(outlets.flatMap((o) => o.orders).map((o) => [o.orderId, o])),
    stock: Object.fromEntries((s.stockItems ?? []).map((i) => [i.stockItemId, i])),
    lowAlerts: [],
  };
}

export function applyPosEvent(model: PosModel, envelope: PosEvent): PosModel {
  switch (envelope.type) {
    case 'pos.order.opened':
    case 'pos.order.updated':
    case 'pos.order.closed':
      return withOrder(model, envelope.payload.order);
    case 'pos.order.lineAdded': {
      const { orderId, line, totals, version } = envelope.payload;
      const order = model.orders[orderId];
      if (!order) return model;
      const lines = order.lines.some((l) => l.lineId === line.lineId) ? order.lines : [...order.lines, line];
      return withOrder(model, { ...order, lines, totals, version });
    }
    case 'pos.order.lineVoided': {
      const { orderId, lineId, reason, totals, version } = envelope.payload;
      const order = model.orders[orderId];
      if (!order) return model;
      const lines = order.lines.map((l) => (l.lineId === lineId ? { ...l, voided: true, voidReason: reason } : l));
      return withOrder(model, { ...order, lines, totals, version });
    }
    case 'pos.outlet.changed':
      return { ...model, outlets: { ...model.outlets, [envelope.payload.outletId]: envelope.payload } };
    case 'pos.product.changed':
      return { ...model, products: { ...model.products, [envelope.payload.productId]: envelope.payload } };
    case 'stock.changed':
      return { ...model, stock: { ...model.stock, [envelope.payload.item.stockItemId]: envelope.payload.item } };
    case 'stock.low': {
      const alert = { ...envelope.payload, seq: envelope.seq, at: envelope.at };
      return { ...model, lowAlerts: [alert, ...model.lowAlerts].slice(0, MAX_ALERTS) };
    }
    case 'stock.recipe.changed':
      return model; // recipes matter to the server's stock movements, not to any screen yet
    default: {
      const _unhandled: never = envelope;
      return model;
    }
  }
}

function withOrder(model: PosModel, order: OrderView): PosModel {
  return { ...model, orders: { ...model.orders, [order.orderId]: order } };
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** An outlet's open orders, tables in natural order, tabs (no table) last by opening time. */
export function openOrders(model: PosModel, outletId: string): OrderView[] {
  return Object.values(model.orders)
    .filter((o) => o.outletId === outletId && o.status === 'open')
    .sort((a, b) => {
      if (a.table && b.table) return byName.compare(a.table, b.table);
      if (a.table || b.table) return a.table ? -1 : 1;
      return a.openedAt.localeCompare(b.openedAt);
    });
}

export interface Category {
  name: string;
  products: ProductView[];
}

/** An outlet's menu by category, both by name; unavailable products stay (shown as sold out). */
export function menuOf(model: PosModel, outletId: string): Category[] {
  const categories = new Map<string, ProductView[]>();
  for (const p of Object.values(model.products)) {
    if (p.outletId !== outletId) continue;
    const list = categories.get(p.category);
    if (list) list.push(p);
    else categories.set(p.category, [p]);
  }
  return [...categories.entries()]
    .sort(([a], [b]) => byName.compare(a, b))
    .map(([name, products]) => ({ name, products: products.sort((a, b) => byName.compare(a.name, b.name)) }));
}

/** Stock items, the low ones first, then by name. */
export function stockList(model: PosModel): StockItemView[] {
  return Object.values(model.stock).sort((a, b) => Number(b.low) - Number(a.low) || byName.compare(a.name, b.name));
}
