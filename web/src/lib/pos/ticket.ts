import type { ErrorBody, OrderTotals, OrderView, ProductView } from '@innboard/shared';
import type { PosModel } from './model.ts';
import { isLocalRef, localOrderRef, type OutboxEntry } from './outbox.ts';

/**
 * confirmed: on the server; pending: queued on this terminal (offline or in flight); rejected: the server
 * refused it; voided / voiding: voided on the server / void queued here.
 */
export type LineState = 'confirmed' | 'pending' | 'rejected' | 'voided' | 'voiding';

export interface TicketLine {
  /** lineId when confirmed, else the command id. */
  key: string;
  lineId: string | null;
  commandId: string | null;
  name: string;
  quantity: number;
  modifiers: string[];
  note: string | null;
  /** quantity x unit price (for queued lines: as this terminal expects the server to price it). */
  amount: number;
  discount: number;
  state: LineState;
  voidReason: string | null;
  error: ErrorBody | null;
}

/** The order on a terminal's screen: the server's order with this terminal's queued changes on it. */
export interface Ticket {
  /** The server id, or the local ref of an order opened offline. */
  orderRef: string;
  order: OrderView | null;
  table: string | null;
  status: OrderView['status'] | 'pending';
  lines: TicketLine[];
  /** The server's totals (zero for an order it has not seen yet). */
  totals: OrderTotals;
  /** Sum of queued lines not yet in `totals`. */
  pendingAmount: number;
  pendingCount: number;
}

const ZERO: OrderTotals = { subtotal: 0, discount: 0, total: 0, tax: 0, paid: 0, tips: 0, due: 0 };

interface AddLinePayload {
  orderId: string;
  productId: string;
  quantity: number;
  modifiers?: string[];
  note?: string;
}

/** What a queued line should cost: the product's price plus its chosen modifiers, per unit. */
export function expectedAmount(product: ProductView | undefined, quantity: number, modifiers: readonly string[] = []): number {
  if (!product) return 0;
  const extras = modifiers.reduce((sum, name) => sum + (product.modifiers.find((m) => m.name === name)?.price ?? 0), 0);
  return (product.price + extras) * quantity;
}

/**
 * Build the ticket for `orderRef`. `resolve` maps a local ref to the server id once known, so an order
 * opened offline turns into the real one without the screen jumping.
 */
export function ticketFor(model: PosModel, orderRef: string, entries: readonly OutboxEntry[], resolve: (ref: string) => string = (r) => r): Ticket {
  const orderId = resolve(orderRef);
  const order = model.orders[orderId] ?? null;
  const mine = entries.filter((e) => {
    const target = e.payload.orderId;
    return typeof target === 'string' && (target === orderRef || resolve(target) === orderId);
  });
  const voiding = new Map<string, OutboxEntry>();
  for (const e of mine) if (e.type === 'pos.order.voidLine' && e.state !== 'rejected') voiding.set(String(e.payload.lineId), e);

  const confirmed: TicketLine[] = (order?.lines ?? []).map((l) => ({
    key: l.lineId,
    lineId: l.lineId,
    commandId: null,
    name: l.name,
    quantity: l.quantity,
    modifiers: l.modifiers.map((m) => m.name),
    note: l.note,
    amount: l.amount,
    discount: l.discount,
    state: l.voided ? 'voided' : voiding.has(l.lineId) ? 'voiding' : 'confirmed',
    voidReason: l.voidReason,
    error: null,
  }));
  const known = new Set(confirmed.map((l) => l.lineId));
  const queued: TicketLine[] = [];
  for (const e of mine) {
    if (e.type !== 'pos.order.addLine') continue;
    const lineId = (e.result as { lineId?: string } | undefined)?.lineId ?? null;
    if (lineId && known.has(lineId)) continue; // accepted and already folded in
    const p = e.payload as unknown as AddLinePayload;
    queued.push({
      key: e.id,
      lineId,
      commandId: e.id,
      name: model.products[p.productId]?.name ?? e.label,
      quantity: p.quantity,
      modifiers: p.modifiers ?? [],
      note: p.note ?? null,
      amount: expectedAmount(model.products[p.productId], p.quantity, p.modifiers),
      discount: 0,
      state: e.state === 'rejected' ? 'rejected' : 'pending',
      voidReason: null,
      error: e.error ?? null,
    });
  }
  const waiting = queued.filter((l) => l.state === 'pending');
  return {
    orderRef,
    order,
    table: order?.table ?? openPayload(entries, orderRef)?.table ?? null,
    status: order?.status ?? 'pending',
    lines: [...confirmed, ...queued],
    totals: order?.totals ?? ZERO,
    pendingAmount: waiting.reduce((sum, l) => sum + l.amount, 0),
    pendingCount: waiting.length,
  };
}

function openPayload(entries: readonly OutboxEntry[], orderRef: string): { table?: string } | null {
  if (!isLocalRef(orderRef)) return null;
  const open = entries.find((e) => e.type === 'pos.order.open' && localOrderRef(e.id) === orderRef);
  return (open?.payload as { table?: string } | undefined) ?? null;
}

/** Orders this terminal opened offline that the server has not confirmed yet, as refs. */
export function localOrders(entries: readonly OutboxEntry[], resolve: (ref: string) => string): { ref: string; table: string | null; rejected: boolean }[] {
  return entries
    .filter((e) => e.type === 'pos.order.open')
    .map((e) => ({ ref: localOrderRef(e.id), table: (e.payload.table as string | undefined) ?? null, rejected: e.state === 'rejected' }))
    .filter((o) => resolve(o.ref) === o.ref);
}
