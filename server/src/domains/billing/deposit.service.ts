// Payments owed before anyone takes them. The booking site records the deposit a guest owes as a
// pending payment on the stay's guest folio: no folio line yet, so the balance and the day's takings
// are untouched until the desk collects it (payment.collect); cancelling the stay voids it.
import {
  isClosedStay, paymentReceived, reservationCancelled,
  type PayloadOf, type paymentCollect,
} from '@innboard/shared';
import { defineReaction, type CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid } from '../../pipeline/errors.ts';
import { Payment } from './entities.ts';
import { announceFolio, billingFacts, findStay, guestFolioOf, lockFolio } from './folios.ts';
import { appendLine, type PostingContext } from './posting.ts';
import { METHOD_LABEL, lockPayment } from './payment.service.ts';
import { toPaymentView } from './views.ts';

/** Records what the guest owes as a deposit on the stay's guest folio (created on first use). */
export async function recordPendingDeposit(ctx: PostingContext, input: { reservationId: string; amount: number; reference: string }): Promise<Payment> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw invalid('A deposit must be a positive amount in minor units');
  const folio = await guestFolioOf(ctx, input.reservationId);
  const payment = ctx.em.create(Payment, {
    property: ctx.propertyId, folio, method: null, status: 'pending', amount: input.amount, currency: folio.currency,
    reference: input.reference, cardLast4: null, deposit: true, receivedBy: null, receivedAt: ctx.now,
  });
  await ctx.em.flush();
  ctx.recordChange({ type: 'payment', id: payment.id, after: { folioId: folio.id, amount: input.amount, status: 'pending', deposit: true } });
  // No line and the same balance, but an open folio panel must show the deposit now owed.
  await announceFolio(ctx, folio);
  return payment;
}

/** The desk takes a pending payment: it is received now and credited to its folio. */
export async function collectPayment(ctx: CommandContext, input: PayloadOf<typeof paymentCollect>) {
  // Payment before folio: the order refund decisions lock them in, so the two cannot deadlock.
  const payment = await lockPayment(ctx, input.paymentId);
  if (payment.status === 'received') throw conflict('This payment was already received');
  if (payment.status === 'void') throw conflict('This payment was voided: the stay was cancelled');
  const folio = await lockFolio(ctx, payment.folio.id);
  // A deposit is owed before the stay; once it is closed (checked out, no-show) the folio alone says what is due.
  if (folio.reservation && isClosedStay((await findStay(ctx, folio.reservation.id)).status)) {
    throw conflict('This stay is closed: settle its folio with a payment instead of collecting the deposit');
  }
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  payment.status = 'received';
  payment.method = input.method;
  payment.reference = input.reference ?? payment.reference ?? null;
  payment.cardLast4 = input.cardLast4 ?? null;
  payment.receivedBy = ctx.actor.userId;
  payment.receivedAt = ctx.now;
  const what = `${payment.deposit ? 'Deposit' : 'Payment'}: ${METHOD_LABEL[input.method]}${input.cardLast4 ? ` **** ${input.cardLast4}` : ''}`;
  const line = appendLine(ctx, folio, {
    kind: 'payment', department: null, description: what, unitAmount: -payment.amount, quantity: 1, businessDate: facts.businessDate, paymentId: payment.id,
  });
  ctx.recordChange({ type: 'payment', id: payment.id, before: { status: 'pending' }, after: { status: 'received', method: input.method } });
  const balance = await announceFolio(ctx, folio);
  ctx.emit(paymentReceived, { ...toPaymentView(payment, 0, folio.reservation?.id ?? null), balance });
  return { paymentId: payment.id, lineId: line.id, balance };
}

/** A cancelled stay owes no deposit any more (a cancellation fee is the desk's separate charge). */
export const voidPendingOnCancel = defineReaction(reservationCancelled, async (ctx, payload) => {
  const pending = await ctx.em.find(Payment, { property: ctx.propertyId, status: 'pending', folio: { reservation: payload.reservation.id } }, { populate: ['folio'] });
  for (const payment of pending) {
    payment.status = 'void';
    ctx.recordChange({ type: 'payment', id: payment.id, before: { status: 'pending' }, after: { status: 'void' } });
  }
  await ctx.em.flush();
  // Open folio panels show the deposit as void without a reload.
  for (const folio of new Set(pending.map((p) => p.folio))) await announceFolio(ctx, folio);
});
