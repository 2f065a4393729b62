import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '@innboard/shared';
import { connect, loginAndConnect, startTestServer, type Client, type TestServer } from '../../testing/factory.ts';
import { errorCode, freeOn, guest, hotelOf, inventoryMismatches, ok, sql, type Conn, type Hotel } from './testing.ts';

// THE RACE: many desks try to sell the last room-night at the same moment. Exactly one may win.
const SOCKETS = 20;
const PER_SOCKET = 10;

describe('no double booking under concurrency', () => {
  let server: TestServer;
  let desk: Conn;
  let sockets: Client[];
  let h: Hotel;

  beforeAll(async () => {
    server = await startTestServer();
    desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    sockets = await Promise.all(Array.from({ length: SOCKETS }, () => connect(server.url, desk.session.accessToken)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const s of sockets ?? []) s.close();
    desk?.close();
    await server?.stop();
  });

  /** Fires SOCKETS x PER_SOCKET creates at once and returns their acks. */
  async function stampede(payload: (i: number) => Record<string, unknown>): Promise<Ack[]> {
    return Promise.all(sockets.flatMap((s, si) => Array.from({ length: PER_SOCKET }, (_, k) => s.command('reservation.create', payload(si * PER_SOCKET + k)))));
  }

  it(`${SOCKETS * PER_SOCKET} simultaneous bookings for the last room-night of a type: one wins, the rest CONFLICT`, async () => {
    const fam = h.type('FAM');
    const night = h.day(200);
    const rooms = await freeOn(server, fam.id, night);
    expect(rooms).toBeGreaterThan(1);
    for (let i = 0; i < rooms - 1; i++) ok(await desk.command('reservation.create', { propertyId: desk.propertyId, roomTypeId: fam.id, arrival: night, departure: h.day(201), adults: 2, guest: guest(`Early${i}`) }));
    expect(await freeOn(server, fam.id, night)).toBe(1);

    const acks = await stampede((i) => ({ propertyId: desk.propertyId, roomTypeId: fam.id, arrival: night, departure: h.day(201), adults: 2, guest: guest(`Racer${i}`) }));
    const codes = acks.map(errorCode);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(SOCKETS * PER_SOCKET - 1);

    const [row] = await sql<{ capacity: number; sold: number }>(server, 'select capacity, sold from room_type_night where room_type_id = ? and date = ?', [fam.id, night]);
    expect(row).toEqual({ capacity: rooms, sold: rooms });
    const [booked] = await sql<{ n: number }>(server, `select count(*)::int as n from reservation_night n join reservation r on r.id = n.reservation_id
      where n.room_type_id = ? and n.date = ? and r.status = 'confirmed'`, [fam.id, night]);
    expect(booked!.n).toBe(rooms);
    const [racers] = await sql<{ n: number }>(server, `select count(*)::int as n from reservation r join guest g on g.id = r.guest_id where g.first_name like 'Racer%'`);
    expect(racers!.n).toBe(1);
    expect(await inventoryMismatches(server)).toEqual([]);
  });

  it(`${SOCKETS * PER_SOCKET} simultaneous bookings of one explicit room for overlapping nights: one wins`, async () => {
    const room = h.room('204');
    // Everyone wants room 204 for a stay that overlaps everyone else's on day 210.
    const acks = await stampede((i) => ({
      propertyId: desk.propertyId, roomTypeId: room.roomTypeId, roomId: room.id, arrival: h.day(209 + (i % 2)), departure: h.day(211 + (i % 3)), adults: 1, guest: guest(`Roomer${i}`),
    }));
    const codes = acks.map(errorCode);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(SOCKETS * PER_SOCKET - 1);
    const held = await sql(server, 'select reservation_id from room_occupancy where room_id = ? and arrival < ? and departure > ?', [room.id, h.day(214), h.day(208)]);
    expect(held).toHaveLength(1);
    expect(await inventoryMismatches(server)).toEqual([]);
  });

  it('the database itself refuses an overlapping room hold and an oversold night, whatever the application does', async () => {
    const room = h.room('205');
    ok(await desk.command('reservation.create', { propertyId: desk.propertyId, roomTypeId: room.roomTypeId, roomId: room.id, arrival: h.day(220), departure: h.day(223), adults: 1, guest: guest('Solid') }));
    const [held] = await sql<{ reservation_id: string }>(server, 'select reservation_id from room_occupancy where room_id = ?', [room.id]);
    const insert = sql(server, `insert into room_occupancy (id, property_id, room_id, reservation_id, arrival, departure)
      values (gen_random_uuid(), ?, ?, ?, ?, ?)`, [desk.propertyId, room.id, held!.reservation_id, h.day(222), h.day(224)]);
    await expect(insert).rejects.toMatchObject({ code: '23P01' });
    // Back to back is allowed: [220, 223) and [223, 224) do not overlap.
    await sql(server, `insert into room_occupancy (id, property_id, room_id, reservation_id, arrival, departure) values (gen_random_uuid(), ?, ?, ?, ?, ?)`,
      [desk.propertyId, room.id, held!.reservation_id, h.day(223), h.day(224)]);
    const oversell = sql(server, 'update room_type_night set sold = capacity + 1 where room_type_id = ? and date = ?', [room.roomTypeId, h.day(230)]);
    await expect(oversell).rejects.toMatchObject({ code: '23514' });
  });
});
