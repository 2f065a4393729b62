// The catch-up read: the snapshot and the seq it reports describe one moment, and the read computes
// no ORM change sets over what it loaded (no flush at its end; a part's own flush sees only that part).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventSubscriber } from '@mikro-orm/core';
import type { PropertySnapshotBase } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { syncProperty } from './sync.ts';

describe('syncProperty', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads a snapshot and a catch-up consistent with their seq, flushing none of the entities it loaded', async () => {
    const board = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    // Per flush on the ORM, the entity types it had to walk for change sets.
    const flushed: string[][] = [];
    const counter: EventSubscriber = { beforeFlush: ({ uow }) => void flushed.push([...new Set(uow.getIdentityMap().values().map((e) => e.constructor.name))]) };
    server.app.orm.em.getEventManager().registerSubscriber(counter);

    const before = await syncProperty(server.app.orm, board.propertyId, undefined);
    if (!before.ok || !('snapshot' in before)) return expect.fail('expected a snapshot');
    // No flush at the end, and the one a part makes on purpose (housekeeping's occupancy read) must not walk
    // what the parts before it loaded (property: room types; reservations: rate plans, offers).
    expect(flushed.length).toBeLessThanOrEqual(1);
    expect(flushed.flat()).not.toContain('RoomType');
    expect(flushed.flat()).not.toContain('RatePlan');

    const room = (before.snapshot as PropertySnapshotBase).rooms.find((r) => r.status !== 'out_of_service')!;
    const ack = await board.command('room.setStatus', { roomId: room.id, status: 'out_of_service' }, randomUUID());
    if (!ack.ok) return expect.fail(JSON.stringify(ack));
    const after = await syncProperty(server.app.orm, board.propertyId, undefined);
    if (!after.ok || !('snapshot' in after)) return expect.fail('expected a snapshot');
    expect(after.seq).toBe(ack.seq);
    expect((after.snapshot as PropertySnapshotBase).rooms.find((r) => r.id === room.id)?.status).toBe('out_of_service');

    flushed.length = 0;
    const caught = await syncProperty(server.app.orm, board.propertyId, before.seq);
    if (!caught.ok || !('events' in caught)) return expect.fail('expected events');
    expect(caught.events.map((e) => e.seq)).toEqual([ack.seq]);
    expect(flushed).toEqual([]);
    board.close();
  });
});
