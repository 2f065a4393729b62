import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolioView, InvoiceView } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, hotelOf, ok, type Conn, type Hotel } from '../reservations/testing.ts';
import { guestFolio, stay } from './testing.ts';

interface Issued {
  invoiceId: string;
  number: number;
  displayNumber: string;
}

describe('invoices: gapless numbers, immutability, credit notes, PDF over HTTP', () => {
  let server: TestServer;
  let desk: Conn;
  let manager: Conn;
  let hk: Conn;
  let harbor: Conn;
  let h: Hotel;

  beforeAll(async () => {
    server = await startTestServer();
    [desk, manager, hk, harbor] = await Promise.all(
      ['frontdesk@innboard.demo', 'manager@innboard.demo', 'housekeeping@innboard.demo', 'harbor.frontdesk@innboard.demo'].map((e) => loginAndConnect(server.url, e)),
    );
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, manager, hk, harbor]) c?.close();
    await server?.stop();
  });

  const houseAccount = async (name: string) => ok(await manager.command<FolioView>('folio.create', { propertyId: desk.propertyId, kind: 'house', name }));
  const charge = (folioId: string, department: string, amount: number, quantity = 1) =>
    desk.command('folio.postCharge', { folioId, department, description: `${department} charge`, amount, quantity });

  it('issues an invoice with a VAT breakdown and payments; lines already invoiced are not invoiced twice', async () => {
    ok(await manager.command('billing.configure', { propertyId: desk.propertyId, taxRates: { room: 700, food: 1900 } }));
    const res = await stay(desk, h, 'Ivo');
    const folio = await guestFolio(desk, res);
    ok(await charge(folio.folioId, 'room', 10700));
    ok(await charge(folio.folioId, 'food', 1190, 2));
    ok(await desk.command('folio.takePayment', { folioId: folio.folioId, method: 'bank_transfer', amount: 5000, reference: 'SEPA-1' }));
    const issued = manager.waitForEvent((e) => e.type === 'invoice.issued');
    const inv = ok(await desk.command<Issued>('invoice.issue', { folioId: folio.folioId }));
    expect((await issued).payload).toMatchObject({ invoiceId: inv.invoiceId, kind: 'invoice', number: inv.number, total: 13080 });
    const view = ok(await desk.command<InvoiceView>('invoice.get', { invoiceId: inv.invoiceId }));
    expect(view).toMatchObject({ billTo: 'Ivo Tester', total: 13080, paid: 5000, kind: 'invoice', displayNumber: inv.displayNumber });
    expect(view.taxBreakdown).toEqual([
      { taxRateBp: 700, net: 10000, tax: 700, gross: 10700 },
      { taxRateBp: 1900, net: 2000, tax: 380, gross: 2380 },
    ]);
    expect((await guestFolio(desk, res)).lines.filter((l) => l.kind === 'charge').every((l) => l.invoiceId === inv.invoiceId)).toBe(true);
    expect(errorCode(await desk.command('invoice.issue', { folioId: folio.folioId }))).toBe('CONFLICT');
  });

  it('numbers invoices per property without gaps or duplicates when many are issued at once', async () => {
    const folios = await Promise.all(Array.from({ length: 8 }, (_, i) => houseAccount(`Outlet ${i}`)));
    for (const f of folios) ok(await charge(f.folioId, 'misc', 100));
    const before = ok(await desk.command<{ invoices: InvoiceView[] }>('invoice.list', { propertyId: desk.propertyId })).invoices;
    const highest = Math.max(0, ...before.map((i) => i.number));
    // Two sockets, all at once; one folio issued twice in the race must give one invoice and one CONFLICT.
    const acks = await Promise.all([
      ...folios.map((f, i) => (i % 2 ? desk : manager).command<Issued>('invoice.issue', { folioId: f.folioId })),
      manager.command<Issued>('invoice.issue', { folioId: folios[0]!.folioId }),
    ]);
    const numbers = acks.filter((a) => a.ok).map((a) => (a.ok ? a.result.number : 0)).sort((a, b) => a - b);
    expect(acks.filter((a) => !a.ok).map(errorCode)).toEqual(['CONFLICT']);
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => highest + 1 + i));
  });

  it('a credit note (manager) cancels an invoice under the next number; the lines can be invoiced again', async () => {
    const f = await houseAccount('Banquet');
    ok(await charge(f.folioId, 'food', 2500, 4));
    const inv = ok(await desk.command<Issued>('invoice.issue', { folioId: f.folioId }));
    expect(errorCode(await desk.command('invoice.credit', { invoiceId: inv.invoiceId, reason: 'Wrong company' }))).toBe('FORBIDDEN');
    const cn = ok(await manager.command<Issued>('invoice.credit', { invoiceId: inv.invoiceId, reason: 'Wrong company' }));
    expect(cn.number).toBe(inv.number + 1);
    expect(cn.displayNumber).toMatch(/^CN-/);
    const credit = ok(await desk.command<InvoiceView>('invoice.get', { invoiceId: cn.invoiceId }));
    expect(credit).toMatchObject({ kind: 'credit_note', total: -10000, creditOfInvoiceId: inv.invoiceId, reason: 'Wrong company' });
    const original = ok(await desk.command<InvoiceView>('invoice.get', { invoiceId: inv.invoiceId }));
    expect(original).toMatchObject({ total: 10000, creditedByInvoiceId: cn.invoiceId });
    expect(errorCode(await manager.command('invoice.credit', { invoiceId: inv.invoiceId, reason: 'Again' }))).toBe('CONFLICT');
    const again = ok(await desk.command<Issued>('invoice.issue', { folioId: f.folioId, billTo: 'Right Company AG' }));
    expect(again.number).toBe(cn.number + 1);
  });

  it('serves the PDF to an authorized bearer only: 401 without a valid token, 403 for a role without folio access, 404 for unknown or foreign', async () => {
    const f = await houseAccount('PDF test');
    ok(await charge(f.folioId, 'parking', 1500, 2));
    const inv = ok(await desk.command<Issued>('invoice.issue', { folioId: f.folioId }));
    const get = (id: string, token?: string) => fetch(`${server.url}/api/invoices/${id}.pdf`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const res = await get(inv.invoiceId, desk.session.accessToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(1000);
    expect((await get(inv.invoiceId)).status).toBe(401);
    expect((await get(inv.invoiceId, `${desk.session.accessToken}x`)).status).toBe(401);
    expect((await get(inv.invoiceId, hk.session.accessToken)).status).toBe(403);
    expect((await get(inv.invoiceId, harbor.session.accessToken)).status).toBe(404);
    expect((await get('00000000-0000-4000-8000-000000000000', desk.session.accessToken)).status).toBe(404);
    expect((await get('not-a-uuid', desk.session.accessToken)).status).toBe(404);
  });
});
