import {
  posMinibarConsume, posOrderPostToRoom, posOrderAddLine, posOrderDiscount, posOrderOpen, posOrderPay, posOrderSetNote, posOrderSplit, posOrderSplitEvenly, posOrderTransfer, posOrderVoid, posOrderVoidLine,
} from '@innboard/shared';
import { byEntity, defineHandler } from '../../pipeline/types.ts';
import { addLine, discountOrder, openOrder, setOrderNote, transferOrder, voidLine, voidOrder } from './order.service.ts';
import { payOrder, splitEvenly, splitOrder } from './payment.service.ts';
import { consumeMinibar, postToRoom } from './room-charge.service.ts';

const byOrder = byEntity('pos_order', 'orderId');

export const orderHandlers = [
  defineHandler(posOrderOpen, { scope: byEntity('pos_outlet', 'outletId'), handle: openOrder }),
  defineHandler(posOrderAddLine, { scope: byOrder, handle: addLine }),
  defineHandler(posOrderVoidLine, { scope: byOrder, handle: voidLine }),
  defineHandler(posOrderPay, { scope: byOrder, handle: payOrder }),
  defineHandler(posOrderSplit, { scope: byOrder, handle: splitOrder }),
  defineHandler(posOrderSplitEvenly, { scope: byOrder, handle: splitEvenly }),
  defineHandler(posOrderTransfer, { scope: byOrder, handle: transferOrder }),
  defineHandler(posOrderSetNote, { scope: byOrder, handle: setOrderNote }),
  defineHandler(posOrderDiscount, { scope: byOrder, handle: discountOrder }),
  defineHandler(posOrderVoid, { scope: byOrder, handle: voidOrder }),
  defineHandler(posOrderPostToRoom, { scope: byOrder, handle: postToRoom }),
  defineHandler(posMinibarConsume, { scope: byEntity('room', 'roomId'), handle: consumeMinibar }),
];
