// Charges to a guest's room: an order posted to the room, and minibar consumption recorded by
// housekeeping. Both land on the stay's folio through billing's posting service, in this unit of work.
import type { Department, OutletKind, PayloadOf, posMinibarConsume, posOrderPostToRoom } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, notFound } from '../../pipeline/errors.ts';
import { postCharge } from '../billing/posting.ts';
import { Room } from '../property/entities.ts';
import { Order, OrderLine, Outlet, Product } from './entities.ts';
import { checkTerminal, lockOpenOrder, propertyOf, recomputeTotals } from './order.store.ts';
import { requireSomethingDue, takePayment, type PaymentResult } from './payment.service.ts';

const DEPARTMENT: Record<OutletKind, Department> = { restaurant: 'food', room_service: 'food', bar: 'beverage', minibar: 'minibar' };

/** Accents and case do not matter when a guest says their name. */
const plain = (name: string) => name.normalize('NFD').replace(/\p{Diacritic}/gu, '').trim().toLowerCase();

/** The stay in-house in a room on the business date (on departure day, until checked out), with its guest's last name. */
async function inHouseStay(ctx: CommandContext, roomId: string, date: string): Promise<{ reservationId: string; lastName: string } | null> {
  await ctx.em.flush();
  const rows = await ctx.em.execute<Array<{ id: string; last_name: string }>>(
    `select r.id, g.last_name from reservation r join room_occupancy o on o.reservation_id = r.id join guest g on g.id = r.guest_id
      where r.property_id = ? and r.status = 'checked_in' and o.room_id = ?
        and ((o.arrival <= ? and ? < o.departure) or (r.departure = ? and o.departure = r.departure))
      limit 1`,
    [ctx.propertyId, roomId, date, date, date],
  );
  return rows[0] ? { reservationId: rows[0].id, lastName: rows[0].last_name } : null;
}

async function chargeStay(ctx: CommandContext, order: Order, stay: { reservationId: string; description: string }, roomNumber: string, terminalId: string | null): Promise<PaymentResult> {
  const due = requireSomethingDue(order);
  const posted = await postCharge(ctx, {
    reservationId: stay.reservationId, department: DEPARTMENT[order.outlet.kind], description: stay.description,
    amount: due, businessDate: order.businessDate, sourceRef: `pos:${order.id}`,
  });
  const payment = await takePayment(ctx, order, { method: 'room', amount: due, tip: 0, terminalId, roomNumber, folioChargeId: posted.lineId });
  return { paymentId: payment.id, change: 0, due: 0, closed: order.status === 'closed' };
}

export async function postToRoom(ctx: CommandContext, input: PayloadOf<typeof posOrderPostToRoom>): Promise<PaymentResult> {
  const order = await lockOpenOrder(ctx, input.orderId);
  requireSomethingDue(order);
  const terminalId = await checkTerminal(ctx, order.outlet, input.terminalId);
  const room = await ctx.em.findOne(Room, { property: ctx.propertyId, number: input.roomNumber, deletedAt: null });
  if (!room) throw notFound('Room');
  const stay = await inHouseStay(ctx, room.id, (await propertyOf(ctx)).businessDate);
  if (!stay) throw conflict(`No guest is in-house in room ${room.number}`);
  if (plain(stay.lastName) !== plain(input.guestLastName)) throw conflict(`The name does not match the guest in room ${room.number}`);
  const description = `${order.outlet.name}${order.tableName ? `, table ${order.tableName}` : ''}`;
  return chargeStay(ctx, order, { reservationId: stay.reservationId, description }, room.number, terminalId);
}

/** Minibar consumption: a closed order at the minibar outlet, charged to the in-house stay; stock follows the order. */
export async function consumeMinibar(ctx: CommandContext, input: PayloadOf<typeof posMinibarConsume>): Promise<PaymentResult & { orderId: string }> {
  const room = await ctx.em.findOne(Room, { id: input.roomId, property: ctx.propertyId });
  if (!room) throw notFound('Room');
  const outlet = await ctx.em.findOne(Outlet, { property: ctx.propertyId, kind: 'minibar', active: true });
  if (!outlet) throw notFound('Minibar outlet');
  const property = await propertyOf(ctx);
  const stay = await inHouseStay(ctx, room.id, property.businessDate);
  if (!stay) throw conflict(`No guest is in-house in room ${room.number}`);
  const products = await ctx.em.find(Product, { id: { $in: input.items.map((i) => i.productId) }, outlet });
  const order = ctx.em.create(Order, {
    property: ctx.propertyId, outlet, tableName: `Room ${room.number}`, businessDate: property.businessDate, openedBy: ctx.actor.userId, openedAt: ctx.now,
  });
  for (const item of input.items) {
    const product = products.find((p) => p.id === item.productId);
    if (!product) throw notFound('Minibar product');
    ctx.em.create(OrderLine, {
      order, product, name: product.name, quantity: item.quantity, unitPrice: product.price, modifiers: [], taxRate: product.taxRate ?? outlet.taxRate,
      amount: product.price * item.quantity, addedBy: ctx.actor.userId, addedAt: ctx.now,
    });
  }
  await recomputeTotals(ctx, order);
  ctx.recordChange({ type: 'order', id: order.id, after: { minibar: true, roomNumber: room.number, items: input.items } });
  // The guest's bill says what was taken ("Minibar: 2 × Still water"), not the order's placeholder table.
  const taken = input.items.map((i) => `${i.quantity} × ${products.find((p) => p.id === i.productId)!.name}`).join(', ');
  const description = `${outlet.name}: ${taken}`;
  return { orderId: order.id, ...(await chargeStay(ctx, order, { reservationId: stay.reservationId, description }, room.number, null)) };
}
