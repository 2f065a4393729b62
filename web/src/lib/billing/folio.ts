import type { Department, FolioLineView, FolioView, InvoiceView, FolioPaymentMethod, FolioPaymentView, RefundView } from '@innboard/shared';

// What the folio view shows and offers, from folio.get / payment.list / invoice.list answers.

export const DEPARTMENT_LABEL: Record<Department, string> = {
  room: 'Room', tax: 'Tax', city_tax: 'City tax', food: 'Food', beverage: 'Beverage', minibar: 'Minibar', spa: 'Spa',
  laundry: 'Laundry', telephone: 'Telephone', parking: 'Parking', fees: 'Fees', misc: 'Miscellaneous',
};

export const METHOD_LABEL: Record<FolioPaymentMethod, string> = { cash: 'Cash', card: 'Card', bank_transfer: 'Bank transfer' };

/** Departments a person posts to by hand: room and tax come from the night audit. */
export const MANUAL_DEPARTMENTS: readonly Department[] = ['food', 'beverage', 'minibar', 'spa', 'laundry', 'telephone', 'parking', 'fees', 'misc'];

export type LineState = 'posted' | 'reversed' | 'reversal';

export interface LineRow {
  line: FolioLineView;
  state: LineState;
  /** A charge or adjustment still standing: it may be reversed. */
  reversible: boolean;
}

/** Lines in posting order, each marked as standing, reversed, or a reversal of another. */
export function lineRows(folio: FolioView): LineRow[] {
  return [...folio.lines]
    .sort((a, b) => a.postedAt.localeCompare(b.postedAt) || a.businessDate.localeCompare(b.businessDate))
    .map((line) => {
      const state: LineState = line.reversesLineId ? 'reversal' : line.reversedByLineId ? 'reversed' : 'posted';
      return { line, state, reversible: state === 'posted' && (line.kind === 'charge' || line.kind === 'adjustment') };
    });
}

/** The folio a stay's charges go to by default: its guest folio, else the first. */
export function defaultFolio(folios: readonly FolioView[]): FolioView | undefined {
  return folios.find((f) => f.kind === 'guest') ?? folios[0];
}

/** Where each department of a stay is routed when not to the default folio ("Room → ACME Ltd"). */
export function routes(folios: readonly FolioView[]): Array<{ department: Department; folioId: string; folioName: string }> {
  return folios.flatMap((f) => f.routedDepartments.map((department) => ({ department, folioId: f.folioId, folioName: f.name })));
}

/** Payments that can still give money back, largest refundable first. */
/** Payments owed but not yet taken (a booking-site deposit), for the desk to collect. */
export function pendingPayments(payments: readonly FolioPaymentView[]): FolioPaymentView[] {
  return payments.filter((p) => p.status === 'pending');
}

export function refundablePayments(payments: readonly FolioPaymentView[]): FolioPaymentView[] {
  return payments.filter((p) => p.refundable > 0).sort((a, b) => b.refundable - a.refundable);
}

/** Invoices of one folio, newest first; a credited invoice stays listed with its credit note. */
export function folioInvoices(invoices: readonly InvoiceView[], folioId: string): InvoiceView[] {
  return invoices.filter((i) => i.folioId === folioId).sort((a, b) => b.number - a.number);
}

/** Lines posted since the last invoice: what an invoice issued now would contain. */
export function uninvoicedCharges(folio: FolioView): number {
  return folio.lines.filter((l) => l.invoiceId === null && l.kind !== 'payment' && l.kind !== 'refund').length;
}

/** An invoice that no credit note cancelled yet: it may be credited. */
export function creditable(inv: InvoiceView): boolean {
  return inv.kind === 'invoice' && inv.creditedByInvoiceId === null;
}

/** "Issued", "Credited by CN-000043", "Credit note for INV-000042", from the stay's invoice list. */
export function invoiceStatus(inv: InvoiceView, all: readonly InvoiceView[]): string {
  const number = (id: string | null) => all.find((i) => i.invoiceId === id)?.displayNumber ?? 'another invoice';
  if (inv.kind === 'credit_note') return `Credit note for ${number(inv.creditOfInvoiceId)}`;
  return inv.creditedByInvoiceId ? `Credited by ${number(inv.creditedByInvoiceId)}` : 'Issued';
}

/** "Card ••4242", "Cash", "Bank transfer (REF-1)" */
export function paymentLabel(p: Pick<FolioPaymentView, 'method' | 'cardLast4' | 'reference'>): string {
  const base = p.method === null ? 'To be paid' : p.method === 'card' && p.cardLast4 ? `Card ••${p.cardLast4}` : METHOD_LABEL[p.method];
  return p.reference ? `${base} (${p.reference})` : base;
}

export const REFUND_STATUS_LABEL: Record<RefundView['status'], string> = { pending: 'Waiting for a manager', approved: 'Approved', rejected: 'Rejected' };

/** The invoice PDF's address on the server. */
export const invoicePdfPath = (invoiceId: string): string => `/api/invoices/${encodeURIComponent(invoiceId)}.pdf`;
