// A command the database does not finish in time is answered UNAVAILABLE before the board's ack
// timeout; the work is not abandoned: once it commits, the same id answers ok and the event is there once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { PropertySnapshotBase } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { holdRoomLock } from '../testing/databases.ts';

describe('command deadline', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { COMMAND_DEADLINE_MS: '500' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers UNAVAILABLE at the deadline, commits later, and the same id then answers ok', async () => {
    const board = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const snap = (await board.sync(board.propertyId)) as { snapshot: PropertySnapshotBase };
    const room = snap.snapshot.rooms.find((r) => r.status !== 'out_of_service')!;
    // The database "stops answering" for this room: the test holds its row lock.
    const lock = await holdRoomLock(server.databaseUrl, room.id);

    const id = randomUUID();
    const ack = await board.command('room.setStatus', { roomId: room.id, status: 'out_of_service' }, id);
    expect(ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

    await lock.release();
    const event = await board.waitForEvent((e) => (e.payload as { roomId?: string }).roomId === room.id);
    const again = await board.command('room.setStatus', { roomId: room.id, status: 'out_of_service' }, id);
    expect(again).toMatchObject({ ok: true, seq: event.seq });
    const db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from event_log where command_id = $1', [id]);
    await db.end();
    expect(rows[0]!.n).toBe(1);
    board.close();
  });
});
