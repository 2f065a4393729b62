import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolioPaymentView, RefundView } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, hotelOf, ok, sql, type Conn, type Hotel } from '../reservations/testing.ts';
import { guestFolio, stay } from './testing.ts';

describe('payments and refunds: deposits, request -> approve/reject, never more than was paid', () => {
  let server: TestServer;
  let desk: Conn;
  let manager: Conn;
  let admin: Conn;
  let h: Hotel;

  beforeAll(async () => {
    server = await startTestServer();
    [desk, manager, admin] = await Promise.all(['frontdesk@innboard.demo', 'manager@innboard.demo', 'admin@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, manager, admin]) c?.close();
    await server?.stop();
  });

  /** A stay with a card payment of `amount`; returns the folio and payment ids. */
  async function paidStay(name: string, amount: number, arrive = true) {
    const res = await stay(desk, h, name, { arrive, from: arrive ? 0 : 5 });
    const folio = await guestFolio(desk, res);
    const pay = ok(await desk.command<{ paymentId: string }>('folio.takePayment', { folioId: folio.folioId, method: 'card', amount, reference: 'T-1', cardLast4: '0005' }));
    return { res, folioId: folio.folioId, paymentId: pay.paymentId };
  }
  const payments = async (reservationId: string) => ok(await desk.command<{ payments: FolioPaymentView[] }>('payment.list', { reservationId })).payments;

  it('a payment before arrival is a deposit and shows as a credit on the folio', async () => {
    const { res, folioId } = await paidStay('Early', 20000, false);
    expect((await payments(res))[0]).toMatchObject({ deposit: true, amount: 20000, refundable: 20000, method: 'card', cardLast4: '0005' });
    expect((await guestFolio(desk, res)).balance).toBe(-20000);
    expect((await guestFolio(desk, res)).lines[0]).toMatchObject({ kind: 'payment', amount: -20000, description: expect.stringMatching(/^Deposit/) });
    expect(folioId).toBeTruthy();
  });

  it('the desk requests, a manager is notified and approves; the refund posts against the original payment', async () => {
    const { res, paymentId } = await paidStay('Refundee', 10000);
    const noticed = manager.waitForNotification((n) => n.kind === 'refund_to_approve');
    const requested = manager.waitForEvent((e) => e.type === 'refund.requested');
    const { refundId } = ok(await desk.command<{ refundId: string }>('refund.request', { paymentId, amount: 4000, reason: 'Room not cleaned' }));
    expect((await requested).payload).toMatchObject({ refundId, paymentId, amount: 4000, status: 'pending', requestedById: desk.session.user.id });
    expect((await noticed).ref).toEqual({ type: 'refund', id: refundId });
    expect(desk.notifications.some((n) => n.kind === 'refund_to_approve')).toBe(false);
    // Front desk may ask but not decide.
    expect(errorCode(await desk.command('refund.approve', { refundId }))).toBe('FORBIDDEN');
    const decided = desk.waitForEvent((e) => e.type === 'refund.decided');
    const view = ok(await manager.command<RefundView>('refund.approve', { refundId }));
    expect(view).toMatchObject({ status: 'approved', decidedById: manager.session.user.id });
    expect((await decided).payload).toMatchObject({ refundId, status: 'approved' });
    const folio = await guestFolio(desk, res);
    expect(folio.balance).toBe(-6000);
    expect(folio.lines.at(-1)).toMatchObject({ kind: 'refund', amount: 4000, paymentId });
    expect((await payments(res))[0]!.refundable).toBe(6000);
    expect(errorCode(await manager.command('refund.approve', { refundId }))).toBe('CONFLICT');
    expect(errorCode(await manager.command('refund.reject', { refundId, reason: 'Changed my mind' }))).toBe('CONFLICT');
  });

  it('the requester cannot approve their own request, even as a manager; another manager can', async () => {
    const { paymentId } = await paidStay('Self', 5000);
    const { refundId } = ok(await manager.command<{ refundId: string }>('refund.request', { paymentId, amount: 5000, reason: 'Double charge' }));
    expect(errorCode(await manager.command('refund.approve', { refundId }))).toBe('FORBIDDEN');
    expect((await sql<{ status: string }>(server, 'select status from refund where id = ?', [refundId]))[0]!.status).toBe('pending');
    expect(ok(await admin.command<RefundView>('refund.approve', { refundId })).status).toBe('approved');
  });

  it('refunds never exceed what was paid: pending requests count, and a rejection frees the amount', async () => {
    const { res, paymentId } = await paidStay('Limit', 3000);
    expect(errorCode(await desk.command('refund.request', { paymentId, amount: 3001, reason: 'Too much' }))).toBe('CONFLICT');
    const first = ok(await desk.command<{ refundId: string }>('refund.request', { paymentId, amount: 2000, reason: 'Part one' }));
    expect(errorCode(await desk.command('refund.request', { paymentId, amount: 1001, reason: 'Part two' }))).toBe('CONFLICT');
    expect(errorCode(await manager.command('refund.reject', { refundId: first.refundId, reason: 'x' }))).toBe('VALIDATION');
    expect(ok(await manager.command<RefundView>('refund.reject', { refundId: first.refundId, reason: 'Not justified' }))).toMatchObject({ status: 'rejected', decisionReason: 'Not justified' });
    expect((await guestFolio(desk, res)).balance).toBe(-3000);
    // Two requests for the whole amount raced: only one is accepted.
    const acks = await Promise.all([1, 2].map((i) => desk.command('refund.request', { paymentId, amount: 3000, reason: `Race ${i}` })));
    expect(acks.map(errorCode).sort()).toEqual(['CONFLICT', 'OK']);
    const pending = ok(await manager.command<{ refunds: RefundView[] }>('refund.list', { propertyId: desk.propertyId })).refunds.filter((r) => r.paymentId === paymentId);
    expect(pending).toHaveLength(1);
    ok(await manager.command('refund.approve', { refundId: pending[0]!.refundId }));
    expect((await sql<{ refunded: number }>(server, 'select refunded from payment where id = ?', [paymentId]))[0]!.refunded).toBe(3000);
    expect((await guestFolio(desk, res)).balance).toBe(0);
  });
});
