// An out-of-order ticket is inventory too: the room's block takes it off sale while the ticket is
// open, and a refused block (a guest is assigned to the room) writes nothing at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityResult, ReservationCreateResult, TicketView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, guest, hotelOf, inventoryMismatches, ok, sql, type Conn, type Hotel } from '../reservations/testing.ts';
import { OPEN_ENDED_BLOCK_DAYS } from './out-of-order.ts';

describe('out-of-order tickets and inventory', () => {
  let server: TestServer;
  let sup: Conn;
  let desk: Conn;
  let h: Hotel;
  const report = (roomNumber: string, description: string) =>
    sup.command<TicketView>('ticket.create', { propertyId: sup.propertyId, roomId: h.room(roomNumber).id, category: 'plumbing', priority: 'urgent', description, outOfOrder: true });
  const available = async (roomNumber: string, from: number, to: number) => {
    const result = ok(await desk.command<AvailabilityResult>('availability.search', { propertyId: desk.propertyId, arrival: h.day(from), departure: h.day(to), adults: 1 }));
    return result.roomTypes.find((t) => t.roomTypeId === h.room(roomNumber).roomTypeId)?.available ?? 0;
  };
  const roomStatus = async (roomNumber: string) => (await sql<{ status: string }>(server, 'select status from room where id = ?', [h.room(roomNumber).id]))[0]!.status;
  const counts = async () => (await sql<{ tickets: string; blocks: string }>(server, 'select (select count(*) from maintenance_ticket) as tickets, (select count(*) from room_block) as blocks'))[0];

  beforeAll(async () => {
    server = await startTestServer();
    [sup, desk] = await Promise.all(['supervisor@innboard.demo', 'frontdesk@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [sup, desk]) c?.close();
    await server?.stop();
  });

  it('takes the room off sale while the ticket is open and puts it back on resolve', async () => {
    const free = await available('110', 0, 2);
    const t = ok(await report('110', 'Ceiling leak'));
    expect(await available('110', 0, 2)).toBe(free - 1);
    // Open-ended: the whole window is blocked, the night after it is not.
    expect(await available('110', OPEN_ENDED_BLOCK_DAYS - 1, OPEN_ENDED_BLOCK_DAYS)).toBe(free - 1);
    expect(await available('110', OPEN_ENDED_BLOCK_DAYS, OPEN_ENDED_BLOCK_DAYS + 1)).toBe(free);
    const [stored] = await sql<{ room_block_id: string | null }>(server, 'select room_block_id from maintenance_ticket where id = ?', [t.ticketId]);
    const blocked = await desk.waitForEvent((e) => e.type === 'room.blocked');
    expect(blocked.payload).toMatchObject({ block: { id: stored!.room_block_id, roomId: h.room('110').id, kind: 'out_of_order', from: h.day(0), to: h.day(OPEN_ENDED_BLOCK_DAYS) } });
    expect(await inventoryMismatches(server)).toEqual([]);

    ok(await sup.command('ticket.resolve', { ticketId: t.ticketId, resolution: 'Patched' }));
    expect(await available('110', 0, 2)).toBe(free);
    await desk.waitForEvent((e) => e.type === 'room.unblocked');
    const [after] = await sql<{ room_block_id: string | null }>(server, 'select room_block_id from maintenance_ticket where id = ?', [t.ticketId]);
    expect(after!.room_block_id).toBeNull();
    expect(await roomStatus('110')).toBe('dirty');
    expect(await inventoryMismatches(server)).toEqual([]);
  });

  it('two tickets on one room share one block; it ends with the last of them', async () => {
    const free = await available('111', 0, 1);
    const first = ok(await report('111', 'No hot water'));
    const second = ok(await report('111', 'Broken window'));
    expect(await available('111', 0, 1)).toBe(free - 1);
    ok(await sup.command('ticket.resolve', { ticketId: first.ticketId, resolution: 'Boiler fixed' }));
    expect(await available('111', 0, 1)).toBe(free - 1);
    expect(await roomStatus('111')).toBe('out_of_order');
    ok(await sup.command('ticket.update', { ticketId: second.ticketId, status: 'closed' }));
    expect(await available('111', 0, 1)).toBe(free);
    expect(await inventoryMismatches(server)).toEqual([]);
  });

  it('a room with a stay assigned in the window answers CONFLICT and writes nothing', async () => {
    const res = ok(await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: h.room('113').roomTypeId, arrival: h.day(5), departure: h.day(7), adults: 1, guest: guest('Booked'), roomId: h.room('113').id,
    }));
    const before = { counts: await counts(), status: await roomStatus('113'), free: await available('113', 0, 2) };
    const heard = sup.events.length;
    const ack = await report('113', 'Wobbly bed');
    expect(ack).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reservationId: res.reservationId } } });
    await settle();
    expect(sup.events.length).toBe(heard);
    expect({ counts: await counts(), status: await roomStatus('113'), free: await available('113', 0, 2) }).toEqual(before);
  });
});
