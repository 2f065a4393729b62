// Rules of invoices: issued from a folio's lines not yet invoiced, numbered per property without
// gaps, never changed; a credit note (next number) cancels one and frees its lines for a new invoice.
import {
  invoiceIssued, type InvoiceView, type PayloadOf, type invoiceCredit, type invoiceGet, type invoiceIssue, type invoiceList,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, notFound } from '../../pipeline/errors.ts';
import { Folio, FolioLine, Invoice, type InvoiceLineRecord, type TaxRow } from './entities.ts';
import { billingFacts, findStay, lockFolio } from './folios.ts';
import { displayNumber, invoiceViews } from './views.ts';

const REVENUE_KINDS = ['charge', 'adjustment', 'reversal'] as const;
const SETTLEMENT_KINDS = ['payment', 'refund'] as const;

/** VAT contained in gross amounts, per rate; computed on each rate's total so rounding happens once per rate. */
export function taxBreakdown(lines: Array<{ amount: number; taxRateBp: number }>): TaxRow[] {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.taxRateBp, (byRate.get(l.taxRateBp) ?? 0) + l.amount);
  return [...byRate.entries()].sort(([a], [b]) => a - b).map(([taxRateBp, gross]) => {
    const tax = Math.round((gross * taxRateBp) / (10_000 + taxRateBp));
    return { taxRateBp, net: gross - tax, tax, gross };
  });
}

/**
 * The next number of the property. The upsert row-locks the counter until this transaction ends: a
 * concurrent issue waits, and a rollback returns the number, so numbers never skip or repeat.
 */
async function nextNumber(ctx: CommandContext): Promise<number> {
  const [row] = await ctx.em.execute<{ last_number: number }[]>(
    `insert into invoice_counter (property_id, last_number) values (?, 1)
     on conflict (property_id) do update set last_number = invoice_counter.last_number + 1 returning last_number`,
    [ctx.propertyId],
  );
  return Number(row!.last_number);
}

/** Line ids covered by the folio's invoices that no credit note cancelled. */
async function invoicedLineIds(ctx: CommandContext, folioId: string): Promise<Set<string>> {
  const rows = await ctx.em.execute<{ line_id: string }[]>(
    `select l->>'lineId' as line_id from invoice i, jsonb_array_elements(i.lines) l
      where i.folio_id = ? and i.kind = 'invoice' and not exists (select 1 from invoice c where c.credit_of_id = i.id)`,
    [folioId],
  );
  return new Set(rows.map((r) => r.line_id));
}

function toRecord(line: FolioLine): InvoiceLineRecord {
  return {
    lineId: line.id, description: line.description, department: line.department ?? null, businessDate: line.businessDate,
    quantity: line.quantity, unitAmount: line.unitAmount, amount: line.amount, taxRateBp: line.taxRateBp,
  };
}

function announce(ctx: CommandContext, invoice: Invoice, folio: Folio): void {
  ctx.emit(invoiceIssued, {
    invoiceId: invoice.id, folioId: folio.id, reservationId: folio.reservation?.id ?? null, kind: invoice.kind, number: invoice.number,
    displayNumber: displayNumber(invoice.kind, invoice.number), total: invoice.total, currency: invoice.currency, creditOfInvoiceId: invoice.creditOf?.id ?? null,
  });
  ctx.recordChange({ type: 'invoice', id: invoice.id, after: { kind: invoice.kind, number: invoice.number, folioId: folio.id, total: invoice.total } });
}

export async function issueInvoice(ctx: CommandContext, input: PayloadOf<typeof invoiceIssue>) {
  const folio = await lockFolio(ctx, input.folioId);
  const lines = await ctx.em.find(FolioLine, { folio }, { orderBy: { postedAt: 'asc', id: 'asc' } });
  const covered = await invoicedLineIds(ctx, folio.id);
  const revenue = lines.filter((l) => (REVENUE_KINDS as readonly string[]).includes(l.kind) && !covered.has(l.id));
  if (!revenue.length) throw conflict('Nothing to invoice: every charge on this folio is already on an invoice');
  const paid = -lines.filter((l) => (SETTLEMENT_KINDS as readonly string[]).includes(l.kind)).reduce((sum, l) => sum + l.amount, 0);
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  const number = await nextNumber(ctx);
  const invoice = ctx.em.create(Invoice, {
    property: ctx.propertyId, folio, kind: 'invoice', number, billTo: input.billTo ?? folio.name, currency: folio.currency,
    lines: revenue.map(toRecord), taxBreakdown: taxBreakdown(revenue), total: revenue.reduce((s, l) => s + l.amount, 0), paid,
    creditOf: null, reason: null, issuedBy: ctx.actor.userId, issuedAt: ctx.now, businessDate: facts.businessDate,
  });
  ctx.em.persist(invoice);
  announce(ctx, invoice, folio);
  return { invoiceId: invoice.id, number, displayNumber: displayNumber('invoice', number) };
}

export async function creditInvoice(ctx: CommandContext, input: PayloadOf<typeof invoiceCredit>) {
  const original = await ctx.em.findOne(Invoice, { id: input.invoiceId, property: ctx.propertyId });
  if (!original) throw notFound('Invoice');
  if (original.kind === 'credit_note') throw conflict('A credit note cannot be credited');
  // The folio lock serialises this with invoice.issue on the same folio.
  const folio = await lockFolio(ctx, original.folio.id);
  if (await ctx.em.count(Invoice, { creditOf: original })) throw conflict('This invoice was already credited');
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  const number = await nextNumber(ctx);
  const negated = original.lines.map((l) => ({ ...l, unitAmount: -l.unitAmount, amount: -l.amount }));
  const note = ctx.em.create(Invoice, {
    property: ctx.propertyId, folio, kind: 'credit_note', number, billTo: original.billTo, currency: original.currency,
    lines: negated, taxBreakdown: taxBreakdown(negated), total: -original.total, paid: 0, creditOf: original, reason: input.reason,
    issuedBy: ctx.actor.userId, issuedAt: ctx.now, businessDate: facts.businessDate,
  });
  ctx.em.persist(note);
  announce(ctx, note, folio);
  return { invoiceId: note.id, number, displayNumber: displayNumber('credit_note', number) };
}

export async function getInvoice(ctx: CommandContext, input: PayloadOf<typeof invoiceGet>): Promise<InvoiceView> {
  const invoice = await ctx.em.findOne(Invoice, { id: input.invoiceId, property: ctx.propertyId }, { populate: ['folio'] });
  if (!invoice) throw notFound('Invoice');
  return (await invoiceViews(ctx.em, [invoice]))[0]!;
}

export async function listInvoices(ctx: CommandContext, input: PayloadOf<typeof invoiceList>): Promise<{ invoices: InvoiceView[] }> {
  const where = 'reservationId' in input
    ? { property: ctx.propertyId, folio: { reservation: (await findStay(ctx, input.reservationId)).id } }
    : { property: ctx.propertyId };
  const invoices = await ctx.em.find(Invoice, where, { populate: ['folio'], orderBy: { number: 'desc' }, limit: 200 });
  return { invoices: await invoiceViews(ctx.em, invoices) };
}
