// Loading, locking and re-adding-up orders: the plumbing every order rule shares.
import type { OrderView } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { can, loadAccess } from '../../identity/authorize.ts';
import { conflict, notFound } from '../../pipeline/errors.ts';
import { Property } from '../property/entities.ts';
import { Order, OrderLine, Outlet, Payment, Terminal } from './entities.ts';
import { computeTotals, type RateGroup } from './totals.ts';
import { toOrderView } from './views.ts';

/**
 * Locks an order row for the rest of the unit of work (FOR NO KEY UPDATE: new lines may still
 * reference it meanwhile). Every change to an order (a line from any terminal, a payment, a void)
 * takes this lock, so concurrent terminals queue up and each sees the other's change.
 */
export async function lockOrder(ctx: CommandContext, orderId: string): Promise<Order> {
  const rows = await ctx.em.execute<Record<string, unknown>[]>('select * from pos_order where id = ? and property_id = ? for no key update', [orderId, ctx.propertyId]);
  if (!rows[0]) throw notFound('Order');
  const order = ctx.em.map(Order, rows[0]);
  if (order.status === 'voided') throw conflict('This order was voided', { status: order.status, voidReason: order.voidReason });
  if (order.status === 'closed') throw conflict('This order is already closed', { status: order.status });
  return order;
}

/** lockOrder, with the outlet loaded (tax rate, void limit). */
export async function lockOpenOrder(ctx: CommandContext, orderId: string): Promise<Order> {
  const order = await lockOrder(ctx, orderId);
  await ctx.em.populate(order, ['outlet']);
  return order;
}

const ruleOf = (order: Order) => (order.discountReason ? { percent: order.discountPercent ?? null, amount: order.discountAmount ?? null } : null);

/** Sets the order's totals from its per-rate sums; returns the order discount granted. */
export function applyTotals(order: Order, groups: RateGroup[]): { orderDiscount: number } {
  const totals = computeTotals(groups, ruleOf(order), order.paid, order.tips);
  order.rateTotals = groups;
  order.subtotal = totals.subtotal;
  order.discountTotal = totals.discount;
  order.total = totals.total;
  order.tax = totals.tax;
  return { orderDiscount: totals.discount - groups.reduce((s, g) => s + g.lineDiscount, 0) };
}

/** Adds one new line to the per-rate sums (no re-read of the other lines). */
export function addToTotals(order: Order, line: { taxRate: number; amount: number }): void {
  const groups = order.rateTotals.map((g) => ({ ...g }));
  const group = groups.find((g) => g.taxRate === line.taxRate);
  if (group) group.amount += line.amount;
  else groups.push({ taxRate: line.taxRate, amount: line.amount, lineDiscount: 0 });
  applyTotals(order, groups.sort((a, b) => a.taxRate - b.taxRate));
}

/** Re-adds the order from its live lines (one grouped query), after voids, discounts and splits. */
export async function recomputeTotals(ctx: CommandContext, order: Order): Promise<{ orderDiscount: number }> {
  await ctx.em.flush();
  const rows = await ctx.em.execute<Array<{ tax_rate: number; amount: string; discount: string }>>(
    `select tax_rate, sum(amount) as amount, sum(discount) as discount
       from pos_order_line where order_id = ? and not voided group by tax_rate order by tax_rate`,
    [order.id],
  );
  const result = applyTotals(order, rows.map((r) => ({ taxRate: r.tax_rate, amount: Number(r.amount), lineDiscount: Number(r.discount) })));
  await ctx.em.flush();
  return result;
}

export async function loadOrderView(ctx: CommandContext, order: Order): Promise<OrderView> {
  await ctx.em.flush();
  const lines = await ctx.em.find(OrderLine, { order }, { orderBy: { addedAt: 'asc', id: 'asc' } });
  const payments = await ctx.em.find(Payment, { order }, { orderBy: { at: 'asc' } });
  return toOrderView(order, lines, payments);
}

/** A terminal named by a command must belong to the order's outlet. */
export async function checkTerminal(ctx: CommandContext, outlet: Outlet, terminalId: string | undefined): Promise<string | null> {
  if (!terminalId) return null;
  const terminal = await ctx.em.findOne(Terminal, { id: terminalId, outlet });
  if (!terminal) throw notFound('Terminal');
  return terminal.id;
}

export async function propertyOf(ctx: CommandContext): Promise<Property> {
  return ctx.em.findOneOrFail(Property, ctx.propertyId);
}

/** Does the acting user also hold pos.manage (voids above the limit, everyone's shift figures)? */
export async function actorIsManager(ctx: CommandContext): Promise<boolean> {
  return can(await loadAccess(ctx.em, ctx.actor.userId, ctx.propertyId), 'pos.manage');
}
