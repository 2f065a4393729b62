// Billing for the demo hotel, run at the end of the demo activity (it needs the in-house guests):
// room and city tax for the nights already slept, a few extras, payments, one refund waiting for the
// manager and two issued invoices, so a newcomer sees billing working after `./innboard start`.
import { billingConfigure, folioTakePayment, invoiceIssue, refundRequest } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { Membership } from '../../identity/entities.ts';
import { Reservation } from '../../domains/reservations/entities.ts';
import { configureBilling } from '../../domains/billing/settings.service.ts';
import { postCharge, postStayNight } from '../../domains/billing/posting.ts';
import { guestFolioOf } from '../../domains/billing/folios.ts';
import { requestRefund, takePayment } from '../../domains/billing/payment.service.ts';
import { issueInvoice } from '../../domains/billing/invoice.service.ts';

const EXTRAS = [
  { department: 'beverage', description: 'Bar: two glasses of Riesling', amount: 1400 },
  { department: 'food', description: 'Restaurant: dinner for two', amount: 6800 },
  { department: 'minibar', description: 'Minibar: water and chocolate', amount: 650 },
  { department: 'spa', description: 'Spa: 60 min massage', amount: 8900 },
] as const;

export async function seedDemoBilling(ctx: CommandContext, settle: () => Promise<void>): Promise<void> {
  const { em, propertyId } = ctx;
  await configureBilling(ctx, billingConfigure.payload.parse({
    propertyId, cityTaxPerPersonNight: 300, cityTaxChildren: false, taxRates: { room: 700, food: 1900, beverage: 1900, minibar: 1900, spa: 1900 },
  }));
  const inHouse = await em.find(Reservation, { property: propertyId, status: 'checked_in' }, { orderBy: { arrival: 'asc', createdAt: 'asc' } });
  const paid: string[] = [];
  for (const [i, stay] of inHouse.entries()) {
    const nights = await em.execute<{ date: string; amount: number }[]>(
      "select date::text as date, amount from reservation_night where reservation_id = ? and date < (select business_date from property where id = ?) order by date",
      [stay.id, propertyId],
    );
    for (const n of nights) await postStayNight(ctx, { reservationId: stay.id, date: n.date, roomAmount: n.amount });
    const extra = EXTRAS[i % EXTRAS.length]!;
    if (i % 2 === 0) await postCharge(ctx, { reservationId: stay.id, ...extra });
    // Every third guest has settled what they owe so far, by card.
    if (i % 3 === 0) {
      const folio = await guestFolioOf(ctx, stay.id);
      const [{ balance } = { balance: '0' }] = await em.execute<{ balance: string }[]>('select coalesce(sum(amount), 0) as balance from folio_line where folio_id = ?', [folio.id]);
      if (Number(balance) > 0) {
        const pay = await takePayment(ctx, folioTakePayment.payload.parse({ folioId: folio.id, method: 'card', amount: Number(balance), reference: `DEMO-${1000 + i}`, cardLast4: String(4000 + i).slice(-4) }));
        paid.push(pay.paymentId);
        if (paid.length <= 2) await issueInvoice(ctx, invoiceIssue.payload.parse({ folioId: folio.id }));
      }
    }
    await settle();
  }
  // The front desk asks to give part of a payment back; the manager's approvals inbox shows it.
  const desk = await em.findOne(Membership, { property: propertyId, role: 'front_desk' }, { populate: ['user'] });
  if (desk && paid[0]) {
    const deskCtx: CommandContext = { ...ctx, actor: { userId: desk.user.id, role: 'front_desk' } };
    await requestRefund(deskCtx, refundRequest.payload.parse({ paymentId: paid[0], amount: 1500, reason: 'Guest complained about the noisy air conditioning' }));
    await settle();
  }
}
