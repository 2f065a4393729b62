import { posOrderClosed } from '@innboard/shared';
import { defineReaction } from '../../pipeline/types.ts';
import { consumeForSale } from './stock.service.ts';

/** A sold order (paid or posted to a room, not voided) takes its recipes out of stock in the same transaction. */
export const inventoryReactions = [
  defineReaction(posOrderClosed, async (ctx, { order }) => {
    if (order.status !== 'closed') return;
    const sold = order.lines.filter((l) => !l.voided).map((l) => ({ productId: l.productId, quantity: l.quantity }));
    await consumeForSale(ctx, order.orderId, sold, 'sale');
  }),
];
