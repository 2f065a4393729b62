import { describe, expect, it } from 'vitest';
import type { PropertySnapshotBase, RefundView } from '@innboard/shared';
import { applyBillingEvent, billingFromSnapshot, decidedRefunds, pendingRefunds, stayBalance, type BillingEvent, type BillingModel } from './model.ts';

let seq = 10;
const folioUpdated = (reservationId: string | null, folioId: string, balance: number): BillingEvent => ({
  seq: ++seq, propertyId: 'p', at: '2026-12-05T20:00:00.000Z', type: 'folio.updated',
  payload: { folioId, reservationId, balance, currency: 'EUR', kind: 'guest', name: 'Guest' },
});

const refund = (refundId: string, patch: Partial<RefundView> = {}): RefundView => ({
  refundId, paymentId: 'pay', folioId: 'f', reservationId: 'r1', amount: 1000, currency: 'EUR', reason: 'overcharged',
  status: 'pending', requestedById: 'u1', requestedByName: 'Frank Desk', decidedById: null, decisionReason: null,
  requestedAt: '2026-12-05T10:00:00.000Z', decidedAt: null, ...patch,
});

function snapshot(folioBalances: Array<{ reservationId: string; balance: number; folios: number }>, pending: RefundView[] = []): BillingModel {
  const snap = { folioBalances: folioBalances.map((b) => ({ ...b, currency: 'EUR' })), pendingRefunds: pending, accounts: [] };
  return billingFromSnapshot(snap as unknown as PropertySnapshotBase);
}

describe('billing read model', () => {
  it('takes stay balances from the snapshot and follows folio.updated of a single folio', () => {
    let m = snapshot([{ reservationId: 'r1', balance: 24000, folios: 1 }]);
    expect(stayBalance(m, 'r1')?.balance).toBe(24000);
    m = applyBillingEvent(m, folioUpdated('r1', 'g1', 4000));
    expect(stayBalance(m, 'r1')?.balance).toBe(4000);
    m = applyBillingEvent(m, folioUpdated('r1', 'g1', 0));
    expect(stayBalance(m, 'r1')?.balance).toBe(0);
    expect(m.folioSeq.r1).toBe(seq);
  });

  it('adds a new folio of a stay to its total (split billing)', () => {
    let m = snapshot([{ reservationId: 'r1', balance: 10000, folios: 1 }]);
    m = applyBillingEvent(m, folioUpdated('r1', 'g1', 10000));
    m = applyBillingEvent(m, folioUpdated('r1', 'c1', 5000));
    expect(stayBalance(m, 'r1')?.balance).toBe(15000);
    m = applyBillingEvent(m, folioUpdated('r1', 'g1', 2000));
    expect(stayBalance(m, 'r1')?.balance).toBe(7000);
  });

  it('says it does not know while two unnamed folios could have moved, and knows again once all are named', () => {
    let m = snapshot([{ reservationId: 'r1', balance: 30000, folios: 2 }]);
    m = applyBillingEvent(m, folioUpdated('r1', 'g1', 5000));
    expect(stayBalance(m, 'r1')?.balance).toBeNull();
    m = applyBillingEvent(m, folioUpdated('r1', 'c1', 20000));
    expect(stayBalance(m, 'r1')?.balance).toBe(25000);
  });

  it('starts a stay the snapshot did not list at zero', () => {
    let m = snapshot([]);
    expect(stayBalance(m, 'r9')).toBeNull();
    m = applyBillingEvent(m, folioUpdated('r9', 'g9', 1234));
    expect(stayBalance(m, 'r9')?.balance).toBe(1234);
    m = applyBillingEvent(m, folioUpdated(null, 'house', 999));
    expect(Object.keys(m.balances)).toEqual(['r9']);
  });

  it('keeps pending refunds oldest first and moves decided ones out, live', () => {
    let m = snapshot([], [refund('b', { requestedAt: '2026-12-05T11:00:00.000Z' }), refund('a')]);
    expect(pendingRefunds(m).map((r) => r.refundId)).toEqual(['a', 'b']);
    m = applyBillingEvent(m, { seq: ++seq, propertyId: 'p', at: 'x', type: 'refund.requested', payload: refund('c', { requestedAt: '2026-12-05T12:00:00.000Z' }) });
    m = applyBillingEvent(m, {
      seq: ++seq, propertyId: 'p', at: 'x', type: 'refund.decided',
      payload: refund('a', { status: 'approved', decidedById: 'm1', decidedAt: '2026-12-05T13:00:00.000Z' }),
    });
    expect(pendingRefunds(m).map((r) => r.refundId)).toEqual(['b', 'c']);
    expect(decidedRefunds(m).map((r) => [r.refundId, r.status])).toEqual([['a', 'approved']]);
    expect(m.folioSeq.r1).toBe(seq);
  });
});
