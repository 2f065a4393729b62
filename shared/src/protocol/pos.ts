import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { hotelDate, id, minorUnits } from './common.ts';

// Contract of point of sale (issue 10): outlets, products, terminals and orders. Every order event
// carries `outletId`: events travel on the property stream and a terminal keeps those of its outlet.
// Prices are gross (tax included, as on a European menu); `tax` is the part of `total` that is tax.

export const OUTLET_KINDS = ['restaurant', 'bar', 'room_service', 'minibar'] as const;
export const outletKind = z.enum(OUTLET_KINDS);
export type OutletKind = z.infer<typeof outletKind>;

/** Tender of a payment; `room` is a charge posted to a guest's folio. */
export const PAYMENT_METHODS = ['cash', 'card', 'room'] as const;
export const paymentMethod = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof paymentMethod>;
/** What pos.order.pay takes; room charges go through pos.order.postToRoom. */
export const tenderMethod = z.enum(['cash', 'card']);

export const ORDER_STATUSES = ['open', 'closed', 'voided'] as const;
export const orderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatus>;

/** Tax rate in basis points: 1900 = 19 %. */
export const taxRate = z.number().int().min(0).max(10_000);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
/** Open on `days` (0 = Sunday) from `opens` to `closes`; a `closes` before `opens` runs past midnight. */
export const openingPeriod = z.object({ days: z.array(z.number().int().min(0).max(6)).min(1).max(7), opens: clock, closes: clock });
export type OpeningPeriod = z.infer<typeof openingPeriod>;
const modifierName = z.string().trim().min(1).max(60);
export const productModifier = z.object({ name: modifierName, price: minorUnits.min(0) });
export type ProductModifier = z.infer<typeof productModifier>;
const name = z.string().trim().min(1).max(120);
const reason = z.string().trim().min(1).max(500);
const table = z.string().trim().min(1).max(20);
const note = z.string().trim().max(1000);
const optionalTerminal = { terminalId: id.optional() };

// ---------- outlets, products, terminals ----------

const outletFields = {
  name,
  kind: outletKind,
  /** Default tax rate of the outlet's products. */
  taxRate,
  /** null: always open. Orders can be opened only while the outlet is open (in the property's time zone). */
  openingHours: z.array(openingPeriod).max(14).nullable(),
  /** Voiding a line worth more than this (minor units) needs a manager (pos.manage). */
  voidLimit: minorUnits.min(0),
};

export const posOutletCreate = defineCommand('pos.outlet.create', {
  permission: 'pos.manage',
  description: 'Create an outlet (restaurant, bar, room service, minibar) with its tax rate and opening hours.',
  payload: z.object({ propertyId: id, ...outletFields }),
});

export const posOutletUpdate = defineCommand('pos.outlet.update', {
  permission: 'pos.manage',
  description: 'Change an outlet: name, tax rate, opening hours, void limit, or close it for good (active false).',
  payload: z.object({ outletId: id, ...z.object(outletFields).omit({ kind: true }).partial().shape, active: z.boolean().optional() }),
});

const productFields = {
  name,
  category: z.string().trim().min(1).max(60),
  price: minorUnits.min(0),
  /** Overrides the outlet's rate (e.g. drinks and food taxed differently); null uses the outlet's. */
  taxRate: taxRate.nullable(),
  modifiers: z.array(productModifier).max(30).refine((m) => new Set(m.map((x) => x.name)).size === m.length, 'Modifier names must be unique'),
  available: z.boolean(),
};

export const posProductCreate = defineCommand('pos.product.create', {
  permission: 'pos.manage',
  description: 'Add a product to an outlet\'s menu.',
  payload: z.object({ outletId: id, ...productFields, taxRate: taxRate.nullable().optional(), modifiers: productFields.modifiers.optional(), available: z.boolean().optional() }),
});

export const posProductUpdate = defineCommand('pos.product.update', {
  permission: 'pos.manage',
  description: 'Change a product: price, category, modifiers, tax rate, or mark it (un)available (86\'d).',
  payload: z.object({ productId: id, ...z.object(productFields).partial().shape }),
});

export const posTerminalRegister = defineCommand('pos.terminal.register', {
  permission: 'pos.manage',
  description: 'Register a terminal (a till or tablet) to an outlet.',
  payload: z.object({ outletId: id, name: z.string().trim().min(1).max(60) }),
});

// ---------- orders ----------

export const posOrderOpen = defineCommand('pos.order.open', {
  permission: 'pos.sell',
  description: 'Open an order (a table or a tab) at an outlet while it is open.',
  payload: z.object({ outletId: id, table: table.optional(), covers: z.number().int().min(1).max(500).optional(), ...optionalTerminal }),
});

export const posOrderAddLine = defineCommand('pos.order.addLine', {
  permission: 'pos.sell',
  description: 'Add a product to an open order; modifiers are names from the product\'s list.',
  payload: z.object({
    orderId: id,
    productId: id,
    quantity: z.number().int().min(1).max(999),
    modifiers: z.array(modifierName).max(30).optional(),
    note: z.string().trim().min(1).max(500).optional(),
    ...optionalTerminal,
  }),
});

export const posOrderVoidLine = defineCommand('pos.order.voidLine', {
  permission: 'pos.sell',
  description: 'Void a line of an open order with a reason; a line worth more than the outlet\'s void limit needs a manager.',
  payload: z.object({ orderId: id, lineId: id, reason, ...optionalTerminal }),
});

export const posOrderPay = defineCommand('pos.order.pay', {
  permission: 'pos.sell',
  description: 'Take a cash or card payment; the order closes once paid in full. Cash may exceed what is due (change is returned); card may not.',
  payload: z.object({ orderId: id, method: tenderMethod, amount: minorUnits.min(1), tip: minorUnits.min(0).optional(), ...optionalTerminal }),
});

export const posOrderPostToRoom = defineCommand('pos.order.postToRoom', {
  permission: 'pos.sell',
  description: 'Charge what is due to the folio of the guest in-house in that room (room number and last name must match) and close the order.',
  payload: z.object({ orderId: id, roomNumber: z.string().trim().min(1).max(10), guestLastName: z.string().trim().min(1).max(100), ...optionalTerminal }),
});

export const posOrderSplit = defineCommand('pos.order.split', {
  permission: 'pos.sell',
  description: 'Move lines of an open order onto a new order at the same table.',
  payload: z.object({ orderId: id, lineIds: z.array(id).min(1).max(500), ...optionalTerminal }),
});

export const posOrderSplitEvenly = defineCommand('pos.order.splitEvenly', {
  permission: 'pos.sell',
  description: 'Split what is due into equal shares (the first shares take the odd cents); each share is then paid on its own. 1 removes the split.',
  payload: z.object({ orderId: id, parts: z.number().int().min(1).max(50) }),
});

export const posOrderTransfer = defineCommand('pos.order.transfer', {
  permission: 'pos.sell',
  description: 'Move an open order to another table.',
  payload: z.object({ orderId: id, table }),
});

export const posOrderSetNote = defineCommand('pos.order.setNote', {
  permission: 'pos.sell',
  description: 'Set the order\'s note (allergies, course timing); empty clears it.',
  payload: z.object({ orderId: id, note }),
});

export const posOrderDiscount = defineCommand('pos.order.discount', {
  permission: 'pos.sell',
  description: 'Discount a line (lineId) or the whole order by a percentage or an amount, with a reason; a second discount replaces the first.',
  payload: z.object({
    orderId: id,
    lineId: id.optional(),
    percent: z.number().int().min(1).max(100).optional(),
    amount: minorUnits.min(1).optional(),
    reason,
    ...optionalTerminal,
  }).refine((p) => (p.percent === undefined) !== (p.amount === undefined), { message: 'Give either percent or amount', path: ['percent'] }),
});

export const posOrderVoid = defineCommand('pos.order.void', {
  permission: 'pos.sell',
  description: 'Void a whole open order with a reason (nothing paid yet); above the outlet\'s void limit it needs a manager.',
  payload: z.object({ orderId: id, reason, ...optionalTerminal }),
});

export const posMinibarConsume = defineCommand('pos.minibar.consume', {
  permission: 'minibar.record',
  description: 'Record what a guest took from the minibar of an in-house room: charged to their folio and taken from stock.',
  payload: z.object({
    roomId: id,
    items: z.array(z.object({ productId: id, quantity: z.number().int().min(1).max(99) })).min(1).max(50),
  }),
});

export const posShiftReport = defineCommand('pos.shift.report', {
  permission: 'pos.sell',
  description: 'End-of-shift figures of a hotel day (default: the business date), by terminal and cashier: sales by payment method, tips, voids, discounts. Cashiers see their own; pos.manage sees everyone. Emits no event.',
  payload: z.object({ propertyId: id, date: hotelDate.optional(), terminalId: id.optional(), cashierId: id.optional() }),
});

// ---------- views ----------

export const outletView = z.object({
  outletId: id,
  name: z.string(),
  kind: outletKind,
  taxRate: z.number().int(),
  openingHours: z.array(openingPeriod).nullable(),
  voidLimit: minorUnits,
  active: z.boolean(),
  terminals: z.array(z.object({ terminalId: id, name: z.string() })),
});
export type OutletView = z.infer<typeof outletView>;

export const productView = z.object({
  productId: id,
  outletId: id,
  name: z.string(),
  category: z.string(),
  price: minorUnits,
  /** The rate that applies (the product's own, else the outlet's). */
  taxRate: z.number().int(),
  ownTaxRate: z.number().int().nullable(),
  modifiers: z.array(productModifier),
  available: z.boolean(),
});
export type ProductView = z.infer<typeof productView>;

export const orderLineView = z.object({
  lineId: id,
  productId: id,
  name: z.string(),
  quantity: z.number().int(),
  /** Product price plus the chosen modifiers, per unit. */
  unitPrice: minorUnits,
  modifiers: z.array(productModifier),
  note: z.string().nullable(),
  taxRate: z.number().int(),
  /** quantity x unitPrice. */
  amount: minorUnits,
  /** This line's own discount. */
  discount: minorUnits,
  voided: z.boolean(),
  voidReason: z.string().nullable(),
  addedBy: id,
  addedAt: z.string(),
});
export type OrderLineView = z.infer<typeof orderLineView>;

export const orderTotals = z.object({
  /** Sum of the live lines before discounts. */
  subtotal: minorUnits,
  /** Line discounts plus the order discount. */
  discount: minorUnits,
  /** subtotal - discount: what the guest owes in all. */
  total: minorUnits,
  /** Tax included in total. */
  tax: minorUnits,
  paid: minorUnits,
  tips: minorUnits,
  /** total - paid (never below 0). */
  due: minorUnits,
});
export type OrderTotals = z.infer<typeof orderTotals>;

export const paymentView = z.object({
  paymentId: id,
  method: paymentMethod,
  amount: minorUnits,
  tip: minorUnits,
  /** Room charges: the room it went to. */
  roomNumber: z.string().nullable(),
  cashierId: id,
  terminalId: id.nullable(),
  at: z.string(),
});

export const orderView = z.object({
  orderId: id,
  outletId: id,
  status: orderStatus,
  table: z.string().nullable(),
  covers: z.number().int().nullable(),
  note: z.string(),
  /** The order discount (lines carry their own). */
  orderDiscount: z.object({ percent: z.number().int().nullable(), amount: minorUnits.nullable(), reason: z.string() }).nullable(),
  /** Equal shares of what was due when split evenly (pos.order.splitEvenly); null when not split. */
  shares: z.array(minorUnits).nullable(),
  lines: z.array(orderLineView),
  payments: z.array(paymentView),
  totals: orderTotals,
  openedBy: id,
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
  version: z.number().int(),
});
export type OrderView = z.infer<typeof orderView>;

// ---------- events ----------

const orderRef = { orderId: id, outletId: id, total: minorUnits, totals: orderTotals, version: z.number().int() };

export const posOrderOpened = defineEvent('pos.order.opened', {
  description: 'An order was opened (or split off another one, with its lines).',
  payload: z.object({ ...orderRef, order: orderView }),
});
export const posOrderLineAdded = defineEvent('pos.order.lineAdded', {
  description: 'A line was added; `totals` are the order\'s after it.',
  payload: z.object({ ...orderRef, line: orderLineView }),
});
export const posOrderLineVoided = defineEvent('pos.order.lineVoided', {
  description: 'A line was voided; `totals` are the order\'s after it.',
  payload: z.object({ ...orderRef, lineId: id, reason: z.string() }),
});
export const posOrderUpdated = defineEvent('pos.order.updated', {
  description: 'An open order changed otherwise (table, note, discount, a part payment, lines split off, equal shares): the whole order.',
  payload: z.object({ ...orderRef, order: orderView }),
});
export const posOrderClosed = defineEvent('pos.order.closed', {
  description: 'An order was paid in full, posted to a room, or voided: it leaves the open orders.',
  payload: z.object({ ...orderRef, status: orderStatus, order: orderView }),
});
export const posOutletChanged = defineEvent('pos.outlet.changed', {
  description: 'An outlet was created or changed, or a terminal registered to it.',
  payload: outletView,
});
export const posProductChanged = defineEvent('pos.product.changed', {
  description: 'A product was created or changed (price, availability...).',
  payload: productView,
});

// ---------- shift report ----------

export const shiftFigures = z.object({
  terminalId: id.nullable(),
  cashierId: id,
  cashierName: z.string(),
  /** Payments by tender (room = posted to folios), tips excluded. */
  sales: z.object({ cash: minorUnits, card: minorUnits, room: minorUnits }),
  tips: minorUnits,
  /** Payments taken (room charges included). */
  payments: z.number().int(),
  voids: z.object({ count: z.number().int(), amount: minorUnits }),
  discounts: z.object({ count: z.number().int(), amount: minorUnits }),
});
export type ShiftFigures = z.infer<typeof shiftFigures>;
export const shiftReport = z.object({ date: hotelDate, rows: z.array(shiftFigures) });
export type ShiftReport = z.infer<typeof shiftReport>;

// ---------- snapshot ----------

/** The POS part of the property snapshot: active outlets with their products and open orders. */
export type PosSnapshot = {
  outlets: Array<OutletView & { products: ProductView[]; orders: OrderView[] }>;
};

export const posCommands = [
  posOutletCreate, posOutletUpdate, posProductCreate, posProductUpdate, posTerminalRegister,
  posOrderOpen, posOrderAddLine, posOrderVoidLine, posOrderPay, posOrderPostToRoom, posOrderSplit, posOrderSplitEvenly,
  posOrderTransfer, posOrderSetNote, posOrderDiscount, posOrderVoid, posMinibarConsume, posShiftReport,
] as const;
export const posEvents = [posOrderOpened, posOrderLineAdded, posOrderLineVoided, posOrderUpdated, posOrderClosed, posOutletChanged, posProductChanged] as const;
