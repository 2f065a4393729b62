// Settling orders: payments, closing, and splitting a bill by lines or into equal shares.
import {
  posOrderClosed, posOrderOpened,
  type OrderView, type PayloadOf, type PaymentMethod, type posOrderPay, type posOrderSplit, type posOrderSplitEvenly,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid, notFound } from '../../pipeline/errors.ts';
import { Order, OrderLine, Payment } from './entities.ts';
import { announceOrder } from './order.service.ts';
import { checkTerminal, loadOrderView, lockOpenOrder, recomputeTotals } from './order.store.ts';
import { evenShares } from './totals.ts';
import { totalsOf } from './views.ts';

export interface PaymentResult {
  paymentId: string;
  /** Cash handed back (cash paid over what was due). */
  change: number;
  due: number;
  closed: boolean;
}

/** Records a payment of at most what is due; the order closes when nothing is left. */
export async function takePayment(
  ctx: CommandContext,
  order: Order,
  p: { method: PaymentMethod; amount: number; tip: number; terminalId: string | null; roomNumber?: string; folioChargeId?: string },
): Promise<Payment> {
  const payment = ctx.em.create(Payment, {
    property: ctx.propertyId, order, method: p.method, amount: p.amount, tip: p.tip, roomNumber: p.roomNumber ?? null,
    folioChargeId: p.folioChargeId ?? null, cashierId: ctx.actor.userId, terminalId: p.terminalId, businessDate: order.businessDate, at: ctx.now,
  });
  order.paid += p.amount;
  order.tips += p.tip;
  ctx.recordChange({ type: 'payment', id: payment.id, after: { orderId: order.id, method: p.method, amount: p.amount, tip: p.tip } });
  if (order.paid >= order.total) {
    order.status = 'closed';
    order.closedAt = ctx.now;
    order.closedBy = ctx.actor.userId;
    await ctx.em.flush();
    const view = await loadOrderView(ctx, order);
    ctx.emit(posOrderClosed, { orderId: order.id, outletId: order.outlet.id, total: order.total, totals: totalsOf(order), version: order.version, status: 'closed', order: view });
  } else {
    await ctx.em.flush();
    await announceOrder(ctx, order);
  }
  return payment;
}

/** An order with nothing on it cannot be settled; void it instead. */
export function requireSomethingDue(order: Order): number {
  const due = order.total - order.paid;
  if (order.total <= 0 || due <= 0) throw conflict('There is nothing to pay on this order', { totals: totalsOf(order) });
  return due;
}

export async function payOrder(ctx: CommandContext, input: PayloadOf<typeof posOrderPay>): Promise<PaymentResult> {
  const order = await lockOpenOrder(ctx, input.orderId);
  const due = requireSomethingDue(order);
  // A card is charged exactly; more than due means the terminal shows an old bill.
  if (input.method === 'card' && input.amount > due) throw conflict(`Only ${due} is due on this order now`, { totals: totalsOf(order) });
  const terminalId = await checkTerminal(ctx, order.outlet, input.terminalId);
  const amount = Math.min(input.amount, due);
  const payment = await takePayment(ctx, order, { method: input.method, amount, tip: input.tip ?? 0, terminalId });
  return { paymentId: payment.id, change: input.amount - amount, due: Math.max(0, order.total - order.paid), closed: order.status === 'closed' };
}

export async function splitOrder(ctx: CommandContext, input: PayloadOf<typeof posOrderSplit>): Promise<{ orderId: string }> {
  const source = await lockOpenOrder(ctx, input.orderId);
  if (source.paid > 0) throw conflict('Part of this order is already paid; split it before the first payment');
  const lines = await ctx.em.find(OrderLine, { id: { $in: input.lineIds }, order: source });
  if (lines.length !== new Set(input.lineIds).size) throw notFound('Line');
  if (lines.some((l) => l.voided)) throw conflict('A voided line cannot be split off');
  const live = await ctx.em.count(OrderLine, { order: source, voided: false });
  if (live === lines.length) throw invalid('Splitting off every line leaves nothing behind; keep at least one');
  const terminalId = await checkTerminal(ctx, source.outlet, input.terminalId);
  const target = ctx.em.create(Order, {
    property: ctx.propertyId, outlet: source.outlet, terminalId: terminalId ?? source.terminalId, tableName: source.tableName, covers: null,
    businessDate: source.businessDate, openedBy: ctx.actor.userId, openedAt: ctx.now,
  });
  for (const line of lines) line.order = target;
  source.shares = null;
  await recomputeTotals(ctx, source);
  await recomputeTotals(ctx, target);
  ctx.recordChange({ type: 'order', id: target.id, after: { splitFrom: source.id, lineIds: lines.map((l) => l.id) } });
  await announceOrder(ctx, source);
  const view = await loadOrderView(ctx, target);
  ctx.emit(posOrderOpened, { orderId: target.id, outletId: target.outlet.id, total: target.total, totals: totalsOf(target), version: target.version, order: view });
  return { orderId: target.id };
}

export async function splitEvenly(ctx: CommandContext, input: PayloadOf<typeof posOrderSplitEvenly>): Promise<OrderView> {
  const order = await lockOpenOrder(ctx, input.orderId);
  const due = input.parts === 1 ? 0 : requireSomethingDue(order);
  const shares = input.parts === 1 ? null : evenShares(due, input.parts);
  ctx.recordChange({ type: 'order', id: order.id, before: { shares: order.shares ?? null }, after: { shares } });
  order.shares = shares;
  await ctx.em.flush();
  return announceOrder(ctx, order);
}
