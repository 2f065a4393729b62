import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityResult, FolioPaymentView, FolioView } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, hotelOf, ok, sql, type Conn, type Hotel } from '../reservations/testing.ts';

// The booking site's deposit is billing's: a pending payment on the stay's guest folio (balance
// untouched), collected at the desk (credited, takings count it), voided when the guest cancels.

async function post(server: TestServer, path: string, form: Record<string, string | number>) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(form).map(([k, v]): [string, string] => [k, String(v)])).toString(),
  });
  return { status: res.status, body: await res.text() };
}

describe('booking-site deposit on the guest folio', () => {
  let server: TestServer;
  let desk: Conn;
  let harbor: Conn;
  let h: Hotel;

  /** Books two nights online; answers the manage token, the reservation and the first night's price. */
  async function bookOnline(firstName: string, day: number) {
    const type = h.type('STD');
    const search = ok(await desk.command<AvailabilityResult>('availability.search', { propertyId: desk.propertyId, arrival: h.day(day), departure: h.day(day + 2), adults: 1 }));
    const quote = search.roomTypes.find((t) => t.roomTypeId === type.id)!.quotes[0]!;
    const res = await post(server, '/book/demo-hotel', {
      requestId: randomUUID(), roomTypeId: type.id, ratePlanId: quote.ratePlanId, arrival: h.day(day), departure: h.day(day + 2), adults: 1, firstName, lastName: 'Deposit', email: 'd@example.com',
    });
    expect(res.status).toBe(200);
    const token = decodeURIComponent(/token=([^"&]+)/.exec(res.body)![1]!);
    const [row] = await sql<{ id: string; first: number }>(server, `select r.id, (select amount from reservation_night n where n.reservation_id = r.id order by date limit 1) as first
      from reservation r join guest g on g.id = r.guest_id where g.first_name = ?`, [firstName]);
    return { token, reservationId: row!.id, firstNight: Number(row!.first) };
  }
  const payments = async (reservationId: string) => ok(await desk.command<{ payments: FolioPaymentView[] }>('payment.list', { reservationId })).payments;
  const guestFolio = async (reservationId: string) => ok(await desk.command<{ folios: FolioView[] }>('folio.get', { reservationId })).folios.find((f) => f.kind === 'guest')!;
  const managePage = async (token: string) => (await fetch(`${server.url}/book/demo-hotel/manage?token=${encodeURIComponent(token)}`)).text();

  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_REQUESTS_PER_MINUTE: '1000', PUBLIC_WRITES_PER_MINUTE: '1000' } });
    [desk, harbor] = await Promise.all(['frontdesk@innboard.demo', 'harbor.frontdesk@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, harbor]) c?.close();
    await server?.stop();
  });

  it('records the first night as a pending deposit on the guest folio; the desk collects it and the folio is credited', async () => {
    const { token, reservationId, firstNight } = await bookOnline('Dora', 3);
    expect(firstNight).toBeGreaterThan(0);
    const [deposit] = await payments(reservationId);
    expect(deposit).toMatchObject({ status: 'pending', deposit: true, method: null, amount: firstNight, refundable: 0, reference: 'Booking site deposit', reservationId });
    const folio = await guestFolio(reservationId);
    expect(deposit!.folioId).toBe(folio.folioId);
    expect(folio.balance).toBe(0);
    expect(folio.lines).toEqual([]);
    // Boards showing the stay's folio hear of the deposit now owed (no line, same balance).
    const owed = await desk.waitForEvent((e) => e.type === 'folio.updated' && (e.payload as { reservationId: string }).reservationId === reservationId);
    expect(owed.payload).toMatchObject({ folioId: folio.folioId, kind: 'guest', balance: 0 });
    expect(await managePage(token)).toContain('data-testid="deposit-status">to be paid</span>');

    // Nothing came in yet, so nothing can be refunded; another hotel's desk cannot see or collect it.
    expect(errorCode(await desk.command('refund.request', { paymentId: deposit!.paymentId, amount: 100, reason: 'Too early' }))).toBe('CONFLICT');
    expect(errorCode(await harbor.command('payment.collect', { paymentId: deposit!.paymentId, method: 'cash' }))).toBe('NOT_FOUND');
    expect(errorCode(await desk.command('payment.collect', { paymentId: deposit!.paymentId, method: 'cash', cardLast4: '1234' }))).toBe('VALIDATION');

    const collected = ok(await desk.command<{ paymentId: string; balance: number }>('payment.collect', { paymentId: deposit!.paymentId, method: 'card', cardLast4: '4242' }));
    expect(collected.balance).toBe(-firstNight);
    const received = await desk.waitForEvent((e) => e.type === 'payment.received' && (e.payload as FolioPaymentView).paymentId === deposit!.paymentId);
    expect(received.payload).toMatchObject({ status: 'received', method: 'card', cardLast4: '4242', deposit: true, amount: firstNight, refundable: firstNight });
    expect((await guestFolio(reservationId)).lines).toMatchObject([{ kind: 'payment', amount: -firstNight, description: 'Deposit: Card **** 4242' }]);
    expect(await managePage(token)).toContain('data-testid="deposit-status">paid</span>');
    expect(errorCode(await desk.command('payment.collect', { paymentId: deposit!.paymentId, method: 'cash' }))).toBe('CONFLICT');
  });

  it('a cancelled booking voids its pending deposit, which can then not be collected', async () => {
    const { token, reservationId } = await bookOnline('Vera', 6);
    const cancelled = await post(server, '/book/demo-hotel/manage/cancel', { token, requestId: randomUUID() });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toContain('data-testid="deposit-status">cancelled</span>');
    const [deposit] = await payments(reservationId);
    expect(deposit).toMatchObject({ status: 'void', refundable: 0 });
    // In the cancellation's own transaction, after it: an open folio panel refetches and shows it void.
    const cancelledEvent = await desk.waitForEvent((e) => e.type === 'reservation.cancelled' && (e.payload as { reservation: { id: string } }).reservation.id === reservationId);
    const voided = await desk.waitForEvent((e) => e.type === 'folio.updated' && e.seq > cancelledEvent.seq && (e.payload as { reservationId: string }).reservationId === reservationId);
    expect(voided.payload).toMatchObject({ folioId: deposit!.folioId, reservationId, balance: 0 });
    const commands = await sql<{ command_id: string }>(server, 'select distinct command_id from event_log where property_id = ? and seq in (?, ?)', [desk.propertyId, cancelledEvent.seq, voided.seq]);
    expect(commands).toHaveLength(1);
    expect(errorCode(await desk.command('payment.collect', { paymentId: deposit!.paymentId, method: 'cash' }))).toBe('CONFLICT');
    expect((await guestFolio(reservationId)).balance).toBe(0);
    const [audit] = await sql<{ changes: unknown }>(server, `select changes from audit_outbox where command_type = 'guestSite.cancel' and outcome = 'ok'`);
    expect(JSON.stringify(audit!.changes)).toContain('"void"');
  });

  it('a stay checked out without collecting its deposit is settled on its folio, not by collecting the deposit', async () => {
    const { reservationId } = await bookOnline('Cleo', 0);
    ok(await desk.command('reservation.assignRoom', { reservationId, roomId: h.snapshot.rooms.find((r) => r.roomTypeId === h.type('STD').id)!.id }));
    ok(await desk.command('reservation.checkIn', { reservationId }));
    ok(await desk.command('reservation.checkOut', { reservationId }));
    const [deposit] = await payments(reservationId);
    expect(errorCode(await desk.command('payment.collect', { paymentId: deposit!.paymentId, method: 'cash' }))).toBe('CONFLICT');
    expect((await payments(reservationId))[0]).toMatchObject({ status: 'pending' });
    expect((await guestFolio(reservationId)).balance).toBe(0);
  });
});
