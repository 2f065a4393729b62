import { describe, expect, it } from 'vitest';
import type { FolioLineView, FolioView, InvoiceView, FolioPaymentView } from '@innboard/shared';
import { creditable, defaultFolio, folioInvoices, invoiceStatus, invoicePdfPath, lineRows, paymentLabel, pendingPayments, refundablePayments, routes, uninvoicedCharges } from './folio.ts';

let n = 0;
function line(patch: Partial<FolioLineView>): FolioLineView {
  n++;
  return {
    lineId: `l${n}`, kind: 'charge', department: 'food', description: `line ${n}`, quantity: 1, unitAmount: 1000, amount: 1000, taxRateBp: 700,
    businessDate: '2026-12-05', reversesLineId: null, reversedByLineId: null, reason: null, paymentId: null, invoiceId: null, postedById: 'u',
    postedAt: `2026-12-05T10:${String(n).padStart(2, '0')}:00.000Z`, ...patch,
  };
}

function folio(patch: Partial<FolioView>): FolioView {
  return { folioId: 'f1', reservationId: 'r1', kind: 'guest', name: 'Ada Lovelace', balance: 0, currency: 'EUR', transferredAt: null, lines: [], routedDepartments: [], ...patch };
}

describe('folio view', () => {
  it('orders lines by posting and tells standing, reversed and reversal lines apart', () => {
    const dinner = line({ lineId: 'dinner', postedAt: '2026-12-05T19:00:00.000Z', reversedByLineId: 'rev' });
    const rev = line({ lineId: 'rev', kind: 'reversal', amount: -1000, reversesLineId: 'dinner', postedAt: '2026-12-05T20:00:00.000Z' });
    const room = line({ lineId: 'room', department: 'room', postedAt: '2026-12-05T02:00:00.000Z' });
    const pay = line({ lineId: 'pay', kind: 'payment', department: null, amount: -5000, paymentId: 'p1', postedAt: '2026-12-05T21:00:00.000Z' });
    const adj = line({ lineId: 'adj', kind: 'adjustment', amount: -200, postedAt: '2026-12-05T22:00:00.000Z' });
    const rows = lineRows(folio({ lines: [pay, rev, dinner, room, adj] }));
    expect(rows.map((r) => [r.line.lineId, r.state, r.reversible])).toEqual([
      ['room', 'posted', true], ['dinner', 'reversed', false], ['rev', 'reversal', false], ['pay', 'posted', false], ['adj', 'posted', true],
    ]);
  });

  it('picks the guest folio first and lists where departments are routed', () => {
    const company = folio({ folioId: 'c', kind: 'company', name: 'ACME Ltd', routedDepartments: ['room', 'tax'] });
    const guest = folio({ folioId: 'g' });
    expect(defaultFolio([company, guest])?.folioId).toBe('g');
    expect(defaultFolio([company])?.folioId).toBe('c');
    expect(defaultFolio([])).toBeUndefined();
    expect(routes([guest, company])).toEqual([
      { department: 'room', folioId: 'c', folioName: 'ACME Ltd' }, { department: 'tax', folioId: 'c', folioName: 'ACME Ltd' },
    ]);
  });

  it('counts the lines an invoice issued now would hold', () => {
    const f = folio({ lines: [line({ invoiceId: 'i1' }), line({}), line({ kind: 'payment', amount: -1000, paymentId: 'p' }), line({ kind: 'reversal', amount: -1000 })] });
    expect(uninvoicedCharges(f)).toBe(2);
  });

  it('offers refunds only on payments with something left to give back', () => {
    const p = (paymentId: string, refundable: number): FolioPaymentView => ({
      paymentId, folioId: 'f1', reservationId: 'r1', method: 'card', status: 'received', amount: 10000, currency: 'EUR', reference: null, cardLast4: '4242',
      deposit: false, refundable, receivedAt: '2026-12-05T10:00:00.000Z',
    });
    expect(refundablePayments([p('a', 0), p('b', 3000), p('c', 10000)]).map((x) => x.paymentId)).toEqual(['c', 'b']);
    expect(paymentLabel(p('a', 0))).toBe('Card ••4242');
    expect(paymentLabel({ method: 'bank_transfer', cardLast4: null, reference: 'SEPA-77' })).toBe('Bank transfer (SEPA-77)');
    const owed: FolioPaymentView = { ...p('d', 0), method: null, status: 'pending', cardLast4: null, deposit: true, reference: 'Booking site deposit' };
    expect(pendingPayments([p('a', 3000), owed]).map((x) => x.paymentId)).toEqual(['d']);
    expect(paymentLabel(owed)).toBe('To be paid (Booking site deposit)');
  });

  it('lists a folio\'s invoices newest first and builds the PDF address', () => {
    const inv = (invoiceId: string, number: number, folioId = 'f1') => ({ invoiceId, number, folioId }) as InvoiceView;
    expect(folioInvoices([inv('a', 1), inv('b', 3), inv('c', 2, 'f2')], 'f1').map((i) => i.invoiceId)).toEqual(['b', 'a']);
    expect(invoicePdfPath('0b8e-1')).toBe('/api/invoices/0b8e-1.pdf');
  });

  it('says whether an invoice stands, was credited, or is a credit note, and only a standing invoice may be credited', () => {
    const base = { kind: 'invoice', creditOfInvoiceId: null, creditedByInvoiceId: null } as const;
    const credited = { ...base, invoiceId: 'a', displayNumber: 'INV-000007', creditedByInvoiceId: 'b' } as InvoiceView;
    const note = { ...base, invoiceId: 'b', displayNumber: 'CN-000008', kind: 'credit_note', creditOfInvoiceId: 'a' } as InvoiceView;
    const standing = { ...base, invoiceId: 'c', displayNumber: 'INV-000009' } as InvoiceView;
    const all = [credited, note, standing];
    expect(all.map((i) => invoiceStatus(i, all))).toEqual(['Credited by CN-000008', 'Credit note for INV-000007', 'Issued']);
    expect(all.map(creditable)).toEqual([false, false, true]);
  });
});
