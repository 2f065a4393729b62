// Rules of an open order: opening it, its lines, table, note, discounts and voiding it. Each line
// change is its own command under the order's lock, so two terminals never overwrite each other.
import {
  posOrderClosed, posOrderLineAdded, posOrderLineVoided, posOrderOpened, posOrderUpdated,
  type OrderView, type PayloadOf,
  type posOrderAddLine, type posOrderDiscount, type posOrderOpen, type posOrderSetNote, type posOrderTransfer, type posOrderVoid, type posOrderVoidLine,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, forbidden, invalid, notFound } from '../../pipeline/errors.ts';
import { Order, OrderAdjustment, OrderLine, Outlet, Product } from './entities.ts';
import { actorIsManager, addToTotals, checkTerminal, loadOrderView, lockOpenOrder, lockOrder, propertyOf, recomputeTotals } from './order.store.ts';
import { isOpenAt } from './opening-hours.ts';
import { toLineView, totalsOf } from './views.ts';

const refOf = (order: Order) => ({ orderId: order.id, outletId: order.outlet.id, total: order.total, totals: totalsOf(order), version: order.version });

/** Announces the whole order after a change that is not a single line. */
export async function announceOrder(ctx: CommandContext, order: Order): Promise<OrderView> {
  const view = await loadOrderView(ctx, order);
  ctx.emit(posOrderUpdated, { ...refOf(order), order: view });
  return view;
}

function recordAdjustment(ctx: CommandContext, order: Order, a: { kind: 'void' | 'discount'; lineId: string | null; amount: number; reason: string; terminalId: string | null }): void {
  ctx.em.create(OrderAdjustment, { property: ctx.propertyId, order, ...a, cashierId: ctx.actor.userId, businessDate: order.businessDate, at: ctx.now });
}

export async function openOrder(ctx: CommandContext, input: PayloadOf<typeof posOrderOpen>): Promise<{ orderId: string }> {
  const outlet = await ctx.em.findOne(Outlet, { id: input.outletId, property: ctx.propertyId });
  if (!outlet) throw notFound('Outlet');
  const property = await propertyOf(ctx);
  if (!outlet.active || !isOpenAt(outlet.openingHours ?? null, property.timeZone, ctx.now)) throw conflict(`${outlet.name} is closed now`);
  const terminalId = await checkTerminal(ctx, outlet, input.terminalId);
  const order = ctx.em.create(Order, {
    property: ctx.propertyId, outlet, terminalId, tableName: input.table ?? null, covers: input.covers ?? null,
    businessDate: property.businessDate, openedBy: ctx.actor.userId, openedAt: ctx.now,
  });
  await ctx.em.flush();
  ctx.recordChange({ type: 'order', id: order.id, after: { outletId: outlet.id, table: order.tableName, covers: order.covers } });
  ctx.emit(posOrderOpened, { ...refOf(order), order: await loadOrderView(ctx, order) });
  return { orderId: order.id };
}

export async function addLine(ctx: CommandContext, input: PayloadOf<typeof posOrderAddLine>): Promise<{ lineId: string }> {
  // Everything that does not need the order is read before its lock, so the lock is held briefly
  // (terminals adding to one order queue on it): product, options, terminal, and the line's insert.
  const product = await ctx.em.findOne(Product, { id: input.productId, property: ctx.propertyId }, { populate: ['outlet'] });
  if (!product) throw notFound('Product');
  if (!product.available) throw conflict(`${product.name} is not available`, { productId: product.id });
  const chosen = (input.modifiers ?? []).map((name) => product.modifiers.find((m) => m.name === name));
  const unknown = (input.modifiers ?? []).filter((_, i) => !chosen[i]);
  if (unknown.length) throw invalid(`${product.name} has no option ${unknown.join(', ')}`, { modifiers: unknown });
  const modifiers = chosen.map((m) => m!);
  const terminalId = await checkTerminal(ctx, product.outlet, input.terminalId);
  const unitPrice = product.price + modifiers.reduce((s, m) => s + m.price, 0);
  const line = ctx.em.create(OrderLine, {
    order: ctx.em.getReference(Order, input.orderId), product, name: product.name, quantity: input.quantity, unitPrice, modifiers, note: input.note ?? null,
    taxRate: product.taxRate ?? product.outlet.taxRate, amount: unitPrice * input.quantity, addedBy: ctx.actor.userId, terminalId, addedAt: ctx.now,
  });
  await ctx.em.flush();

  const order = await lockOrder(ctx, input.orderId);
  // Another outlet's product is not on this menu (the insert above rolls back with the command).
  if (order.outlet.id !== product.outlet.id) throw notFound('Product');
  // A line changes what is due, so an even split no longer holds.
  order.shares = null;
  addToTotals(order, line);
  await ctx.em.flush();
  ctx.recordChange({ type: 'orderLine', id: line.id, after: { orderId: order.id, productId: product.id, quantity: line.quantity, amount: line.amount } });
  ctx.emit(posOrderLineAdded, { ...refOf(order), line: toLineView(line) });
  return { lineId: line.id };
}

/** Voiding more than the outlet's limit is a manager's call. */
async function requireVoidApproval(ctx: CommandContext, outlet: Outlet, amount: number): Promise<void> {
  if (amount > outlet.voidLimit && !(await actorIsManager(ctx))) {
    throw forbidden(`Voiding more than the void limit of ${outlet.name} needs a manager`);
  }
}

export async function voidLine(ctx: CommandContext, input: PayloadOf<typeof posOrderVoidLine>): Promise<{ lineId: string }> {
  const order = await lockOpenOrder(ctx, input.orderId);
  const line = await ctx.em.findOne(OrderLine, { id: input.lineId, order });
  if (!line) throw notFound('Line');
  if (line.voided) throw conflict('This line was already voided', { voidReason: line.voidReason });
  const value = line.amount - line.discount;
  await requireVoidApproval(ctx, order.outlet, value);
  const terminalId = await checkTerminal(ctx, order.outlet, input.terminalId);
  line.voided = true;
  line.voidReason = input.reason;
  order.shares = null;
  recordAdjustment(ctx, order, { kind: 'void', lineId: line.id, amount: value, reason: input.reason, terminalId });
  await recomputeTotals(ctx, order);
  if (order.paid > order.total) throw conflict('Part of this order is already paid; voiding this line would leave it overpaid');
  ctx.recordChange({ type: 'orderLine', id: line.id, before: { voided: false }, after: { voided: true, voidReason: input.reason } });
  ctx.emit(posOrderLineVoided, { ...refOf(order), lineId: line.id, reason: input.reason });
  return { lineId: line.id };
}

export async function transferOrder(ctx: CommandContext, input: PayloadOf<typeof posOrderTransfer>): Promise<OrderView> {
  const order = await lockOpenOrder(ctx, input.orderId);
  if (order.tableName === input.table) return loadOrderView(ctx, order);
  ctx.recordChange({ type: 'order', id: order.id, before: { table: order.tableName }, after: { table: input.table } });
  order.tableName = input.table;
  await ctx.em.flush();
  return announceOrder(ctx, order);
}

export async function setOrderNote(ctx: CommandContext, input: PayloadOf<typeof posOrderSetNote>): Promise<OrderView> {
  const order = await lockOpenOrder(ctx, input.orderId);
  if (order.note === input.note) return loadOrderView(ctx, order);
  order.note = input.note;
  await ctx.em.flush();
  ctx.recordChange({ type: 'order', id: order.id, after: { note: '[changed]' } });
  return announceOrder(ctx, order);
}

export async function discountOrder(ctx: CommandContext, input: PayloadOf<typeof posOrderDiscount>): Promise<OrderView> {
  const order = await lockOpenOrder(ctx, input.orderId);
  if (order.paid > 0) throw conflict('Part of this order is already paid; discounts go on before the first payment');
  const terminalId = await checkTerminal(ctx, order.outlet, input.terminalId);
  let granted: number;
  if (input.lineId) {
    const line = await ctx.em.findOne(OrderLine, { id: input.lineId, order });
    if (!line) throw notFound('Line');
    if (line.voided) throw conflict('This line was voided');
    granted = input.percent !== undefined ? Math.round((line.amount * input.percent) / 100) : Math.min(input.amount!, line.amount);
    ctx.recordChange({ type: 'orderLine', id: line.id, before: { discount: line.discount }, after: { discount: granted, reason: input.reason } });
    line.discount = granted;
  } else {
    order.discountPercent = input.percent ?? null;
    order.discountAmount = input.amount ?? null;
    order.discountReason = input.reason;
    granted = (await recomputeTotals(ctx, order)).orderDiscount;
    ctx.recordChange({ type: 'order', id: order.id, after: { discountPercent: order.discountPercent, discountAmount: order.discountAmount, reason: input.reason } });
  }
  order.shares = null;
  recordAdjustment(ctx, order, { kind: 'discount', lineId: input.lineId ?? null, amount: granted, reason: input.reason, terminalId });
  await recomputeTotals(ctx, order);
  return announceOrder(ctx, order);
}

export async function voidOrder(ctx: CommandContext, input: PayloadOf<typeof posOrderVoid>): Promise<OrderView> {
  const order = await lockOpenOrder(ctx, input.orderId);
  if (order.paid > 0) throw conflict('Part of this order is already paid; void its lines instead');
  await requireVoidApproval(ctx, order.outlet, order.total);
  const terminalId = await checkTerminal(ctx, order.outlet, input.terminalId);
  recordAdjustment(ctx, order, { kind: 'void', lineId: null, amount: order.total, reason: input.reason, terminalId });
  order.status = 'voided';
  order.voidReason = input.reason;
  order.closedAt = ctx.now;
  order.closedBy = ctx.actor.userId;
  await ctx.em.flush();
  ctx.recordChange({ type: 'order', id: order.id, before: { status: 'open' }, after: { status: 'voided', voidReason: input.reason } });
  const view = await loadOrderView(ctx, order);
  ctx.emit(posOrderClosed, { ...refOf(order), status: order.status, order: view });
  return view;
}
