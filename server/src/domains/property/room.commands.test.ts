import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PropertySnapshotBase } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, TRANSPORTS, type TestServer } from '../../testing/factory.ts';

describe.each(TRANSPORTS)('room commands over %s', (transport) => {
  let server: TestServer;
  let desk: Awaited<ReturnType<typeof loginAndConnect>>;
  let hk: Awaited<ReturnType<typeof loginAndConnect>>;
  let snapshot: PropertySnapshotBase;

  beforeAll(async () => {
    server = await startTestServer({ transport });
    expect(server.app.transport.kind).toBe(transport);
    desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    hk = await loginAndConnect(server.url, 'housekeeping@innboard.demo');
    const res = await desk.sync(desk.propertyId);
    if (!res.ok || !('snapshot' in res)) throw new Error('expected snapshot');
    snapshot = res.snapshot as PropertySnapshotBase;
  });
  afterAll(async () => {
    desk?.close();
    hk?.close();
    await server?.stop();
  });

  it('snapshot lists the demo hotel rooms and room types', () => {
    expect(snapshot.rooms).toHaveLength(60);
    expect(snapshot.roomTypes).toHaveLength(4);
    expect(snapshot.property.name).toBe('Innboard Demo Hotel');
    expect(snapshot.rooms[0]).toMatchObject({ id: expect.any(String), number: '101', floor: 1, roomTypeId: expect.any(String), status: 'clean' });
  });

  it('room.setStatus commits, acks with seq and reaches the other board', async () => {
    const room = snapshot.rooms.find((r) => r.number === '205')!;
    const ack = await desk.command('room.setStatus', { roomId: room.id, status: 'dirty' });
    expect(ack).toMatchObject({ ok: true, result: { roomId: room.id, status: 'dirty', previousStatus: 'clean' }, seq: expect.any(Number) });
    const event = await hk.waitForEvent((e) => e.type === 'room.statusChanged' && (e.payload as { roomId: string }).roomId === room.id);
    expect(event).toMatchObject({ seq: (ack as { seq: number }).seq, propertyId: desk.propertyId, payload: { roomId: room.id, status: 'dirty', previousStatus: 'clean' }, at: expect.any(String) });
  });

  it('setting the status a room already has succeeds with no event and no seq', async () => {
    const room = snapshot.rooms.find((r) => r.number === '206')!;
    const before = hk.events.length;
    const ack = await desk.command('room.setStatus', { roomId: room.id, status: 'clean' });
    expect(ack.ok).toBe(true);
    expect(ack).not.toHaveProperty('seq');
    await settle();
    expect(hk.events.length).toBe(before);
  });
});
