import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolioView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, expectEventsMatchContract, hotelOf, ok, sql, type Conn, type Hotel } from '../reservations/testing.ts';
import { postCharge } from './posting.ts';
import { foliosOf, guestFolio, runInUnitOfWork, stay } from './testing.ts';

describe('folios: balances, routing, reversal, adjustments, check-out', () => {
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

  it('derives the balance from lines: charges minus payments, in minor units, live on folio.updated', async () => {
    const res = await stay(desk, h, 'Bala');
    const folio = await guestFolio(desk, res);
    expect(folio).toMatchObject({ kind: 'guest', balance: 0, currency: 'EUR', lines: [] });
    const updated = manager.waitForEvent((e) => e.type === 'folio.updated' && (e.payload as { balance: number }).balance === 3 * 450);
    ok(await desk.command('folio.postCharge', { folioId: folio.folioId, department: 'beverage', description: 'Espresso', amount: 450, quantity: 3 }));
    expect((await updated).payload).toMatchObject({ folioId: folio.folioId, reservationId: res, balance: 1350 });
    const pay = ok(await desk.command<{ paymentId: string; balance: number }>('folio.takePayment', { folioId: folio.folioId, method: 'card', amount: 1000, reference: 'AUTH-77', cardLast4: '4242' }));
    expect(pay.balance).toBe(350);
    const received = await manager.waitForEvent((e) => e.type === 'payment.received');
    expect(received.payload).toMatchObject({ paymentId: pay.paymentId, method: 'card', amount: 1000, cardLast4: '4242', reference: 'AUTH-77', deposit: false, balance: 350 });
    const after = await guestFolio(desk, res);
    expect(after.balance).toBe(350);
    expect(after.lines.map((l) => [l.kind, l.amount])).toEqual([['charge', 1350], ['payment', -1000]]);
    const [row] = await sql<{ sum: string }>(server, 'select sum(amount) as sum from folio_line where folio_id = ?', [folio.folioId]);
    expect(Number(row!.sum)).toBe(350);
    expectEventsMatchContract(manager.events);
  });

  it('routes a department to a company folio; other departments stay with the guest', async () => {
    const res = await stay(desk, h, 'Route');
    const company = ok(await desk.command<FolioView>('folio.create', { reservationId: res, kind: 'company', name: 'ACME GmbH' }));
    ok(await desk.command('folio.route', { reservationId: res, department: 'room', toFolioId: company.folioId }));
    // The posting service is what the night audit and POS use: it follows the stay's routing rules.
    await runInUnitOfWork(server, desk.propertyId, async (ctx) => {
      await postCharge(ctx, { reservationId: res, department: 'room', description: 'Room 1', amount: 12000 });
      await postCharge(ctx, { reservationId: res, department: 'minibar', description: 'Water', amount: 300 });
    });
    const folios = await foliosOf(desk, res);
    const guestF = folios.find((f) => f.kind === 'guest')!;
    const companyF = folios.find((f) => f.kind === 'company')!;
    expect(companyF).toMatchObject({ balance: 12000, routedDepartments: ['room'] });
    expect(guestF.balance).toBe(300);
    // Routing back to the guest folio removes the rule.
    ok(await desk.command('folio.route', { reservationId: res, department: 'room', toFolioId: guestF.folioId }));
    expect((await foliosOf(desk, res)).find((f) => f.kind === 'company')!.routedDepartments).toEqual([]);
    // Another stay's folio is not a routing target.
    const other = await stay(desk, h, 'Other');
    const otherFolio = await guestFolio(desk, other);
    expect(errorCode(await desk.command('folio.route', { reservationId: res, department: 'spa', toFolioId: otherFolio.folioId }))).toBe('VALIDATION');
  });

  it('reverses a charge with an opposite line, keeps the original, and refuses a second reversal or reversing a payment', async () => {
    const res = await stay(desk, h, 'Revers');
    const folio = await guestFolio(desk, res);
    ok(await desk.command('folio.postCharge', { folioId: folio.folioId, department: 'laundry', description: 'Shirt', amount: 800, quantity: 2 }));
    ok(await desk.command('folio.takePayment', { folioId: folio.folioId, method: 'cash', amount: 500 }));
    const [charge, payment] = (await guestFolio(desk, res)).lines;
    ok(await desk.command('folio.reverse', { folioId: folio.folioId, lineId: charge!.lineId, reason: 'Wrong room' }));
    const after = await guestFolio(desk, res);
    expect(after.balance).toBe(-500);
    expect(after.lines).toHaveLength(3);
    expect(after.lines[0]).toMatchObject({ lineId: charge!.lineId, amount: 1600, reversedByLineId: after.lines[2]!.lineId });
    expect(after.lines[2]).toMatchObject({ kind: 'reversal', amount: -1600, reversesLineId: charge!.lineId, reason: 'Wrong room' });
    expect(errorCode(await desk.command('folio.reverse', { folioId: folio.folioId, lineId: charge!.lineId, reason: 'Again' }))).toBe('CONFLICT');
    expect(errorCode(await desk.command('folio.reverse', { folioId: folio.folioId, lineId: payment!.lineId, reason: 'Oops' }))).toBe('CONFLICT');
    expect(errorCode(await desk.command('folio.reverse', { folioId: folio.folioId, lineId: after.lines[2]!.lineId, reason: 'Undo' }))).toBe('CONFLICT');
    expect((await guestFolio(desk, res)).lines).toHaveLength(3);
  });

  it('manual adjustments need a reason and the manager\'s permission', async () => {
    const res = await stay(desk, h, 'Adjust');
    const folio = await guestFolio(desk, res);
    ok(await desk.command('folio.postCharge', { folioId: folio.folioId, department: 'food', description: 'Dinner', amount: 5000 }));
    expect(errorCode(await desk.command('folio.adjust', { folioId: folio.folioId, department: 'food', amount: -1000, reason: 'Cold soup' }))).toBe('FORBIDDEN');
    expect(errorCode(await manager.command('folio.adjust', { folioId: folio.folioId, department: 'food', amount: -1000 }))).toBe('VALIDATION');
    ok(await manager.command('folio.adjust', { folioId: folio.folioId, department: 'food', amount: -1000, reason: 'Cold soup' }));
    const after = await guestFolio(desk, res);
    expect(after.balance).toBe(4000);
    expect(after.lines[1]).toMatchObject({ kind: 'adjustment', amount: -1000, reason: 'Cold soup' });
  });

  it('invalid, forbidden and foreign commands change nothing', async () => {
    const res = await stay(desk, h, 'Valid');
    const folio = await guestFolio(desk, res);
    const before = await sql(server, 'select count(*)::int as n from folio_line');
    const seqBefore = (await desk.sync(desk.propertyId, 0)) as { seq: number };
    for (const bad of [
      { folioId: folio.folioId, department: 'room', description: 'x', amount: -5 },
      { folioId: folio.folioId, department: 'room', description: 'x', amount: 10.5 },
      { folioId: folio.folioId, department: 'nope', description: 'x', amount: 5 },
      { folioId: folio.folioId, department: 'room', description: '', amount: 5 },
      { folioId: folio.folioId, department: 'room', description: 'x', amount: 5, quantity: 0 },
    ]) expect(errorCode(await desk.command('folio.postCharge', bad))).toBe('VALIDATION');
    expect(errorCode(await desk.command('folio.takePayment', { folioId: folio.folioId, method: 'cheque', amount: 100 }))).toBe('VALIDATION');
    expect(errorCode(await desk.command('folio.takePayment', { folioId: folio.folioId, method: 'cash', amount: 100, cardLast4: '1234' }))).toBe('VALIDATION');
    expect(errorCode(await hk.command('folio.postCharge', { folioId: folio.folioId, department: 'room', description: 'x', amount: 5 }))).toBe('FORBIDDEN');
    expect(errorCode(await hk.command('folio.get', { reservationId: res }))).toBe('FORBIDDEN');
    expect(errorCode(await harbor.command('folio.postCharge', { folioId: folio.folioId, department: 'room', description: 'x', amount: 5 }))).toBe('NOT_FOUND');
    expect(errorCode(await harbor.command('folio.get', { reservationId: res }))).toBe('NOT_FOUND');
    expect(errorCode(await desk.command('folio.postCharge', { folioId: '00000000-0000-4000-8000-000000000000', department: 'room', description: 'x', amount: 5 }))).toBe('NOT_FOUND');
    expect(await sql(server, 'select count(*)::int as n from folio_line')).toEqual(before);
    await settle(200);
    expect(((await desk.sync(desk.propertyId, 0)) as { seq: number }).seq).toBe(seqBefore.seq);
  });

  it('check-out answers CONFLICT while a folio owes, and succeeds once paid or transferred to accounts receivable', async () => {
    const paid = await stay(desk, h, 'Payer');
    const f1 = await guestFolio(desk, paid);
    ok(await desk.command('folio.postCharge', { folioId: f1.folioId, department: 'minibar', description: 'Chocolate', amount: 400 }));
    const refused = await desk.command('reservation.checkOut', { reservationId: paid });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await sql<{ status: string }>(server, 'select status from reservation where id = ?', [paid]))[0]!.status).toBe('checked_in');
    ok(await desk.command('folio.takePayment', { folioId: f1.folioId, method: 'cash', amount: 400 }));
    ok(await desk.command('reservation.checkOut', { reservationId: paid }));

    const company = await stay(desk, h, 'Corp');
    const cf = ok(await desk.command<FolioView>('folio.create', { reservationId: company, kind: 'company', name: 'Initech' }));
    ok(await desk.command('folio.postCharge', { folioId: cf.folioId, department: 'room', description: 'Room', amount: 9900 }));
    expect(errorCode(await desk.command('reservation.checkOut', { reservationId: company }))).toBe('CONFLICT');
    const moved = ok(await desk.command<{ receivableFolioId: string; amount: number }>('folio.transferToReceivable', { folioId: cf.folioId, reason: 'Initech pays monthly' }));
    expect(moved.amount).toBe(9900);
    ok(await desk.command('reservation.checkOut', { reservationId: company }));
    const ledger = ok(await desk.command<{ folios: FolioView[] }>('folio.get', { folioId: moved.receivableFolioId })).folios[0]!;
    expect(ledger).toMatchObject({ kind: 'receivable', balance: expect.any(Number) });
    expect(ledger.lines.at(-1)).toMatchObject({ kind: 'transfer', amount: 9900 });
    // A transferred folio takes no new charges.
    expect(errorCode(await desk.command('folio.postCharge', { folioId: cf.folioId, department: 'room', description: 'Late', amount: 100 }))).toBe('CONFLICT');
  });

  it('a closed stay takes no new charges; a manager adjusts it (a fee), and it takes payments only up to what it owes', async () => {
    const res = await stay(desk, h, 'Gone', { arrive: false });
    const folio = await guestFolio(desk, res);
    ok(await desk.command('reservation.cancel', { reservationId: res, reason: 'Plans changed' }));
    expect(errorCode(await desk.command('folio.postCharge', { folioId: folio.folioId, department: 'food', description: 'Dinner', amount: 3000 }))).toBe('CONFLICT');
    expect(errorCode(await desk.command('folio.takePayment', { folioId: folio.folioId, method: 'cash', amount: 100 }))).toBe('CONFLICT');
    ok(await manager.command('folio.adjust', { folioId: folio.folioId, department: 'fees', amount: 5000, reason: 'Late cancellation fee' }));
    expect(errorCode(await desk.command('folio.takePayment', { folioId: folio.folioId, method: 'card', amount: 5001, cardLast4: '1111' }))).toBe('CONFLICT');
    const paid = ok(await desk.command<{ balance: number }>('folio.takePayment', { folioId: folio.folioId, method: 'card', amount: 5000, cardLast4: '1111' }));
    expect(paid.balance).toBe(0);
    const after = await guestFolio(desk, res);
    expect(after.lines.map((l) => [l.kind, l.amount])).toEqual([['adjustment', 5000], ['payment', -5000]]);
  });

  it('the snapshot carries a balance per stay and the property\'s accounts', async () => {
    const res = await stay(desk, h, 'Snap');
    const folio = await guestFolio(desk, res);
    ok(await desk.command('folio.postCharge', { folioId: folio.folioId, department: 'spa', description: 'Massage', amount: 7000 }));
    ok(await manager.command('folio.create', { propertyId: desk.propertyId, kind: 'house', name: 'Staff meals' }));
    const snap = await desk.sync(desk.propertyId);
    if (!snap.ok || !('snapshot' in snap)) throw new Error('expected snapshot');
    const s = snap.snapshot as unknown as { folioBalances: Array<{ reservationId: string; balance: number }>; accounts: Array<{ name: string; kind: string }> };
    expect(s.folioBalances.find((b) => b.reservationId === res)).toMatchObject({ balance: 7000 });
    expect(s.accounts).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Staff meals', kind: 'house' })]));
  });
});
