import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { DEPARTMENTS, FOLIO_KINDS, LINE_KINDS, FOLIO_PAYMENT_METHODS, PAYMENT_STATUSES, REFUND_STATUSES, type Department } from '@innboard/shared';
import { Property } from '../property/entities.ts';
import { Reservation } from '../reservations/entities.ts';

// Billing's tables. folio_line is append-only: nothing updates or deletes a posted line, so a
// balance is always the sum of its folio's lines. The invoice counter row is the one place that
// hands out invoice numbers (locked by the issuing transaction, so numbers have no gaps).

const FolioSchema = defineEntity({
  name: 'Folio',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    /** Null for house, outlet and receivable accounts. */
    reservation: () => p.manyToOne(Reservation).nullable(),
    kind: p.enum(FOLIO_KINDS),
    name: p.string().length(200),
    currency: p.string().length(3),
    transferredAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['reservation'] }, { properties: ['property', 'kind'] }],
  // One guest folio per stay and one receivable ledger per property, even when two desks race to create them.
  uniques: [
    { name: 'folio_one_guest_folio', properties: ['reservation'], where: "kind = 'guest'" },
    { name: 'folio_one_receivable', properties: ['property'], where: "kind = 'receivable'" },
  ],
});
export class Folio extends FolioSchema.class {}
FolioSchema.setClass(Folio);

const FolioLineSchema = defineEntity({
  name: 'FolioLine',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    folio: () => p.manyToOne(Folio),
    kind: p.enum(LINE_KINDS),
    department: p.enum(DEPARTMENTS).nullable(),
    description: p.string().length(200),
    quantity: p.integer().default(1),
    unitAmount: p.integer(),
    /** Signed: charges positive, payments negative. */
    amount: p.integer(),
    taxRateBp: p.integer().default(0),
    businessDate: p.date(),
    reversesLine: () => p.manyToOne(FolioLine).nullable(),
    reason: p.string().length(500).nullable(),
    paymentId: p.uuid().nullable(),
    /**
     * Idempotency key of an automatic posting (night audit: `night:<reservation>:<date>:room`),
     * so a re-run posts nothing twice.
     */
    sourceRef: p.string().length(200).nullable(),
    postedBy: p.uuid().nullable(),
    postedAt: p.datetime().onCreate(() => new Date()),
    /** Insertion order: lines of one command share postedAt, and a folio reads in the order they were posted. */
    position: p.integer().autoincrement(),
  },
  indexes: [{ properties: ['folio', 'position'] }, { properties: ['property', 'businessDate'] }],
  uniques: [
    // A line is reversed at most once.
    { name: 'folio_line_reversed_once', properties: ['reversesLine'], where: 'reverses_line_id is not null' },
    { name: 'folio_line_source_ref', properties: ['property', 'sourceRef'], where: 'source_ref is not null' },
  ],
  checks: [{ name: 'folio_line_amount_is_unit_times_quantity', expression: 'amount = unit_amount * quantity' }],
});
export class FolioLine extends FolioLineSchema.class {}
FolioLineSchema.setClass(FolioLine);

const PaymentSchema = defineEntity({
  name: 'Payment',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    folio: () => p.manyToOne(Folio),
    /** Null until a pending payment is collected. */
    method: p.enum(FOLIO_PAYMENT_METHODS).nullable(),
    /** Only a received payment has a folio line; a pending one is owed (booking-site deposit), a void one never came. */
    status: p.enum(PAYMENT_STATUSES).default('received'),
    /** Positive: what the guest paid (or owes, while pending). */
    amount: p.integer(),
    currency: p.string().length(3),
    reference: p.string().length(100).nullable(),
    cardLast4: p.string().length(4).nullable(),
    deposit: p.boolean().default(false),
    /** Null while pending: nobody has received it yet. */
    receivedBy: p.uuid().nullable(),
    /** When received; for a pending or void payment, when it was recorded as due. */
    receivedAt: p.datetime().onCreate(() => new Date()),
    /** Sum of approved refunds; kept with the payment row, which refunds lock, so it can never exceed amount. */
    refunded: p.integer().default(0),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['folio'] }],
  checks: [
    { name: 'payment_refund_within_amount', expression: 'amount > 0 and refunded >= 0 and refunded <= amount' },
    { name: 'payment_received_has_method', expression: "status <> 'received' or (method is not null and received_by is not null)" },
  ],
});
export class Payment extends PaymentSchema.class {}
PaymentSchema.setClass(Payment);

const RefundSchema = defineEntity({
  name: 'Refund',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    payment: () => p.manyToOne(Payment),
    amount: p.integer(),
    reason: p.string().length(500),
    status: p.enum(REFUND_STATUSES).default('pending'),
    requestedBy: p.uuid(),
    decidedBy: p.uuid().nullable(),
    decisionReason: p.string().length(500).nullable(),
    /** The folio line the approval posted. */
    lineId: p.uuid().nullable(),
    requestedAt: p.datetime().onCreate(() => new Date()),
    decidedAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
  indexes: [{ properties: ['property', 'status'] }, { properties: ['payment'] }],
  checks: [{ name: 'refund_amount_positive', expression: 'amount > 0' }],
});
export class Refund extends RefundSchema.class {}
RefundSchema.setClass(Refund);

/** folio.route: a stay's charges of one department go to another folio. */
const FolioRouteSchema = defineEntity({
  name: 'FolioRoute',
  properties: {
    reservation: () => p.manyToOne(Reservation).primary(),
    department: p.enum(DEPARTMENTS).primary(),
    folio: () => p.manyToOne(Folio),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class FolioRoute extends FolioRouteSchema.class {}
FolioRouteSchema.setClass(FolioRoute);

export interface InvoiceLineRecord {
  lineId: string;
  description: string;
  department: Department | null;
  businessDate: string;
  quantity: number;
  unitAmount: number;
  amount: number;
  taxRateBp: number;
}

export interface TaxRow {
  taxRateBp: number;
  net: number;
  tax: number;
  gross: number;
}

/** Issued documents are never updated: a credit note is a new row pointing at the invoice it cancels. */
const InvoiceSchema = defineEntity({
  name: 'Invoice',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    folio: () => p.manyToOne(Folio),
    kind: p.enum(['invoice', 'credit_note'] as const),
    number: p.integer(),
    billTo: p.string().length(300),
    currency: p.string().length(3),
    lines: p.json<InvoiceLineRecord[]>(),
    taxBreakdown: p.json<TaxRow[]>(),
    total: p.integer(),
    paid: p.integer(),
    creditOf: () => p.manyToOne(Invoice).nullable(),
    reason: p.string().length(500).nullable(),
    issuedBy: p.uuid(),
    issuedAt: p.datetime().onCreate(() => new Date()),
    businessDate: p.date(),
  },
  indexes: [{ properties: ['folio'] }],
  uniques: [
    { name: 'invoice_number_per_property', properties: ['property', 'number'] },
    // An invoice is credited at most once.
    { name: 'invoice_credited_once', properties: ['creditOf'], where: 'credit_of_id is not null' },
  ],
});
export class Invoice extends InvoiceSchema.class {}
InvoiceSchema.setClass(Invoice);

/** The last number handed out per property; the issuing transaction holds its row lock until commit. */
const InvoiceCounterSchema = defineEntity({
  name: 'InvoiceCounter',
  properties: {
    property: () => p.manyToOne(Property).primary(),
    lastNumber: p.integer().default(0),
  },
});
export class InvoiceCounter extends InvoiceCounterSchema.class {}
InvoiceCounterSchema.setClass(InvoiceCounter);

const BillingSettingsSchema = defineEntity({
  name: 'BillingSettings',
  properties: {
    property: () => p.manyToOne(Property).primary(),
    cityTaxPerPersonNight: p.integer().default(0),
    cityTaxChildren: p.boolean().default(false),
    taxRates: p.json<Partial<Record<Department, number>>>(),
    version: p.integer().version(),
  },
});
export class BillingSettings extends BillingSettingsSchema.class {}
BillingSettingsSchema.setClass(BillingSettings);

export const billingEntities = [Folio, FolioLine, Payment, Refund, FolioRoute, Invoice, InvoiceCounter, BillingSettings];
