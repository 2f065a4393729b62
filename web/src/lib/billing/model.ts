import type { BillingSnapshot, EventEnvelope, EventPayloadOf, PropertySnapshotBase, RefundView, billingEvents } from '@innboard/shared';
import { IDLE_AUDIT, type NightAuditView } from './night-audit.ts';

/**
 * What a stay owes, kept live from the snapshot's per-stay total and folio.updated events (which name
 * one folio). The snapshot counts a stay's folios without naming them, so while more than one is still
 * unnamed an event cannot say how the total moved: the balance is then unknown (null) until every
 * folio has been named by an event.
 */
export interface StayBalance {
  balance: number | null;
  currency: string;
  /** Latest balance of each folio an event has named. */
  folios: Readonly<Record<string, number>>;
  /** Folios the snapshot counted that no event has named yet. */
  unnamed: number;
}

/** Billing's part of a property's read model. */
export interface BillingModel {
  balances: Readonly<Record<string, StayBalance>>;
  /** Refunds known to the board: the snapshot's pending ones, then every request and decision since. */
  refunds: Readonly<Record<string, RefundView>>;
  /** The seq of the last folio change of each stay: an open folio view refetches when it moves. */
  folioSeq: Readonly<Record<string, number>>;
  nightAudit: NightAuditView;
}

export const EMPTY_BILLING: BillingModel = { balances: {}, refunds: {}, folioSeq: {}, nightAudit: IDLE_AUDIT };

export type BillingEventSpec = (typeof billingEvents)[number];
export type BillingEvent = { [S in BillingEventSpec as S['type']]: EventEnvelope<S['type'], EventPayloadOf<S>> }[BillingEventSpec['type']];

/** The snapshot's billing keys; a server without billing gives an empty part. */
export function billingFromSnapshot(snapshot: PropertySnapshotBase): BillingModel {
  const part = snapshot as PropertySnapshotBase & Partial<BillingSnapshot>;
  const balances: Record<string, StayBalance> = {};
  for (const b of part.folioBalances ?? []) balances[b.reservationId] = { balance: b.balance, currency: b.currency, folios: {}, unnamed: b.folios };
  const refunds = Object.fromEntries((part.pendingRefunds ?? []).map((r) => [r.refundId, r]));
  return { ...EMPTY_BILLING, balances, refunds };
}

export function applyBillingEvent(model: BillingModel, event: BillingEvent): BillingModel {
  switch (event.type) {
    case 'folio.updated': {
      const { reservationId, folioId, balance, currency } = event.payload;
      if (!reservationId) return model;
      return {
        ...model,
        balances: { ...model.balances, [reservationId]: withFolio(model.balances[reservationId], folioId, balance, currency) },
        folioSeq: { ...model.folioSeq, [reservationId]: event.seq },
      };
    }
    case 'payment.received':
    case 'invoice.issued': {
      const { reservationId } = event.payload;
      return reservationId ? { ...model, folioSeq: { ...model.folioSeq, [reservationId]: event.seq } } : model;
    }
    case 'refund.requested':
    case 'refund.decided': {
      const refund = event.payload;
      const refunds = { ...model.refunds, [refund.refundId]: refund };
      return refund.reservationId ? { ...model, refunds, folioSeq: { ...model.folioSeq, [refund.reservationId]: event.seq } } : { ...model, refunds };
    }
    case 'billing.configured':
      return model;
    default: {
      const _unhandled: never = event;
      return model;
    }
  }
}

function withFolio(stay: StayBalance | undefined, folioId: string, balance: number, currency: string): StayBalance {
  // A stay the snapshot did not list had nothing owing on any folio.
  const current = stay ?? { balance: 0, currency, folios: {}, unnamed: 0 };
  const previous = current.folios[folioId];
  const folios = { ...current.folios, [folioId]: balance };
  const unnamed = previous === undefined && current.unnamed > 0 ? current.unnamed - 1 : current.unnamed;
  let total: number | null;
  if (unnamed === 0) total = Object.values(folios).reduce((s, b) => s + b, 0);
  else if (previous !== undefined && current.balance !== null) total = current.balance + balance - previous;
  else total = null;
  return { balance: total, currency, folios, unnamed };
}

/** What a stay owes over all its folios (positive: the guest owes), null when the board cannot tell. */
export function stayBalance(model: BillingModel, reservationId: string): StayBalance | null {
  return model.balances[reservationId] ?? null;
}

/** Refunds waiting for a manager, oldest first (first asked, first answered). */
export function pendingRefunds(model: BillingModel): RefundView[] {
  return Object.values(model.refunds)
    .filter((r) => r.status === 'pending')
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
}

/** Refunds decided while this board was open, newest first. */
export function decidedRefunds(model: BillingModel): RefundView[] {
  return Object.values(model.refunds)
    .filter((r) => r.status !== 'pending')
    .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
}
