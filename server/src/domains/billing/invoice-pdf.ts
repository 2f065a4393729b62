// The printable invoice: pdfkit with its built-in Helvetica (no font files to ship).
import PDFDocument from 'pdfkit';
import type { InvoiceView } from '@innboard/shared';

export interface Issuer {
  name: string;
}

/** Other documents the printout names: the invoice a credit note cancels. */
export interface Related {
  creditsNumber?: string | null;
}

const LEFT = 50;
const RIGHT = 545;
const GREY = '#666666';
/** Columns of the lines table; numbers carry no currency (the header states it) so 100,000.00 fits. */
const COLS = {
  date: { x: LEFT, w: 60 }, text: { x: 115, w: 190 }, qty: { x: 310, w: 30 }, unit: { x: 345, w: 75 }, vat: { x: 425, w: 40 }, amount: { x: 470, w: 75 },
} as const;
type Cells = Record<keyof typeof COLS, string>;

/** 1234567 -> "12,345.67" (2 decimals, as formatMoney). */
function grouped(minor: number): string {
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${minor < 0 ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')}`;
}
const percent = (bp: number) => `${(bp / 100).toFixed(bp % 100 ? 2 : 0)} %`;

/** Renders an issued invoice or credit note exactly as stored (the document never changes). */
export function renderInvoicePdf(invoice: InvoiceView, issuer: Issuer, related: Related = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: LEFT, bufferPages: true, info: { Title: invoice.displayNumber, Author: issuer.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const title = invoice.kind === 'invoice' ? 'Invoice' : 'Credit note';
  const rule = (y: number, width = 0.5) => doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(width).strokeColor('#999999').stroke();

  // Issuer on the left, the document's number and date on the right.
  const top = doc.y;
  doc.font('Helvetica-Bold').fontSize(18).fillColor('black').text(issuer.name, LEFT, top, { width: 280 });
  doc.fontSize(14).text(`${title} ${invoice.displayNumber}`, 330, top, { width: RIGHT - 330, align: 'right' });
  doc.font('Helvetica').fontSize(10)
    .text(`Date: ${invoice.businessDate}`, { width: RIGHT - 330, align: 'right' })
    .text(`Amounts in ${invoice.currency}`, { width: RIGHT - 330, align: 'right' });
  doc.y = Math.max(doc.y, top + 30) + 16;
  doc.font('Helvetica-Bold').text('Bill to', LEFT, doc.y);
  doc.font('Helvetica').text(invoice.billTo, { width: 280 });
  if (invoice.kind === 'credit_note') {
    doc.moveDown(0.6).font('Helvetica-Bold').text(`Cancels invoice ${related.creditsNumber ?? ''}`.trim());
    if (invoice.reason) doc.font('Helvetica').text(`Reason: ${invoice.reason}`, { width: RIGHT - LEFT });
  }
  doc.moveDown(1.2);

  const row = (cells: Cells, bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    const height = Math.max(...(Object.keys(COLS) as (keyof Cells)[]).map((k) => doc.heightOfString(cells[k], { width: COLS[k].w })));
    // A row never splits over a page; a new page repeats the table head.
    if (!bold && doc.y + height > doc.page.maxY() - 20) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    for (const k of Object.keys(COLS) as (keyof Cells)[]) {
      doc.text(cells[k], COLS[k].x, y, { width: COLS[k].w, align: k === 'date' || k === 'text' ? 'left' : 'right' });
    }
    doc.x = LEFT;
    doc.y = y + height + 4;
  };
  const header = () => {
    row({ date: 'Date', text: 'Description', qty: 'Qty', unit: 'Unit price', vat: 'VAT', amount: 'Amount' }, true);
    rule(doc.y - 2);
    doc.y += 3;
  };
  header();
  for (const l of invoice.lines) {
    row({ date: l.businessDate, text: l.description, qty: String(l.quantity), unit: grouped(l.unitAmount), vat: percent(l.taxRateBp), amount: grouped(l.amount) });
  }
  rule(doc.y);
  doc.y += 8;

  // Totals and the VAT breakdown, right-aligned under the amount column.
  const pair = (label: string, value: string, bold = false) => {
    if (doc.y + 14 > doc.page.maxY() - 20) doc.addPage();
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    doc.text(label, 250, y, { width: 210, align: 'right' });
    doc.text(value, COLS.amount.x, y, { width: COLS.amount.w, align: 'right' });
    doc.x = LEFT;
    doc.y = y + 15;
  };
  pair(`Total (${invoice.currency})`, grouped(invoice.total), true);
  for (const t of invoice.taxBreakdown) {
    pair(`incl. VAT ${percent(t.taxRateBp)} on net ${grouped(t.net)}`, grouped(t.tax));
  }
  if (invoice.kind === 'invoice') {
    pair('Paid', grouped(invoice.paid));
    pair(`Balance due (${invoice.currency})`, grouped(invoice.total - invoice.paid), true);
  }

  // Footer on every page: who issued it, which document, page n of N.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor(GREY)
      .text(`${issuer.name} · ${title} ${invoice.displayNumber} · Page ${i - range.start + 1} of ${range.count}`, LEFT, doc.page.height - 35, { width: RIGHT - LEFT, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
