import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { currency, hotelDate, id, minorUnits } from './common.ts';
import type { ReservationStatus } from './reservations.ts';

// Contract of billing (issue 9): folios, charges, payments, refunds with approval, invoices.
// Money is integer minor units in the folio's currency. A line's `amount` is signed: charges are
// positive, payments negative, so a folio's balance (sum of its lines) is what the guest still owes.
// Posted lines are never edited or deleted: a correction is a reversal line.

/** Revenue departments a charge is posted to (reports group revenue by them). */
export const DEPARTMENTS = ['room', 'tax', 'city_tax', 'food', 'beverage', 'minibar', 'spa', 'laundry', 'telephone', 'parking', 'fees', 'misc'] as const;
export const department = z.enum(DEPARTMENTS);
export type Department = z.infer<typeof department>;

/** guest: the stay's own folio (made on demand); company: split billing; house/outlet: accounts without a stay; receivable: the accounts-receivable ledger. */
export const FOLIO_KINDS = ['guest', 'company', 'house', 'outlet', 'receivable'] as const;
export const folioKind = z.enum(FOLIO_KINDS);
export type FolioKind = z.infer<typeof folioKind>;

export const LINE_KINDS = ['charge', 'adjustment', 'payment', 'refund', 'reversal', 'transfer'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export const FOLIO_PAYMENT_METHODS = ['cash', 'card', 'bank_transfer'] as const;
export const folioPaymentMethod = z.enum(FOLIO_PAYMENT_METHODS);
export type FolioPaymentMethod = z.infer<typeof folioPaymentMethod>;

/** pending: owed but not yet received (a booking-site deposit; no folio line until collected); void: the stay was cancelled first. */
export const PAYMENT_STATUSES = ['pending', 'received', 'void'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const REFUND_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * Stays whose bill is closed: no new charges (a no-show or cancellation fee, or a late minibar find,
 * is a manager's adjustment with a reason), and payments only up to what is still owed. Reversals,
 * refunds, invoices and credit notes stay possible: they settle or correct what is there.
 */
export const CLOSED_STAY_STATUSES = ['checked_out', 'cancelled', 'no_show'] as const satisfies readonly ReservationStatus[];
export function isClosedStay(status: string): boolean {
  return (CLOSED_STAY_STATUSES as readonly string[]).includes(status);
}

const reason = z.string().trim().min(3).max(500);
const description = z.string().trim().min(1).max(200);
/** A single posting above 10 million minor units is a typo, not a charge. */
const positiveAmount = z.number().int().min(1).max(10_000_000);

// ---------- views ----------

export const folioLineView = z.object({
  lineId: id,
  kind: z.enum(LINE_KINDS),
  department: department.nullable(),
  description: z.string(),
  quantity: z.number().int(),
  /** Price of one unit; `amount` = unitAmount x quantity (signed). */
  unitAmount: minorUnits,
  amount: minorUnits,
  /** VAT included in `amount`, in basis points (1900 = 19 %). */
  taxRateBp: z.number().int(),
  businessDate: hotelDate,
  /** Set on a reversal: the line it cancels. */
  reversesLineId: id.nullable(),
  /** Set on a line that a later reversal cancels. */
  reversedByLineId: id.nullable(),
  reason: z.string().nullable(),
  paymentId: id.nullable(),
  /** The invoice that currently covers this line (null once credited, or not yet invoiced). */
  invoiceId: id.nullable(),
  postedById: id.nullable(),
  postedAt: z.iso.datetime(),
});
export type FolioLineView = z.infer<typeof folioLineView>;

export const folioSummary = z.object({
  folioId: id,
  reservationId: id.nullable(),
  kind: folioKind,
  name: z.string(),
  balance: minorUnits,
  currency,
  /** The folio's balance was moved to accounts receivable at this time. */
  transferredAt: z.iso.datetime().nullable(),
});
export type FolioSummary = z.infer<typeof folioSummary>;

export const folioView = folioSummary.extend({
  lines: z.array(folioLineView),
  /** Departments this stay routes to this folio (folio.route). */
  routedDepartments: z.array(department),
});
export type FolioView = z.infer<typeof folioView>;

export const folioPaymentView = z.object({
  paymentId: id,
  folioId: id,
  reservationId: id.nullable(),
  /** Null while the payment is still pending: nobody has taken it yet. */
  method: folioPaymentMethod.nullable(),
  status: z.enum(PAYMENT_STATUSES),
  amount: minorUnits,
  currency,
  reference: z.string().nullable(),
  cardLast4: z.string().nullable(),
  /** Taken before the guest arrived. */
  deposit: z.boolean(),
  /** What approved refunds have not yet returned, less pending requests (0 unless received). */
  refundable: minorUnits,
  /** When it was received; for a pending or void payment, when it was recorded as due. */
  receivedAt: z.iso.datetime(),
});
export type FolioPaymentView = z.infer<typeof folioPaymentView>;

export const refundView = z.object({
  refundId: id,
  paymentId: id,
  folioId: id,
  reservationId: id.nullable(),
  amount: minorUnits,
  currency,
  reason: z.string(),
  status: z.enum(REFUND_STATUSES),
  requestedById: id,
  requestedByName: z.string(),
  decidedById: id.nullable(),
  decisionReason: z.string().nullable(),
  requestedAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
});
export type RefundView = z.infer<typeof refundView>;

export const taxBreakdownRow = z.object({ taxRateBp: z.number().int(), net: minorUnits, tax: minorUnits, gross: minorUnits });

export const invoiceLineView = z.object({
  description: z.string(),
  department: department.nullable(),
  businessDate: hotelDate,
  quantity: z.number().int(),
  unitAmount: minorUnits,
  amount: minorUnits,
  taxRateBp: z.number().int(),
});

export const invoiceView = z.object({
  invoiceId: id,
  propertyId: id,
  folioId: id,
  reservationId: id.nullable(),
  kind: z.enum(['invoice', 'credit_note']),
  /** Sequential per property, shared by invoices and credit notes, without gaps. */
  number: z.number().int(),
  /** The number as printed, e.g. INV-000042 or CN-000043. */
  displayNumber: z.string(),
  billTo: z.string(),
  currency,
  lines: z.array(invoiceLineView),
  taxBreakdown: z.array(taxBreakdownRow),
  /** Sum of the charge lines (gross). */
  total: minorUnits,
  /** Payments on the folio when issued (positive). */
  paid: minorUnits,
  /** For a credit note: the invoice it cancels. */
  creditOfInvoiceId: id.nullable(),
  /** For an invoice: the credit note that cancelled it. */
  creditedByInvoiceId: id.nullable(),
  reason: z.string().nullable(),
  issuedById: id,
  issuedAt: z.iso.datetime(),
  businessDate: hotelDate,
});
export type InvoiceView = z.infer<typeof invoiceView>;

export const billingSettingsView = z.object({
  /** City tax per adult per night in minor units (0 = none). */
  cityTaxPerPersonNight: minorUnits,
  /** Whether children pay city tax too. */
  cityTaxChildren: z.boolean(),
  /** VAT included in prices, per department, in basis points; a department not listed has 0. */
  taxRates: z.partialRecord(department, z.number().int().min(0).max(10_000)),
  currency,
});
export type BillingSettingsView = z.infer<typeof billingSettingsView>;

// ---------- folios and charges ----------

export const folioGet = defineCommand('folio.get', {
  permission: 'folio.read',
  description: 'The folios of a stay (its guest folio is created on first use), or one folio by id (house and outlet accounts), with lines and balances. Emits no event.',
  payload: z.union([z.object({ reservationId: id }).strict(), z.object({ folioId: id }).strict()]),
});
export const folioGetResult = z.object({ folios: z.array(folioView) });
export type FolioGetResult = z.infer<typeof folioGetResult>;

export const folioCreate = defineCommand('folio.create', {
  permission: 'folio.write',
  description: 'Open another folio: a company folio on a stay for split billing, or a house or outlet account of the property.',
  payload: z.union([
    z.object({ reservationId: id, kind: z.enum(['guest', 'company']), name: z.string().trim().min(1).max(200) }).strict(),
    z.object({ propertyId: id, kind: z.enum(['house', 'outlet']), name: z.string().trim().min(1).max(200) }).strict(),
  ]),
});

export const folioPostCharge = defineCommand('folio.postCharge', {
  permission: 'folio.write',
  description: 'Post a charge to a folio: amount is the unit price (minor units), quantity defaults to 1. A stay\'s routing rules apply only to postings by department (night audit, POS).',
  payload: z.object({ folioId: id, department, description, amount: positiveAmount, quantity: z.number().int().min(1).max(1000).optional() }),
});

export const folioAdjust = defineCommand('folio.adjust', {
  permission: 'folio.adjust',
  description: 'A manual adjustment with a reason (negative for an allowance, positive for a correction upwards).',
  payload: z.object({ folioId: id, department, amount: z.number().int().min(-10_000_000).max(10_000_000).refine((n) => n !== 0, 'Amount cannot be zero'), reason }),
});

export const folioReverse = defineCommand('folio.reverse', {
  permission: 'folio.write',
  description: 'Cancel a posted charge or adjustment by posting its opposite; the original line stays. Payments are corrected by refunds.',
  payload: z.object({ folioId: id, lineId: id, reason }),
});

export const folioRoute = defineCommand('folio.route', {
  permission: 'folio.write',
  description: 'From now on, post this stay\'s charges of a department to another folio (e.g. room and tax to the company). Routing back to the guest folio removes the rule.',
  payload: z.object({ reservationId: id, department, toFolioId: id }),
});

export const folioTransferToReceivable = defineCommand('folio.transferToReceivable', {
  permission: 'folio.write',
  description: 'Move a folio\'s open balance to the accounts-receivable ledger (a company settles later), so the guest can check out.',
  payload: z.object({ folioId: id, reason: z.string().trim().min(3).max(500).optional() }),
});

// ---------- payments and refunds ----------

export const folioTakePayment = defineCommand('folio.takePayment', {
  permission: 'payment.take',
  description: 'Record a payment (no gateway): cash, card (last four digits and the terminal reference) or bank transfer. Before arrival it is a deposit.',
  payload: z.object({
    folioId: id,
    method: folioPaymentMethod,
    amount: positiveAmount,
    reference: z.string().trim().min(1).max(100).optional(),
    cardLast4: z.string().regex(/^[0-9]{4}$/, 'Four digits').optional(),
  }).refine((p) => p.method === 'card' || p.cardLast4 === undefined, { message: 'Only a card payment has card digits', path: ['cardLast4'] }),
});
export const takePaymentResult = z.object({ paymentId: id, lineId: id, balance: minorUnits });

export const refundRequest = defineCommand('refund.request', {
  permission: 'refund.request',
  description: 'Ask a manager to refund (part of) a payment; it cannot exceed what the payment still has to give back.',
  payload: z.object({ paymentId: id, amount: positiveAmount, reason }),
});

export const refundApprove = defineCommand('refund.approve', {
  permission: 'refund.approve',
  description: 'Approve a pending refund (not your own request); the refund is posted against the original payment.',
  payload: z.object({ refundId: id }),
});

export const refundReject = defineCommand('refund.reject', {
  permission: 'refund.approve',
  description: 'Reject a pending refund with a reason.',
  payload: z.object({ refundId: id, reason }),
});

export const refundList = defineCommand('refund.list', {
  permission: 'folio.read',
  description: 'Refund requests of the property, newest first (pending only unless `all`). Emits no event.',
  payload: z.object({ propertyId: id, all: z.boolean().optional() }),
});

export const paymentCollect = defineCommand('payment.collect', {
  permission: 'payment.take',
  description: 'Collect a pending payment (a deposit the booking site recorded as due): it is received now, by this method, and credited to its folio.',
  payload: z.object({
    paymentId: id,
    method: folioPaymentMethod,
    reference: z.string().trim().min(1).max(100).optional(),
    cardLast4: z.string().regex(/^[0-9]{4}$/, 'Four digits').optional(),
  }).refine((p) => p.method === 'card' || p.cardLast4 === undefined, { message: 'Only a card payment has card digits', path: ['cardLast4'] }),
});

export const paymentList = defineCommand('payment.list', {
  permission: 'folio.read',
  description: 'Payments of a stay (all its folios) with what each can still refund. Emits no event.',
  payload: z.object({ reservationId: id }),
});

// ---------- invoices ----------

export const invoiceIssue = defineCommand('invoice.issue', {
  permission: 'invoice.issue',
  description: 'Issue an invoice for the folio\'s lines not yet invoiced; numbered without gaps and never changed afterwards.',
  payload: z.object({ folioId: id, billTo: z.string().trim().min(1).max(300).optional() }),
});
export const invoiceIssueResult = z.object({ invoiceId: id, number: z.number().int(), displayNumber: z.string() });

export const invoiceCredit = defineCommand('invoice.credit', {
  permission: 'invoice.credit',
  description: 'Cancel an issued invoice with a credit note (its own number); the lines can then be invoiced again.',
  payload: z.object({ invoiceId: id, reason }),
});

export const invoiceGet = defineCommand('invoice.get', {
  permission: 'folio.read',
  description: 'One invoice or credit note. The PDF is at GET /api/invoices/<invoiceId>.pdf (bearer access token). Emits no event.',
  payload: z.object({ invoiceId: id }),
});

export const invoiceList = defineCommand('invoice.list', {
  permission: 'folio.read',
  description: 'Invoices and credit notes of a stay, or of the property (newest first, at most 200). Emits no event.',
  payload: z.union([z.object({ reservationId: id }).strict(), z.object({ propertyId: id }).strict()]),
});

// ---------- settings ----------

export const billingConfigure = defineCommand('billing.configure', {
  permission: 'billing.configure',
  description: 'Set the city tax per person per night (and whether children pay it) and the VAT rate included per department.',
  payload: z.object({
    propertyId: id,
    cityTaxPerPersonNight: z.number().int().min(0).max(100_000).optional(),
    cityTaxChildren: z.boolean().optional(),
    taxRates: z.partialRecord(department, z.number().int().min(0).max(10_000)).optional(),
  }),
});

// ---------- events ----------

export const folioUpdated = defineEvent('folio.updated', {
  description: 'A folio changed: a line was posted (charge, payment, reversal, transfer) or a pending payment was recorded or voided; `balance` is the new balance. Boards refetch with folio.get when showing it.',
  payload: z.object({ folioId: id, reservationId: id.nullable(), balance: minorUnits, currency, kind: folioKind, name: z.string() }),
});

export const paymentReceived = defineEvent('payment.received', {
  description: 'A payment was recorded on a folio.',
  payload: folioPaymentView.extend({ balance: minorUnits }),
});

export const refundRequested = defineEvent('refund.requested', {
  description: 'A refund waits for a manager\'s decision.',
  payload: refundView,
});

export const refundDecided = defineEvent('refund.decided', {
  description: 'A refund was approved (and posted) or rejected.',
  payload: refundView,
});

export const invoiceIssued = defineEvent('invoice.issued', {
  description: 'An invoice or a credit note was issued (kind says which).',
  payload: z.object({
    invoiceId: id, folioId: id, reservationId: id.nullable(), kind: z.enum(['invoice', 'credit_note']), number: z.number().int(), displayNumber: z.string(),
    total: minorUnits, currency, creditOfInvoiceId: id.nullable(),
  }),
});

export const billingConfigured = defineEvent('billing.configured', {
  description: 'The property\'s billing settings changed.',
  payload: billingSettingsView,
});

// ---------- snapshot ----------

/** The billing part of the property snapshot (`sync` without `since`). */
export type BillingSnapshot = {
  /** Balance per stay (sum over its folios) for reservations not yet departed or still owing. */
  folioBalances: Array<{ reservationId: string; balance: number; currency: string; folios: number }>;
  /** House, outlet and receivable accounts with their balances. */
  accounts: FolioSummary[];
  /** Refund requests waiting for a manager. */
  pendingRefunds: RefundView[];
  billingSettings: BillingSettingsView;
};

/** Prints an amount in minor units for people (2 decimals). */
export function formatMoney(amount: number, currencyCode: string): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currencyCode}`;
}

export const billingCommands = [
  folioGet, folioCreate, folioPostCharge, folioAdjust, folioReverse, folioRoute, folioTransferToReceivable, folioTakePayment,
  refundRequest, refundApprove, refundReject, refundList, paymentList, paymentCollect, invoiceIssue, invoiceCredit, invoiceGet, invoiceList, billingConfigure,
] as const;
export const billingEvents = [folioUpdated, paymentReceived, refundRequested, refundDecided, invoiceIssued, billingConfigured] as const;
