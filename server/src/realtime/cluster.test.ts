// Two real server processes behind no load balancer, sharing one Postgres database and one Redis:
// what one node does, the other node's clients must see, and nothing may depend on which node a
// client happens to reach.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { docName, type Ack, type PropertySnapshotBase } from '@innboard/shared';
import { connect, login, loginAndConnect, settle, TRANSPORTS, type Client } from '../testing/factory.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { spawnNode, startRedis, waitFor, type NodeProcess, type RedisServer } from '../testing/cluster.ts';
import { append, openSession, textOf, untilText } from '../domains/collab/test-helpers.ts';

type Conn = Awaited<ReturnType<typeof loginAndConnect>>;
const code = (ack: Ack) => (ack.ok ? 'OK' : ack.error.code);
const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(TRANSPORTS)('two nodes over %s sharing Postgres and Redis', (transport) => {
  let redis: RedisServer;
  let a: NodeProcess;
  let b: NodeProcess;
  let db: pg.Client;
  let rooms: PropertySnapshotBase['rooms'];
  const open: Client[] = [];
  const room = (n: string) => rooms.find((r) => r.number === n)!;
  const on = async (node: NodeProcess, email: string): Promise<Conn> => {
    const c = await loginAndConnect(node.url, email);
    open.push(c);
    return c;
  };
  const count = async (sql: string, params: unknown[]) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

  beforeAll(async () => {
    redis = await startRedis();
    const databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const env = { COMMANDS_PER_SECOND: '40', USER_COMMANDS_PER_SECOND: '40' };
    [a, b] = await Promise.all(['A', 'B'].map((name) => spawnNode({ name, databaseUrl, redisUrl: redis.url, transport, env })));
    const probe = await on(a, 'frontdesk@innboard.demo');
    rooms = ((await probe.sync(probe.propertyId)) as { snapshot: PropertySnapshotBase }).snapshot.rooms;
  });
  afterAll(async () => {
    for (const c of open) c.close();
    a?.kill();
    b?.kill();
    await Promise.all([a?.exited, b?.exited]);
    await db?.end();
    await redis?.stop();
  });

  it('a board on node B sees a command made on node A, and catches up from either node', async () => {
    const desk = await on(a, 'frontdesk@innboard.demo');
    const board = await on(b, 'supervisor@innboard.demo');
    const { seq: start } = (await board.sync(board.propertyId, 0)) as { seq: number };
    const ack = await desk.command('room.setStatus', { roomId: room('201').id, status: 'dirty' });
    expect(ack).toMatchObject({ ok: true, seq: start + 1 });
    const heard = await board.waitForEvent((e) => e.seq === start + 1);
    expect(heard).toMatchObject({ type: 'room.statusChanged', payload: { roomId: room('201').id, status: 'dirty' } });
    // And the other way round.
    const back = await board.command('room.setStatus', { roomId: room('202').id, status: 'dirty' });
    await desk.waitForEvent((e) => e.seq === (back as { seq: number }).seq);

    const fromA = (await desk.sync(desk.propertyId, start)) as { seq: number; events: Array<{ seq: number }> };
    const fromB = (await board.sync(board.propertyId, start)) as { seq: number; events: Array<{ seq: number }> };
    expect(fromA.events.map((e) => e.seq)).toEqual([start + 1, start + 2]);
    expect(fromB).toEqual(fromA);
  });

  it('the same command id sent to node A then node B has one effect and the same answer', async () => {
    const deskA = await on(a, 'frontdesk@innboard.demo');
    const deskB = await on(b, 'frontdesk@innboard.demo');
    const id = randomUUID();
    const first = await deskA.command('room.setStatus', { roomId: room('203').id, status: 'inspected' }, id);
    expect(first.ok).toBe(true);
    expect(await deskB.command('room.setStatus', { roomId: room('203').id, status: 'inspected' }, id)).toEqual(first);
    expect(await count('select count(*) as n from event_log where command_id = $1', [id])).toBe(1);

    // Concurrently: both nodes race on the idempotency key; one commits, the other returns its answer.
    for (let i = 0; i < 5; i++) {
      const raced = randomUUID();
      const status = i % 2 ? 'dirty' : 'out_of_service';
      const [x, y] = await Promise.all([
        deskA.command('room.setStatus', { roomId: room('204').id, status }, raced),
        deskB.command('room.setStatus', { roomId: room('204').id, status }, raced),
      ]);
      expect(x.ok).toBe(true);
      expect(y).toEqual(x);
      expect(await count('select count(*) as n from event_log where command_id = $1', [raced])).toBe(1);
      expect(await count("select count(*) as n from audit_outbox where command_id = $1 and outcome = 'ok'", [raced])).toBe(1);
    }
  });

  it('a role change made on node A applies to the next command on node B (cached permissions invalidated)', async () => {
    const admin = await on(a, 'admin@innboard.demo');
    const manager = await on(b, 'manager@innboard.demo');
    const managerId = manager.session.user.id;
    // Warm node B's cached permission set for the manager.
    const r = room('205');
    expect(code(await manager.command('room.update', { roomId: r.id, features: ['quiet'] }))).toBe('OK');
    expect(code(await admin.command('user.setRole', { propertyId: admin.propertyId, userId: managerId, role: 'housekeeper' }))).toBe('OK');
    expect(code(await manager.command('room.update', { roomId: r.id, features: ['quiet', 'corner'] }))).toBe('FORBIDDEN');
    expect(code(await admin.command('user.setRole', { propertyId: admin.propertyId, userId: managerId, role: 'manager' }))).toBe('OK');
    expect(code(await manager.command('room.update', { roomId: r.id, features: ['quiet', 'corner'] }))).toBe('OK');
  });

  it('removing a membership on node A stops that user\'s live events and catch-up on node B', async () => {
    const admin = await on(a, 'admin@innboard.demo');
    const hk = await on(b, 'housekeeping@innboard.demo');
    const desk = await on(a, 'frontdesk@innboard.demo');
    const hkId = hk.session.user.id;
    const before = await desk.command('room.setStatus', { roomId: room('206').id, status: 'dirty' });
    await hk.waitForEvent((e) => e.seq === (before as { seq: number }).seq);

    expect(code(await admin.command('membership.set', { propertyId: admin.propertyId, userId: hkId, role: null }))).toBe('OK');
    const heard = hk.events.length;
    await desk.command('room.setStatus', { roomId: room('207').id, status: 'dirty' });
    await settle();
    expect(hk.events.length).toBe(heard);
    expect(await hk.sync(hk.propertyId, 0)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(code(await hk.command('room.setStatus', { roomId: room('207').id, status: 'clean' }))).toBe('NOT_FOUND');

    // Added back: the open socket joins the property again, on node B, without reconnecting.
    expect(code(await admin.command('membership.set', { propertyId: admin.propertyId, userId: hkId, role: 'housekeeper' }))).toBe('OK');
    const after = await desk.command('room.setStatus', { roomId: room('208').id, status: 'dirty' });
    await hk.waitForEvent((e) => e.seq === (after as { seq: number }).seq);
  });

  it('removing a membership on node A stops that user hearing the property\'s open documents on node B', async () => {
    const admin = await on(a, 'admin@innboard.demo');
    const hk = await on(b, 'housekeeping@innboard.demo');
    // The same user on the node that runs the command too (closed there directly, not via the other node).
    const hkOnA = await on(a, 'housekeeping@innboard.demo');
    const desk = await on(a, 'frontdesk@innboard.demo');
    const sup = await on(b, 'supervisor@innboard.demo');
    const name = docName({ kind: 'roomNotes', roomId: room('209').id });
    const [writer, removed, removedOnA, witness] = await Promise.all([desk, hk, hkOnA, sup].map((c) => openSession(c.socket, name)));
    expect(await append(writer!, 'Before.')).toEqual({ ok: true });
    await untilText(removed!, (t) => t === 'Before.', 'edit heard before the removal on B');
    await untilText(removedOnA!, (t) => t === 'Before.', 'edit heard before the removal on A');

    expect(code(await admin.command('membership.set', { propertyId: admin.propertyId, userId: hk.session.user.id, role: null }))).toBe('OK');
    expect(await append(writer!, ' After.')).toEqual({ ok: true });
    // A member still in the property on node B hears it, so the edit has been fanned out there.
    await untilText(witness!, (t) => t === 'Before. After.', 'edit heard by a member after the removal');
    await settle();
    expect(textOf(removed!)).toBe('Before.');
    expect(textOf(removedOnA!)).toBe('Before.');

    expect(code(await admin.command('membership.set', { propertyId: admin.propertyId, userId: hk.session.user.id, role: 'housekeeper' }))).toBe('OK');
    for (const s of [writer!, removed!, removedOnA!, witness!]) s.awareness.destroy();
  });

  it('deactivating a user on node A disconnects their boards on node B and ends their sessions', async () => {
    const admin = await on(a, 'admin@innboard.demo');
    const pos = await on(b, 'pos@innboard.demo');
    const dropped = new Promise((resolve) => pos.socket.once('disconnect', resolve));
    expect(code(await admin.command('user.deactivate', { propertyId: admin.propertyId, userId: pos.session.user.id }))).toBe('OK');
    await dropped;
    expect((await post(b.url, '/api/auth/login', { email: 'pos@innboard.demo', password: 'innboard-demo' })).status).toBe(401);
    expect((await post(b.url, '/api/auth/refresh', { refreshToken: pos.session.refreshToken })).status).toBe(401);
    // The still-valid access token gets nowhere either.
    const again = await connect(b.url, pos.session.accessToken).catch(() => null);
    if (again) {
      await waitFor('the server to drop the socket', async () => again.socket.disconnected);
      again.close();
    }
  });

  it('failed logins spread over both nodes lock the account on both (shared throttle)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post(i % 2 ? a.url : b.url, '/api/auth/login', { email: 'harbor.frontdesk@innboard.demo', password: `nope-${i}` })).status);
    expect(statuses).toEqual(Array(10).fill(401));
    expect((await post(a.url, '/api/auth/login', { email: 'harbor.frontdesk@innboard.demo', password: 'innboard-demo' })).status).toBe(429);
    expect((await post(b.url, '/api/auth/login', { email: 'harbor.frontdesk@innboard.demo', password: 'innboard-demo' })).status).toBe(429);
  });

  it('the command rate limit is one budget per user across nodes', async () => {
    const sessionA = await login(a.url, 'supervisor@innboard.demo');
    const onA = await connect(a.url, sessionA.accessToken);
    const onB = await connect(b.url, sessionA.accessToken);
    open.push(onA, onB);
    // 30 per node stays under the per-second budget of 40; 60 in the same second does not.
    const burst = (c: Client) => Array.from({ length: 30 }, () => c.command('room.setStatus', { roomId: randomUUID(), status: 'dirty' }));
    const acks = await Promise.all([...burst(onA), ...burst(onB)]);
    expect(acks.filter((x) => code(x) === 'RATE_LIMITED').length).toBeGreaterThan(0);
  });
});
