import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PosSnapshot } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, hotelOf, ok, sql, type Conn } from '../reservations/testing.ts';
import { guestFolio, stay } from '../billing/testing.ts';
import { harborOf, posSnapshotOf, setUpOutlet, writeFingerprint, type TestOutlet } from './testing.ts';

describe('POS charges to a guest room', () => {
  let server: TestServer;
  let manager: Conn;
  let cashier: Conn;
  let desk: Conn;
  let harborDesk: Conn;
  let hk: Conn;
  let admin: Conn;
  let outlet: TestOutlet;
  const roomOf = async (reservationId: string) =>
    (await sql<{ number: string; id: string }>(server, 'select rm.number, rm.id from room_occupancy o join room rm on rm.id = o.room_id where o.reservation_id = ?', [reservationId]))[0]!;
  const orderOf = async (total: 'Beer' | 'Wine') => {
    const { orderId } = ok(await cashier.command<{ orderId: string }>('pos.order.open', { outletId: outlet.outletId, table: '3' }));
    ok(await cashier.command('pos.order.addLine', { orderId, productId: outlet.product[total], quantity: 2 }));
    return orderId;
  };

  beforeAll(async () => {
    server = await startTestServer();
    [manager, cashier, desk, harborDesk, hk, admin] = await Promise.all(
      ['manager@innboard.demo', 'pos@innboard.demo', 'frontdesk@innboard.demo', 'harbor.frontdesk@innboard.demo', 'housekeeping@innboard.demo', 'admin@innboard.demo']
        .map((e) => loginAndConnect(server.url, e)),
    );
    outlet = await setUpOutlet(manager);
  });
  afterAll(async () => {
    for (const c of [manager, cashier, desk, harborDesk, hk, admin]) c?.close();
    await server?.stop();
  });

  it('refuses rooms without an in-house guest, guests of another hotel and rooms that do not exist', async () => {
    const harborStay = await stay(harborDesk, await hotelOf(harborDesk), 'Harbor', { type: 'HBR' });
    const harborRoom = await roomOf(harborStay);
    const orderId = await orderOf('Beer');
    // The same room number here is empty: the harbor guest is in-house at the other hotel.
    const taken = await sql<{ n: number }>(server, "select count(*)::int as n from room_occupancy o join room rm on rm.id = o.room_id join property p on p.id = rm.property_id where rm.number = ? and p.name = 'Innboard Demo Hotel'", [harborRoom.number]);
    expect(taken[0]!.n).toBe(0);
    const wrongHotel = await cashier.command('pos.order.postToRoom', { orderId, roomNumber: harborRoom.number, guestLastName: 'Tester' });
    expect(wrongHotel.ok ? null : wrongHotel.error).toMatchObject({ code: 'CONFLICT', message: `No guest is in-house in room ${harborRoom.number}` });
    expect(errorCode(await cashier.command('pos.order.postToRoom', { orderId, roomNumber: '999', guestLastName: 'Tester' }))).toBe('NOT_FOUND');
    // Nothing was posted and the order is still open.
    const open = (await posSnapshotOf(cashier)).outlets.find((o) => o.outletId === outlet.outletId)!.orders.find((o) => o.orderId === orderId);
    expect(open).toMatchObject({ status: 'open', totals: { paid: 0 } });
  });

  it('posts what is due to the in-house guest\'s folio and closes the order; the name must match', async () => {
    const reservationId = await stay(desk, await hotelOf(desk), 'Posty');
    const room = await roomOf(reservationId);
    const orderId = await orderOf('Wine');
    expect(errorCode(await cashier.command('pos.order.postToRoom', { orderId, roomNumber: room.number, guestLastName: 'Smith' }))).toBe('CONFLICT');
    const result = ok(await cashier.command<{ closed: boolean }>('pos.order.postToRoom', { orderId, roomNumber: room.number, guestLastName: ' tester ' }));
    expect(result.closed).toBe(true);
    const folio = await guestFolio(desk, reservationId);
    expect(folio.lines.filter((l) => l.department === 'food')).toEqual([expect.objectContaining({ amount: 6400 })]);
    const closed = await manager.waitForEvent((e) => e.type === 'pos.order.closed' && (e.payload as { orderId: string }).orderId === orderId);
    expect(closed.payload).toMatchObject({ status: 'closed', order: { payments: [{ method: 'room', amount: 6400, roomNumber: room.number }] } });
    // Posted once: the order is closed now.
    expect(errorCode(await cashier.command('pos.order.postToRoom', { orderId, roomNumber: room.number, guestLastName: 'Tester' }))).toBe('CONFLICT');
  });

  it('housekeeping records minibar consumption: a minibar charge on the folio and stock taken', async () => {
    const reservationId = await stay(desk, await hotelOf(desk), 'Thirsty');
    const room = await roomOf(reservationId);
    const snap: PosSnapshot = await posSnapshotOf(hk);
    const minibar = snap.outlets.find((o) => o.kind === 'minibar')!;
    const water = minibar.products.find((p) => p.name === 'Still water')!;
    const stockBefore = await sql<{ quantity: number }>(server, "select quantity from stock_item where name = 'Minibar water'");
    ok(await hk.command('pos.minibar.consume', { roomId: room.id, items: [{ productId: water.productId, quantity: 2 }] }));
    const folio = await guestFolio(desk, reservationId);
    expect(folio.lines.filter((l) => l.department === 'minibar')).toEqual([expect.objectContaining({ amount: 2 * water.price, description: 'Minibar: 2 × Still water' })]);
    const stockAfter = await sql<{ quantity: number }>(server, "select quantity from stock_item where name = 'Minibar water'");
    expect(stockAfter[0]!.quantity).toBe(stockBefore[0]!.quantity - 2);
    // An empty room has nobody to charge; a cashier cannot record minibars.
    const empty = (await hotelOf(desk)).snapshot.rooms.find((r) => r.number === '412')!;
    expect(errorCode(await hk.command('pos.minibar.consume', { roomId: empty.id, items: [{ productId: water.productId, quantity: 1 }] }))).toBe('CONFLICT');
    expect(errorCode(await cashier.command('pos.minibar.consume', { roomId: room.id, items: [{ productId: water.productId, quantity: 1 }] }))).toBe('FORBIDDEN');
  });

  it('minibar: another hotel\'s room or product answers NOT_FOUND; nothing is charged or taken from stock', async () => {
    const harborRoom = await roomOf(await stay(harborDesk, await hotelOf(harborDesk), 'Harbor', { type: 'HBR' }));
    const harborProduct = (await setUpOutlet(admin, { kind: 'minibar' }, harborOf(admin))).product.Beer;
    const reservationId = await stay(desk, await hotelOf(desk), 'Minibar');
    const room = await roomOf(reservationId);
    const water = (await posSnapshotOf(hk)).outlets.find((o) => o.kind === 'minibar')!.products.find((p) => p.name === 'Still water')!;
    const before = await writeFingerprint(server);
    expect(errorCode(await hk.command('pos.minibar.consume', { roomId: harborRoom.id, items: [{ productId: water.productId, quantity: 1 }] }))).toBe('NOT_FOUND');
    // Our own water first, then the other hotel's beer: the whole record is refused, the water too.
    const mixed = { roomId: room.id, items: [{ productId: water.productId, quantity: 1 }, { productId: harborProduct, quantity: 1 }] };
    expect(errorCode(await hk.command('pos.minibar.consume', mixed))).toBe('NOT_FOUND');
    expect(await writeFingerprint(server)).toEqual(before);
    expect((await guestFolio(desk, reservationId)).lines.filter((l) => l.department === 'minibar')).toEqual([]);
  });
});
