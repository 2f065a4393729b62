import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { OUTLET_KINDS, ORDER_STATUSES, PAYMENT_METHODS, type OpeningPeriod, type ProductModifier } from '@innboard/shared';
import { Property } from '../property/entities.ts';
import type { RateGroup } from './totals.ts';

// The POS domain's tables. People are plain user ids (no foreign key): a cashier who leaves keeps
// their sales history. Money in minor units, tax rates in basis points.

const OutletSchema = defineEntity({
  name: 'Outlet',
  tableName: 'pos_outlet',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    name: p.string().length(120),
    kind: p.enum(OUTLET_KINDS),
    taxRate: p.integer(),
    openingHours: p.json<OpeningPeriod[] | null>().nullable(),
    voidLimit: p.integer(),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['property'] }],
});
export class Outlet extends OutletSchema.class {}
OutletSchema.setClass(Outlet);

const ProductSchema = defineEntity({
  name: 'Product',
  tableName: 'pos_product',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    outlet: () => p.manyToOne(Outlet),
    name: p.string().length(120),
    category: p.string().length(60),
    price: p.integer(),
    /** null: the outlet's rate. */
    taxRate: p.integer().nullable(),
    modifiers: p.json<ProductModifier[]>(),
    available: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['outlet'] }],
});
export class Product extends ProductSchema.class {}
ProductSchema.setClass(Product);

const TerminalSchema = defineEntity({
  name: 'Terminal',
  tableName: 'pos_terminal',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    outlet: () => p.manyToOne(Outlet),
    name: p.string().length(60),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['outlet', 'name'] }],
});
export class Terminal extends TerminalSchema.class {}
TerminalSchema.setClass(Terminal);

/**
 * An order (table or tab). Totals are kept on the row, recomputed from the lines in the same
 * transaction as every change, so the snapshot and events never add up lines themselves.
 */
const OrderSchema = defineEntity({
  name: 'Order',
  tableName: 'pos_order',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    outlet: () => p.manyToOne(Outlet),
    terminalId: p.uuid().nullable(),
    status: p.enum(ORDER_STATUSES).default('open'),
    tableName: p.string().length(20).nullable(),
    covers: p.integer().nullable(),
    note: p.text().default(''),
    discountPercent: p.integer().nullable(),
    discountAmount: p.integer().nullable(),
    discountReason: p.string().length(500).nullable(),
    /** Equal shares of what was due when split evenly. */
    shares: p.json<number[] | null>().nullable(),
    /** Live lines summed per tax rate: a new line adds to these instead of re-reading every line. */
    rateTotals: p.json<RateGroup[]>().default('[]').onCreate(() => []),
    subtotal: p.integer().default(0),
    discountTotal: p.integer().default(0),
    total: p.integer().default(0),
    tax: p.integer().default(0),
    paid: p.integer().default(0),
    tips: p.integer().default(0),
    /** The hotel day the order was opened on (shift reports). */
    businessDate: p.date(),
    openedBy: p.uuid(),
    openedAt: p.datetime().onCreate(() => new Date()),
    closedAt: p.datetime().nullable(),
    closedBy: p.uuid().nullable(),
    voidReason: p.string().length(500).nullable(),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['property', 'status'] }, { properties: ['outlet', 'status'] }],
});
export class Order extends OrderSchema.class {}
OrderSchema.setClass(Order);

const OrderLineSchema = defineEntity({
  name: 'OrderLine',
  tableName: 'pos_order_line',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    order: () => p.manyToOne(Order),
    product: () => p.manyToOne(Product),
    name: p.string().length(120),
    quantity: p.integer(),
    unitPrice: p.integer(),
    modifiers: p.json<ProductModifier[]>(),
    note: p.string().length(500).nullable(),
    taxRate: p.integer(),
    amount: p.integer(),
    discount: p.integer().default(0),
    voided: p.boolean().default(false),
    voidReason: p.string().length(500).nullable(),
    addedBy: p.uuid(),
    terminalId: p.uuid().nullable(),
    addedAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['order', 'addedAt'] }],
});
export class OrderLine extends OrderLineSchema.class {}
OrderLineSchema.setClass(OrderLine);

const PaymentSchema = defineEntity({
  name: 'Payment',
  tableName: 'pos_payment',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    order: () => p.manyToOne(Order),
    method: p.enum(PAYMENT_METHODS),
    amount: p.integer(),
    tip: p.integer().default(0),
    roomNumber: p.string().length(10).nullable(),
    /** Room charges: the billing domain's folio posting it made. */
    folioChargeId: p.uuid().nullable(),
    cashierId: p.uuid(),
    terminalId: p.uuid().nullable(),
    businessDate: p.date(),
    at: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['property', 'businessDate'] }, { properties: ['order'] }],
});
export class Payment extends PaymentSchema.class {}
PaymentSchema.setClass(Payment);

/** A void or a discount as it happened (who, where, how much then): the shift report's source. */
const OrderAdjustmentSchema = defineEntity({
  name: 'OrderAdjustment',
  tableName: 'pos_order_adjustment',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    order: () => p.manyToOne(Order),
    lineId: p.uuid().nullable(),
    kind: p.enum(['void', 'discount'] as const),
    amount: p.integer(),
    reason: p.string().length(500),
    cashierId: p.uuid(),
    terminalId: p.uuid().nullable(),
    businessDate: p.date(),
    at: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['property', 'businessDate'] }],
});
export class OrderAdjustment extends OrderAdjustmentSchema.class {}
OrderAdjustmentSchema.setClass(OrderAdjustment);

export const posEntities = [Outlet, Product, Terminal, Order, OrderLine, Payment, OrderAdjustment];
