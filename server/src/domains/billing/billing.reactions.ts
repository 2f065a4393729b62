import { formatMoney, reservationCheckedOut } from '@innboard/shared';
import { defineReaction } from '../../pipeline/types.ts';
import { conflict } from '../../pipeline/errors.ts';
import { voidPendingOnCancel } from './deposit.service.ts';

/**
 * Check-out needs every folio of the stay at zero (paid, refunded or transferred to accounts
 * receivable). Throwing here rolls the whole check-out back. The folio rows are locked so a
 * posting cannot slip in between this check and the commit.
 */
export const settledBeforeCheckOut = defineReaction(reservationCheckedOut, async (ctx, payload) => {
  const open = await ctx.em.execute<{ name: string; currency: string; balance: string }[]>(
    `select f.name, f.currency, (select coalesce(sum(l.amount), 0) from folio_line l where l.folio_id = f.id) as balance
       from folio f where f.reservation_id = ? and f.property_id = ? order by f.created_at for update`,
    [payload.reservationId, ctx.propertyId],
  );
  const owing = open.filter((f) => Number(f.balance) !== 0);
  if (owing.length) {
    throw conflict(
      `Settle the folios before check-out: ${owing.map((f) => `${f.name} ${formatMoney(Number(f.balance), f.currency)}`).join(', ')}. Take a payment, refund, or transfer to accounts receivable`,
      { folios: owing.map((f) => ({ name: f.name, balance: Number(f.balance) })) },
    );
  }
});

export const billingReactions = [settledBeforeCheckOut, voidPendingOnCancel];
