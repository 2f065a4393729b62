import type { OrderLineView, OrderTotals, OrderView, OutletView, ProductView } from '@innboard/shared';
import type { Order, OrderLine, Outlet, Payment, Product, Terminal } from './entities.ts';

export function toOutletView(outlet: Outlet, terminals: readonly Terminal[]): OutletView {
  return {
    outletId: outlet.id,
    name: outlet.name,
    kind: outlet.kind,
    taxRate: outlet.taxRate,
    openingHours: outlet.openingHours ?? null,
    voidLimit: outlet.voidLimit,
    active: outlet.active,
    terminals: terminals.filter((t) => t.outlet.id === outlet.id).map((t) => ({ terminalId: t.id, name: t.name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export function toProductView(product: Product, outlet: Outlet): ProductView {
  return {
    productId: product.id,
    outletId: outlet.id,
    name: product.name,
    category: product.category,
    price: product.price,
    taxRate: product.taxRate ?? outlet.taxRate,
    ownTaxRate: product.taxRate ?? null,
    modifiers: product.modifiers,
    available: product.available,
  };
}

export function toLineView(line: OrderLine): OrderLineView {
  return {
    lineId: line.id,
    productId: line.product.id,
    name: line.name,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    modifiers: line.modifiers,
    note: line.note ?? null,
    taxRate: line.taxRate,
    amount: line.amount,
    discount: line.discount,
    voided: line.voided,
    voidReason: line.voidReason ?? null,
    addedBy: line.addedBy,
    addedAt: line.addedAt.toISOString(),
  };
}

export function totalsOf(order: Order): OrderTotals {
  return { subtotal: order.subtotal, discount: order.discountTotal, total: order.total, tax: order.tax, paid: order.paid, tips: order.tips, due: Math.max(0, order.total - order.paid) };
}

export function toOrderView(order: Order, lines: readonly OrderLine[], payments: readonly Payment[]): OrderView {
  return {
    orderId: order.id,
    outletId: order.outlet.id,
    status: order.status,
    table: order.tableName ?? null,
    covers: order.covers ?? null,
    note: order.note,
    orderDiscount: order.discountReason
      ? { percent: order.discountPercent ?? null, amount: order.discountAmount ?? null, reason: order.discountReason }
      : null,
    shares: order.shares ?? null,
    lines: [...lines].sort((a, b) => a.addedAt.getTime() - b.addedAt.getTime() || a.id.localeCompare(b.id)).map(toLineView),
    payments: [...payments].sort((a, b) => a.at.getTime() - b.at.getTime()).map((p) => ({
      paymentId: p.id, method: p.method, amount: p.amount, tip: p.tip, roomNumber: p.roomNumber ?? null,
      cashierId: p.cashierId, terminalId: p.terminalId ?? null, at: p.at.toISOString(),
    })),
    totals: totalsOf(order),
    openedBy: order.openedBy,
    openedAt: order.openedAt.toISOString(),
    closedAt: order.closedAt?.toISOString() ?? null,
    voidReason: order.voidReason ?? null,
    version: order.version,
  };
}
