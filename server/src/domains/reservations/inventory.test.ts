import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityResult, GroupView, ReservationCreateResult, ReservationView, RoomBlockView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, expectEventsMatchContract, freeOn, guest, hotelOf, inventoryMismatches, ok, setBusinessDate, snapshotOf, sql, type Conn, type Hotel } from './testing.ts';

describe('inventory: out-of-order blocks and group blocks', () => {
  let server: TestServer;
  let desk: Conn;
  let supervisor: Conn;
  let manager: Conn;
  let h: Hotel;
  const block = (number: string, from: number, to: number, kind = 'out_of_order', conn = supervisor) =>
    conn.command<RoomBlockView>('room.block', { roomId: h.room(number).id, from: h.day(from), to: h.day(to), kind, reason: 'Leaking pipe' });
  const book = (code: string, from: number, to: number, extra: Record<string, unknown> = {}) =>
    desk.command<ReservationCreateResult>('reservation.create', { propertyId: desk.propertyId, roomTypeId: h.type(code).id, arrival: h.day(from), departure: h.day(to), adults: 2, guest: guest('Iris'), ...extra });
  const available = async (code: string, from: number, to: number) =>
    ok(await desk.command<AvailabilityResult>('availability.search', { propertyId: desk.propertyId, arrival: h.day(from), departure: h.day(to), adults: 1 }))
      .roomTypes.find((t) => t.roomTypeId === h.type(code).id)!.available;

  beforeAll(async () => {
    server = await startTestServer();
    [desk, supervisor, manager] = await Promise.all(['frontdesk@innboard.demo', 'supervisor@innboard.demo', 'manager@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, supervisor, manager]) c?.close();
    await server?.stop();
  });

  it('an out-of-order room leaves inventory for its nights only; out-of-service stays sellable', async () => {
    const before = await available('FAM', 50, 52);
    expect(errorCode(await block('115', 50, 52, 'out_of_order', desk))).toBe('FORBIDDEN');
    const placed = ok(await block('115', 50, 52));
    expect(placed).toMatchObject({ roomId: h.room('115').id, kind: 'out_of_order', from: h.day(50), to: h.day(52), released: false });
    expect(await available('FAM', 50, 52)).toBe(before - 1);
    expect(await available('FAM', 52, 53)).toBe(before);
    await desk.waitForEvent((e) => e.type === 'room.blocked' && (e.payload as { block: { id: string } }).block.id === placed.id);
    ok(await block('101', 50, 52, 'out_of_service'));
    expect(await available('FAM', 50, 52)).toBe(before - 1);
    // Overlapping blocks of one room are refused.
    expect(errorCode(await block('101', 51, 53, 'out_of_order'))).toBe('CONFLICT');
  });

  it('a stay cannot be put into an out-of-order room, and an out-of-order block cannot land on a stay', async () => {
    const res = ok(await book('FAM', 51, 53));
    expect(await desk.command('reservation.assignRoom', { reservationId: res.reservationId, roomId: h.room('115').id })).toMatchObject({
      ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('out of order') },
    });
    const stay = ok(await book('FAM', 55, 57, { roomId: h.room('215').id }));
    const blocksBefore = await sql(server, 'select id from room_block');
    expect(await block('215', 56, 58)).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reservationId: stay.reservationId } } });
    expect(await sql(server, 'select id from room_block')).toEqual(blocksBefore);
  });

  it('refuses taking a room out of order when every room of the type is sold (it would overbook)', async () => {
    const ste = h.type('STE');
    const rooms = await freeOn(server, ste.id, h.day(70));
    for (let i = 0; i < rooms; i++) ok(await book('STE', 70, 71, { guest: guest(`Full${i}`) }));
    expect(await block('411', 70, 71)).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('overbook') } });
    ok(await block('411', 71, 72));
  });

  it('unblocking a future block restores availability; a started block ends at the business date', async () => {
    const placed = ok(await block('315', 80, 83));
    const during = await available('FAM', 80, 81);
    const released = ok(await supervisor.command<RoomBlockView>('room.unblock', { blockId: placed.id }));
    expect(released).toMatchObject({ released: true, to: h.day(80) });
    expect(await available('FAM', 80, 81)).toBe(during + 1);
    const started = ok(await block('315', 0, 5));
    await setBusinessDate(server, desk.propertyId, h.day(2));
    try {
      const ended = ok(await supervisor.command<RoomBlockView>('room.unblock', { blockId: started.id }));
      expect(ended).toMatchObject({ from: h.day(0), to: h.day(2), released: true });
      expect(await sql(server, 'select arrival, departure from room_occupancy where block_id = ?', [started.id])).toEqual([{ arrival: h.day(0), departure: h.day(2) }]);
      ok(await book('FAM', 2, 4, { roomId: h.room('315').id }));
    } finally {
      await setBusinessDate(server, desk.propertyId, h.businessDate);
    }
  });

  it('a new room raises the capacity of its type on every open night', async () => {
    const fam = h.type('FAM');
    const before = await freeOn(server, fam.id, h.day(90));
    ok(await manager.command('room.create', { propertyId: desk.propertyId, number: '501', floor: 5, roomTypeId: fam.id }));
    expect(await freeOn(server, fam.id, h.day(90))).toBe(before + 1);
  });

  it('a group block holds rooms, the rooming list picks them up, cancellations go back to the block, release frees the rest', async () => {
    const dlx = h.type('DLX').id;
    const freeBefore = await freeOn(server, dlx, h.day(40));
    const group = ok(await desk.command<GroupView>('group.create', { propertyId: desk.propertyId, name: 'Acme offsite', arrival: h.day(40), departure: h.day(43), blocks: [{ roomTypeId: dlx, rooms: 3 }] }));
    expect(group.blocks).toEqual([{ roomTypeId: dlx, rooms: 3, pickedUp: 0, roomNightsHeld: 9, roomNightsPickedUp: 0 }]);
    expect(await freeOn(server, dlx, h.day(40))).toBe(freeBefore - 3);
    expect(errorCode(await desk.command('group.create', { propertyId: desk.propertyId, name: 'Too big', arrival: h.day(40), departure: h.day(41), blocks: [{ roomTypeId: dlx, rooms: 500 }] }))).toBe('CONFLICT');

    const add = (name: string) => desk.command<ReservationCreateResult>('group.addReservation', { groupId: group.id, roomTypeId: dlx, adults: 1, guest: guest(name, 'Acme') });
    const a = ok(await add('Al'));
    ok(await add('Bo'));
    expect(await freeOn(server, dlx, h.day(40))).toBe(freeBefore - 3);
    const update = await desk.waitForEvent((e) => e.type === 'group.updated' && (e.payload as { group: GroupView }).group.blocks[0]!.pickedUp === 2);
    expect((update.payload as { group: GroupView }).group.id).toBe(group.id);
    ok(await add('Cy'));
    ok(await add('Di')); // beyond the block: general inventory
    expect(await freeOn(server, dlx, h.day(40))).toBe(freeBefore - 4);

    ok(await desk.command('reservation.cancel', { reservationId: a.reservationId, reason: 'Dropped out' }));
    expect(await freeOn(server, dlx, h.day(40))).toBe(freeBefore - 4);
    const roomingList = ok(await desk.command<{ group: GroupView; roomingList: ReservationView[] }>('group.get', { groupId: group.id }));
    expect(roomingList.roomingList.map((r) => r.status).sort()).toEqual(['cancelled', 'confirmed', 'confirmed', 'confirmed']);
    expect(roomingList.group.blocks[0]).toMatchObject({ rooms: 3, pickedUp: 2 });

    const released = ok(await desk.command<GroupView>('group.release', { groupId: group.id }));
    expect(released).toMatchObject({ status: 'released', blocks: [{ rooms: 2, pickedUp: 2 }] });
    expect(await freeOn(server, dlx, h.day(40))).toBe(freeBefore - 3);
    expect((await snapshotOf(desk)).groups.find((g) => g.id === group.id)).toMatchObject({ status: 'released' });
  });

  it('keeps counters equal to the ledger, and every event within the contract', async () => {
    await settle(100);
    expect(await inventoryMismatches(server)).toEqual([]);
    expectEventsMatchContract(desk.events);
  });
});
