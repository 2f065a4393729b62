// The board resends an undecided command with the same id. While the first attempt is stuck (here: the
// test holds the room's row lock), resends of that id by the same user on the node join it instead of
// opening one more waiting transaction each; every copy still gets its answer by the deadline.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { PropertySnapshotBase } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { holdRoomLock } from '../testing/databases.ts';

describe('same-id commands on one node', () => {
  let server: TestServer;
  let db: pg.Client;
  beforeAll(async () => {
    server = await startTestServer({ env: { COMMAND_DEADLINE_MS: '500' } });
    db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await server?.stop();
  });

  it('run once per user while in flight: resends wait for that attempt, another user\'s copy does not', async () => {
    const desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const deskTab = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const sup = await loginAndConnect(server.url, 'supervisor@innboard.demo');
    const snap = (await desk.sync(desk.propertyId)) as { snapshot: PropertySnapshotBase };
    const room = snap.snapshot.rooms.find((r) => r.status !== 'out_of_service')!;
    const lock = await holdRoomLock(server.databaseUrl, room.id);

    const id = randomUUID();
    const send = (c: typeof desk) => c.command('room.setStatus', { roomId: room.id, status: 'out_of_service' }, id);
    // Three copies by the front desk (two from one tab, one from another) and one by the supervisor, sent once
    // the desk's attempt waits for the row: which of two users' attempts reaches it first is a race otherwise.
    // (Polled from outside the lock's transaction: inside it, Postgres keeps serving the first stats snapshot.)
    const deskCopies = [send(desk), send(desk), send(deskTab)];
    await expect.poll(async () => (await db.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    )).rows[0]!.n).toBe(1);
    const acks = await Promise.all([...deskCopies, send(sup)]);
    for (const ack of acks) expect(ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    // Every copy has been answered, so each has reached the database or joined: one transaction per user waits.
    expect(await lock.waiting()).toBe(2);

    await lock.release();
    const event = await desk.waitForEvent((e) => (e.payload as { roomId?: string }).roomId === room.id);
    expect(await send(deskTab)).toMatchObject({ ok: true, seq: event.seq });
    // The supervisor's copy raced the desk's commit and lost on the command id: whether the resend joins that
    // attempt or runs after it, the answer is CONFLICT, never the desk's ok (dispatch.ts replays a stored
    // answer only to its own user, also after a lost race).
    expect(await send(sup)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from event_log where command_id = $1', [id]);
    expect(rows[0]!.n).toBe(1);
    for (const c of [desk, deskTab, sup]) c.close();
  });
});
