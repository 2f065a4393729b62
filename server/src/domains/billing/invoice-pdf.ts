// The printable invoice: pdfkit with its built-in Helvetica (no font files to ship).
import PDFDocument from 'pdfkit';
import { formatMoney, type InvoiceView } from '@innboard/shared';

export interface Issuer {
  name: string;
}

const money = (amount: number, currency: string) => formatMoney(amount, currency);
const percent = (bp: number) => `${(bp / 100).toFixed(bp % 100 ? 2 : 0)} %`;

/** Renders an issued invoice or credit note exactly as stored (the document never changes). */
export function renderInvoicePdf(invoice: InvoiceView, issuer: Issuer): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: invoice.displayNumber, Author: issuer.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const title = invoice.kind === 'invoice' ? 'Invoice' : 'Credit note';
  doc.font('Helvetica-Bold').fontSize(18).text(issuer.name);
  doc.moveDown(0.5).fontSize(14).text(`${title} ${invoice.displayNumber}`);
  doc.font('Helvetica').fontSize(10)
    .text(`Date: ${invoice.businessDate}`)
    .text(`Bill to: ${invoice.billTo}`);
  if (invoice.reason) doc.text(`Reason: ${invoice.reason}`);
  doc.moveDown();

  const cols = { date: 50, text: 120, qty: 330, unit: 370, vat: 440, amount: 480 };
  const row = (cells: { date: string; text: string; qty: string; unit: string; vat: string; amount: string }, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    doc.text(cells.date, cols.date, y, { width: 65 });
    doc.text(cells.text, cols.text, y, { width: 205 });
    const textBottom = doc.y;
    doc.text(cells.qty, cols.qty, y, { width: 35, align: 'right' });
    doc.text(cells.unit, cols.unit, y, { width: 65, align: 'right' });
    doc.text(cells.vat, cols.vat, y, { width: 35, align: 'right' });
    doc.text(cells.amount, cols.amount, y, { width: 65, align: 'right' });
    doc.x = 50;
    doc.y = Math.max(textBottom, doc.y) + 3;
  };
  row({ date: 'Date', text: 'Description', qty: 'Qty', unit: 'Unit', vat: 'VAT', amount: 'Amount' }, true);
  for (const l of invoice.lines) {
    row({ date: l.businessDate, text: l.description, qty: String(l.quantity), unit: money(l.unitAmount, invoice.currency), vat: percent(l.taxRateBp), amount: money(l.amount, invoice.currency) });
  }
  doc.moveDown();
  doc.font('Helvetica-Bold').text(`Total: ${money(invoice.total, invoice.currency)}`, { align: 'right' });
  doc.font('Helvetica');
  for (const t of invoice.taxBreakdown) {
    doc.text(`VAT ${percent(t.taxRateBp)}: net ${money(t.net, invoice.currency)}, tax ${money(t.tax, invoice.currency)}, gross ${money(t.gross, invoice.currency)}`, { align: 'right' });
  }
  if (invoice.kind === 'invoice') {
    doc.text(`Paid: ${money(invoice.paid, invoice.currency)}`, { align: 'right' });
    doc.font('Helvetica-Bold').text(`Balance due: ${money(invoice.total - invoice.paid, invoice.currency)}`, { align: 'right' });
  }
  doc.end();
  return done;
}
