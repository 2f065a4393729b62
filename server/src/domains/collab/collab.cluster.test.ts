// Shared documents across two real server processes sharing Postgres and Redis: edits and presence
// fan out between nodes, an acknowledged edit survives kill -9 of its node, and a board that comes
// back (on the other node) resumes from its state vector.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { docName, type DocJoinResult, type PropertySnapshotBase } from '@innboard/shared';
import type { DocSession } from '@innboard/shared/collab';
import { connect, loginAndConnect, type Client } from '../../testing/factory.ts';
import { createTestDatabase } from '../../testing/databases.ts';
import { spawnNode, startRedis, waitFor, type NodeProcess, type RedisServer } from '../../testing/cluster.ts';
import { ackCode, append, movableSession, openSession, textOf, untilText } from './test-helpers.ts';

type Conn = Awaited<ReturnType<typeof loginAndConnect>>;
const names = (s: DocSession) => [...s.awareness.getStates().values()].map((st) => String(st.user?.name ?? ''));

describe('shared documents on two nodes with Redis', () => {
  let redis: RedisServer;
  let a: NodeProcess;
  let b: NodeProcess;
  let db: pg.Client;
  let snapshot: PropertySnapshotBase;
  const clients: Client[] = [];
  const sessions: DocSession[] = [];

  const on = async (node: NodeProcess, email: string): Promise<Conn> => {
    const c = await loginAndConnect(node.url, email);
    clients.push(c);
    return c;
  };
  const open = async (c: Client, name: string) => {
    const s = await openSession(c.socket, name);
    sessions.push(s);
    return s;
  };
  /** The text as PostgreSQL holds it (snapshot + appended updates), read without any node. */
  const storedText = async (name: string) => {
    const { rows } = await db.query<{ snapshot: Buffer | null; updates: Buffer[] }>(
      'select d.snapshot, array(select u.data from collab_update u where u.document_id = d.id order by u.id) as updates from collab_document d where d.name = $1', [name]);
    const doc = new Y.Doc();
    const row = rows[0];
    if (row) for (const part of [...(row.snapshot ? [row.snapshot] : []), ...row.updates]) Y.applyUpdate(doc, new Uint8Array(part));
    return doc.getText('body').toString();
  };

  beforeAll(async () => {
    redis = await startRedis();
    const databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    [a, b] = await Promise.all(['A', 'B'].map((name) => spawnNode({ name, databaseUrl, redisUrl: redis.url, transport: 'uws' })));
    const probe = await on(a, 'frontdesk@innboard.demo');
    snapshot = ((await probe.sync(probe.propertyId)) as { snapshot: PropertySnapshotBase }).snapshot;
  }, 120_000);
  afterAll(async () => {
    for (const s of sessions) s.awareness.destroy();
    for (const c of clients) c.close();
    a?.kill();
    b?.kill();
    await Promise.all([a?.exited, b?.exited]);
    await db?.end();
    await redis?.stop();
  });

  it('two clients on two nodes editing one document at once converge, and presence crosses nodes', async () => {
    const name = docName({ kind: 'shiftLog', propertyId: snapshot.property.id, date: snapshot.property.businessDate });
    const deskOnA = await on(a, 'frontdesk@innboard.demo');
    const hkOnB = await on(b, 'housekeeping@innboard.demo');
    const x = await open(deskOnA, name);
    const y = await open(hkOnB, name);
    for (let i = 0; i < 25; i++) {
      x.text.insert(0, `a${i};`);
      y.text.insert(y.text.length, `b${i};`);
    }
    expect([...(await x.flush()), ...(await y.flush())].map(ackCode).filter((c) => c !== 'OK')).toEqual([]);
    const all = (t: string) => Array.from({ length: 25 }, (_, i) => [`a${i};`, `b${i};`]).flat().every((piece) => t.includes(piece));
    await untilText(x, all, 'node B edits on node A');
    await untilText(y, all, 'node A edits on node B');
    expect(textOf(x)).toBe(textOf(y));
    expect(await storedText(name)).toBe(textOf(x));

    // Presence: announced on A, seen on B; a late joiner on B asks, A answers across Redis.
    x.setPresence({ user: { name: 'Frida Frontdesk' }, cursor: { anchor: 0, head: 2 } });
    await waitFor('presence of A at B', async () => names(y).includes('Frida Frontdesk'));
    y.setPresence({ user: { name: 'Hugo Housekeeper' } });
    await waitFor('presence of B at A', async () => names(x).includes('Hugo Housekeeper'));
    const supOnB = await on(b, 'supervisor@innboard.demo');
    const late = await open(supOnB, name);
    await waitFor('presence of A at a late joiner on B', async () => names(late).includes('Frida Frontdesk'));
    expect(textOf(late)).toBe(textOf(x));
    // A's socket goes without a goodbye: node A retracts its presence on node B.
    deskOnA.close();
    await waitFor('A gone at B', async () => !names(y).includes('Frida Frontdesk') && !names(late).includes('Frida Frontdesk'));
  });

  it('an acknowledged edit survives kill -9 of its node; the board resumes on the other node from its state vector', async () => {
    const room = snapshot.rooms[2]!;
    const name = docName({ kind: 'roomNotes', roomId: room.id });
    const desk = await on(a, 'frontdesk@innboard.demo');
    const moving = movableSession(desk.socket, name);
    sessions.push(moving.session);
    expect(ackCode(await moving.session.join())).toBe('OK');
    const hkOnB = await on(b, 'housekeeping@innboard.demo');
    const other = await open(hkOnB, name);

    expect(ackCode(await append(moving.session, 'Acked before the crash.'))).toBe('OK');
    a.kill('SIGKILL');
    expect(await a.exited).toBeNull();
    expect(await storedText(name)).toBe('Acked before the crash.');

    // While the desk is cut off: housekeeping writes on B, the desk keeps typing locally.
    expect(ackCode(await append(other, ' Written on B meanwhile.'))).toBe('OK');
    moving.session.text.insert(0, 'Offline: ');

    // The desk's board reconnects, to node B (no sticky sessions), and joins again with its state vector.
    const again = await connect(b.url, desk.session.accessToken);
    clients.push(again);
    moving.moveTo(again.socket);
    const ack = await moving.session.join();
    expect(ackCode(ack)).toBe('OK');
    // The server sent only what the desk lacked: housekeeping's edit, none of the desk's own text.
    const reply = decoding.createDecoder(new Uint8Array((ack as { result: DocJoinResult }).result.reply));
    decoding.readVarUint(reply); // sync step 2
    const missing = Y.decodeUpdate(decoding.readVarUint8Array(reply));
    const authors = new Set(missing.structs.map((s) => s.id.client));
    expect([...authors]).toEqual([other.doc.clientID]);

    const expected = 'Offline: Acked before the crash. Written on B meanwhile.';
    await untilText(moving.session, (t) => t === expected, 'desk after resuming');
    await untilText(other, (t) => t === expected, 'the desk\'s offline edit on B');
    await waitFor('offline edit stored', async () => (await storedText(name)) === expected);
  });
});
