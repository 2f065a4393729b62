// Rules of payments and refunds. A refund is requested at the desk, decided by a manager who is not
// the requester, and posted against the original payment; the payment row (locked) keeps what was
// refunded so no two approvals together can give back more than was paid.
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import {
  formatMoney, isClosedStay, paymentReceived, refundDecided, refundRequested,
  type PayloadOf, type FolioPaymentView, type RefundView, type folioTakePayment, type paymentList, type refundApprove, type refundList,
  type refundReject, type refundRequest,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, forbidden, notFound } from '../../pipeline/errors.ts';
import { Membership } from '../../identity/entities.ts';
import { notifyUser } from '../notifications/notify.ts';
import { Folio, Payment, Refund } from './entities.ts';
import { announceFolio, balanceOf, billingFacts, findStay, lockFolio } from './folios.ts';
import { appendLine } from './posting.ts';
import { refundViews, toPaymentView } from './views.ts';

export const METHOD_LABEL = { cash: 'Cash', card: 'Card', bank_transfer: 'Bank transfer' } as const;

async function pendingRefundTotals(ctx: CommandContext, paymentIds: string[]): Promise<Map<string, number>> {
  if (!paymentIds.length) return new Map();
  const rows = await ctx.em.execute<{ payment_id: string; total: string }[]>(
    "select payment_id, sum(amount) as total from refund where payment_id = any(?::uuid[]) and status = 'pending' group by payment_id",
    [`{${paymentIds.join(',')}}`],
  );
  return new Map(rows.map((r) => [r.payment_id, Number(r.total)]));
}

export async function takePayment(ctx: CommandContext, input: PayloadOf<typeof folioTakePayment>) {
  const folio = await lockFolio(ctx, input.folioId);
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  const status = folio.reservation ? (await findStay(ctx, folio.reservation.id)).status : null;
  // A closed stay (checked out, cancelled, no-show) is only settled: no money beyond what it owes.
  if (status && isClosedStay(status)) {
    const owed = await balanceOf(ctx.em, folio.id);
    if (input.amount > owed) {
      throw conflict(owed > 0 ? `This stay is closed: take at most what it owes (${formatMoney(owed, folio.currency)})` : 'This stay is closed and owes nothing');
    }
  }
  // Money taken before the guest is in house is a deposit.
  const deposit = status === 'tentative' || status === 'confirmed';
  const payment = ctx.em.create(Payment, {
    id: randomUUID(), property: ctx.propertyId, folio, method: input.method, amount: input.amount, currency: folio.currency,
    reference: input.reference ?? null, cardLast4: input.cardLast4 ?? null, deposit, receivedBy: ctx.actor.userId, receivedAt: ctx.now,
  });
  ctx.em.persist(payment);
  const what = `${deposit ? 'Deposit' : 'Payment'}: ${METHOD_LABEL[input.method]}${input.cardLast4 ? ` **** ${input.cardLast4}` : ''}`;
  const line = appendLine(ctx, folio, {
    kind: 'payment', department: null, description: what, unitAmount: -input.amount, quantity: 1, businessDate: facts.businessDate, paymentId: payment.id,
  });
  ctx.recordChange({ type: 'payment', id: payment.id, after: { folioId: folio.id, method: input.method, amount: input.amount, deposit } });
  const balance = await announceFolio(ctx, folio);
  ctx.emit(paymentReceived, { ...toPaymentView(payment, 0, folio.reservation?.id ?? null), balance });
  return { paymentId: payment.id, lineId: line.id, balance };
}

export async function lockPayment(ctx: CommandContext, paymentId: string): Promise<Payment> {
  const payment = await ctx.em.findOne(Payment, { id: paymentId, property: ctx.propertyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!payment) throw notFound('Payment');
  await ctx.em.populate(payment, ['folio']);
  return payment;
}

async function lockRefund(ctx: CommandContext, refundId: string): Promise<{ refund: Refund; payment: Payment }> {
  const found = await ctx.em.findOne(Refund, { id: refundId, property: ctx.propertyId });
  if (!found) throw notFound('Refund');
  // Payment first, then the refund: the same order as refund.request, so two decisions cannot deadlock.
  const payment = await lockPayment(ctx, found.payment.id);
  const refund = await ctx.em.refreshOrFail(found, { lockMode: LockMode.PESSIMISTIC_WRITE });
  return { refund, payment };
}

/** Everyone in the property who may approve, except the one asking. */
async function approvers(ctx: CommandContext): Promise<string[]> {
  const members = await ctx.em.find(Membership, { property: ctx.propertyId, user: { active: true } }, { populate: ['role'] });
  return members.filter((m) => m.role.permissions.includes('refund.approve') && m.user.id !== ctx.actor.userId).map((m) => m.user.id);
}

export async function requestRefund(ctx: CommandContext, input: PayloadOf<typeof refundRequest>) {
  const payment = await lockPayment(ctx, input.paymentId);
  if (payment.status !== 'received') throw conflict(`This payment was never received (it is ${payment.status}); there is nothing to refund`);
  const pending = (await pendingRefundTotals(ctx, [payment.id])).get(payment.id) ?? 0;
  const refundable = payment.amount - payment.refunded - pending;
  if (input.amount > refundable) {
    throw conflict(`At most ${formatMoney(refundable, payment.currency)} of this payment can still be refunded`, { refundable });
  }
  const refund = ctx.em.create(Refund, {
    property: ctx.propertyId, payment, amount: input.amount, reason: input.reason, status: 'pending', requestedBy: ctx.actor.userId, requestedAt: ctx.now,
  });
  ctx.em.persist(refund);
  await ctx.em.flush();
  ctx.recordChange({ type: 'refund', id: refund.id, after: { paymentId: payment.id, amount: input.amount, status: 'pending' } });
  const [view] = await refundViews(ctx.em, [refund]);
  ctx.emit(refundRequested, view!);
  for (const userId of await approvers(ctx)) {
    notifyUser(ctx, userId, {
      kind: 'refund_to_approve', title: 'Refund to approve',
      body: `${view!.requestedByName} asks to refund ${formatMoney(input.amount, payment.currency)}: ${input.reason.slice(0, 200)}`,
      ref: { type: 'refund', id: refund.id },
    });
  }
  return { refundId: refund.id };
}

function requirePending(refund: Refund): void {
  if (refund.status !== 'pending') throw conflict(`This refund was already ${refund.status}`);
}

export async function approveRefund(ctx: CommandContext, input: PayloadOf<typeof refundApprove>): Promise<RefundView> {
  const { refund, payment } = await lockRefund(ctx, input.refundId);
  requirePending(refund);
  if (refund.requestedBy === ctx.actor.userId) throw forbidden('You cannot approve your own refund request; another manager must decide it');
  if (payment.refunded + refund.amount > payment.amount) throw conflict('This refund would give back more than was paid');
  const folio = await lockFolio(ctx, payment.folio.id);
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  const line = appendLine(ctx, folio, {
    kind: 'refund', department: null, description: `Refund of ${METHOD_LABEL[payment.method!].toLowerCase()} payment`, unitAmount: refund.amount, quantity: 1,
    businessDate: facts.businessDate, reason: refund.reason, paymentId: payment.id,
  });
  payment.refunded += refund.amount;
  refund.status = 'approved';
  refund.decidedBy = ctx.actor.userId;
  refund.decidedAt = ctx.now;
  refund.lineId = line.id;
  return decide(ctx, refund, folio);
}

export async function rejectRefund(ctx: CommandContext, input: PayloadOf<typeof refundReject>): Promise<RefundView> {
  const { refund } = await lockRefund(ctx, input.refundId);
  requirePending(refund);
  refund.status = 'rejected';
  refund.decidedBy = ctx.actor.userId;
  refund.decidedAt = ctx.now;
  refund.decisionReason = input.reason;
  return decide(ctx, refund, null);
}

async function decide(ctx: CommandContext, refund: Refund, folio: Folio | null): Promise<RefundView> {
  ctx.recordChange({ type: 'refund', id: refund.id, before: { status: 'pending' }, after: { status: refund.status, ...(refund.decisionReason ? { reason: refund.decisionReason } : {}) } });
  if (folio) await announceFolio(ctx, folio);
  else await ctx.em.flush();
  const [view] = await refundViews(ctx.em, [refund]);
  ctx.emit(refundDecided, view!);
  return view!;
}

export async function listRefunds(ctx: CommandContext, input: PayloadOf<typeof refundList>): Promise<{ refunds: RefundView[] }> {
  const refunds = await ctx.em.find(Refund, { property: ctx.propertyId, ...(input.all ? {} : { status: 'pending' as const }) }, { orderBy: { requestedAt: 'desc' }, limit: 200 });
  return { refunds: await refundViews(ctx.em, refunds) };
}

export async function listPayments(ctx: CommandContext, input: PayloadOf<typeof paymentList>): Promise<{ payments: FolioPaymentView[] }> {
  const stay = await findStay(ctx, input.reservationId);
  const payments = await ctx.em.find(Payment, { property: ctx.propertyId, folio: { reservation: stay.id } }, { orderBy: { receivedAt: 'asc' } });
  const pending = await pendingRefundTotals(ctx, payments.map((p) => p.id));
  return { payments: payments.map((p) => toPaymentView(p, pending.get(p.id) ?? 0, stay.id)) };
}
