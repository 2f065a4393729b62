import type { EntityManager } from '@mikro-orm/postgresql';
import type { FolioLineView, FolioView, InvoiceView, FolioPaymentView, RefundView } from '@innboard/shared';
import { Folio, FolioLine, FolioRoute, Invoice, Payment, Refund } from './entities.ts';
import { balancesOf, toFolioSummary } from './folios.ts';

const iso = (d: Date | string): string => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null | undefined): string | null => (d ? iso(d) : null);

/** Line id -> the live (not credited) invoice that covers it. */
async function invoicedLines(em: EntityManager, folioIds: string[]): Promise<Map<string, string>> {
  if (!folioIds.length) return new Map();
  const rows = await em.execute<{ line_id: string; invoice_id: string }[]>(
    `select l->>'lineId' as line_id, i.id as invoice_id from invoice i, jsonb_array_elements(i.lines) l
      where i.folio_id = any(?::uuid[]) and i.kind = 'invoice' and not exists (select 1 from invoice c where c.credit_of_id = i.id)`,
    [`{${folioIds.join(',')}}`],
  );
  return new Map(rows.map((r) => [r.line_id, r.invoice_id]));
}

export function toLineView(line: FolioLine, reversedBy: Map<string, string>, invoiced: Map<string, string>): FolioLineView {
  return {
    lineId: line.id, kind: line.kind, department: line.department ?? null, description: line.description, quantity: line.quantity,
    unitAmount: line.unitAmount, amount: line.amount, taxRateBp: line.taxRateBp, businessDate: line.businessDate,
    reversesLineId: line.reversesLine?.id ?? null, reversedByLineId: reversedBy.get(line.id) ?? null, reason: line.reason ?? null,
    paymentId: line.paymentId ?? null, invoiceId: invoiced.get(line.id) ?? null, postedById: line.postedBy ?? null, postedAt: iso(line.postedAt),
  };
}

/** Full views of folios: lines oldest first, balances, routed departments. */
export async function folioViews(em: EntityManager, folios: Folio[]): Promise<FolioView[]> {
  const ids = folios.map((f) => f.id);
  if (!ids.length) return [];
  const [lines, balances, invoiced, routes] = await Promise.all([
    em.find(FolioLine, { folio: { $in: ids } }, { orderBy: { position: 'asc' } }),
    balancesOf(em, ids),
    invoicedLines(em, ids),
    em.find(FolioRoute, { folio: { $in: ids } }),
  ]);
  const reversedBy = new Map(lines.filter((l) => l.reversesLine).map((l) => [l.reversesLine!.id, l.id]));
  return folios.map((f) => ({
    ...toFolioSummary(f, balances.get(f.id)!),
    lines: lines.filter((l) => l.folio.id === f.id).map((l) => toLineView(l, reversedBy, invoiced)),
    routedDepartments: routes.filter((r) => r.folio.id === f.id && r.reservation.id === f.reservation?.id).map((r) => r.department).sort(),
  }));
}

export function toPaymentView(payment: Payment, pendingRefunds: number, reservationId: string | null): FolioPaymentView {
  return {
    paymentId: payment.id, folioId: payment.folio.id, reservationId, method: payment.method ?? null, status: payment.status, amount: payment.amount, currency: payment.currency,
    reference: payment.reference ?? null, cardLast4: payment.cardLast4 ?? null, deposit: payment.deposit,
    refundable: payment.status === 'received' ? payment.amount - payment.refunded - pendingRefunds : 0, receivedAt: iso(payment.receivedAt),
  };
}

export async function refundViews(em: EntityManager, refunds: Refund[]): Promise<RefundView[]> {
  if (!refunds.length) return [];
  await em.populate(refunds, ['payment', 'payment.folio']);
  const userIds = [...new Set(refunds.map((r) => r.requestedBy))];
  const names = new Map(
    (await em.execute<{ id: string; name: string }[]>('select id, name from app_user where id = any(?::uuid[])', [`{${userIds.join(',')}}`])).map((u) => [u.id, u.name]),
  );
  return refunds.map((r) => ({
    refundId: r.id, paymentId: r.payment.id, folioId: r.payment.folio.id, reservationId: r.payment.folio.reservation?.id ?? null,
    amount: r.amount, currency: r.payment.currency, reason: r.reason, status: r.status, requestedById: r.requestedBy,
    requestedByName: names.get(r.requestedBy) ?? 'Staff', decidedById: r.decidedBy ?? null, decisionReason: r.decisionReason ?? null,
    requestedAt: iso(r.requestedAt), decidedAt: isoOrNull(r.decidedAt),
  }));
}

const PREFIX = { invoice: 'INV', credit_note: 'CN' } as const;

export function displayNumber(kind: 'invoice' | 'credit_note', number: number): string {
  return `${PREFIX[kind]}-${String(number).padStart(6, '0')}`;
}

export function toInvoiceView(inv: Invoice, creditedBy: string | null): InvoiceView {
  return {
    invoiceId: inv.id, propertyId: inv.property.id, folioId: inv.folio.id, reservationId: inv.folio.reservation?.id ?? null, kind: inv.kind,
    number: inv.number, displayNumber: displayNumber(inv.kind, inv.number), billTo: inv.billTo, currency: inv.currency,
    lines: inv.lines.map(({ lineId: _id, ...l }) => l), taxBreakdown: inv.taxBreakdown, total: inv.total, paid: inv.paid,
    creditOfInvoiceId: inv.creditOf?.id ?? null, creditedByInvoiceId: creditedBy, reason: inv.reason ?? null, issuedById: inv.issuedBy,
    issuedAt: iso(inv.issuedAt), businessDate: inv.businessDate,
  };
}

/** Views of invoices (their folios must be loaded) with the credit note that cancelled each. */
export async function invoiceViews(em: EntityManager, invoices: Invoice[]): Promise<InvoiceView[]> {
  if (!invoices.length) return [];
  const credits = await em.find(Invoice, { creditOf: { $in: invoices.map((i) => i.id) } });
  const creditedBy = new Map(credits.map((c) => [c.creditOf!.id, c.id]));
  return invoices.map((i) => toInvoiceView(i, creditedBy.get(i.id) ?? null));
}
