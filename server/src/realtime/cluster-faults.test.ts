// Faults across real processes: a node killed with SIGKILL, Redis dying and coming back, a node
// stopped with SIGTERM. The invariant everywhere: an ok ack means the change and its event are in
// Postgres, and boards converge by seq whatever happened to the node they were talking to.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import type { Ack, PropertySnapshotBase } from '@innboard/shared';
import { connect, login, loginAndConnect, TRANSPORTS, type Client } from '../testing/factory.ts';
import { createTestDatabase, holdRoomLock } from '../testing/databases.ts';
import { acceptsConnections, health, spawnNode, startRedis, waitFor, type NodeOptions, type NodeProcess, type RedisServer } from '../testing/cluster.ts';

type Acked = { id: string; seq: number };

/** Resolves null instead of hanging when the client's node goes away mid-command. */
function commandOrGone(c: Client, gone: Promise<null>, type: string, payload: unknown, id = randomUUID()): Promise<Ack | null> {
  return Promise.race([c.command(type, payload, id).catch(() => null), gone]);
}

/** Workers that each toggle their own room, recording every ok ack, until `stop()` says so. */
function runTraffic(c: Client, roomIds: string[], stop: () => boolean): Promise<Acked[]> {
  const gone = new Promise<null>((resolve) => c.socket.once('disconnect', () => resolve(null)));
  const acked: Acked[] = [];
  const worker = async (roomId: string) => {
    for (let i = 0; !stop(); i++) {
      const id = randomUUID();
      const ack = await commandOrGone(c, gone, 'room.setStatus', { roomId, status: i % 2 ? 'clean' : 'dirty' }, id);
      if (ack === null) return; // node gone: whatever was in flight is unacknowledged
      if (ack.ok && ack.seq !== undefined) acked.push({ id, seq: ack.seq });
    }
  };
  return Promise.all(roomIds.map(worker)).then(() => acked);
}

describe.each(TRANSPORTS)('node and Redis faults over %s', (transport) => {
  let redis: RedisServer;
  let databaseUrl: string;
  let db: pg.Client;
  let rooms: PropertySnapshotBase['rooms'];
  const nodes: NodeProcess[] = [];
  const open: Client[] = [];
  const start = async (name: string, env: NodeOptions['env'] = {}) => {
    const node = await spawnNode({ name, databaseUrl, redisUrl: redis.url, transport, env });
    nodes.push(node);
    return node;
  };
  const on = async (node: NodeProcess, email: string) => {
    const c = await loginAndConnect(node.url, email);
    open.push(c);
    return c;
  };
  const roomIds = (...numbers: string[]) => numbers.map((n) => rooms.find((r) => r.number === n)!.id);

  /** Every ok ack is in the database with the seq it announced, and the property's log has no gap. */
  async function expectDurable(acked: Acked[], propertyId: string) {
    const { rows } = await db.query<{ command_id: string; seq: string }>('select command_id, seq from event_log where command_id = any($1::uuid[])', [acked.map((x) => x.id)]);
    const logged = new Map(rows.map((r) => [r.command_id, Number(r.seq)]));
    expect(acked.filter((x) => logged.get(x.id) !== x.seq)).toEqual([]);
    const { rows: seqs } = await db.query<{ seq: string }>('select seq from event_log where property_id = $1 order by seq', [propertyId]);
    expect(seqs.map((r) => Number(r.seq))).toEqual(seqs.map((_, i) => i + 1));
  }

  beforeAll(async () => {
    redis = await startRedis();
    databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const probe = await spawnNode({ name: 'probe', databaseUrl, transport });
    const c = await loginAndConnect(probe.url, 'frontdesk@innboard.demo');
    rooms = ((await c.sync(c.propertyId)) as { snapshot: PropertySnapshotBase }).snapshot.rooms;
    c.close();
    probe.kill();
    await probe.exited;
  });
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    for (const n of nodes.splice(0)) n.kill();
    await redis.start(); // a test that killed Redis leaves it running again
  });
  afterAll(async () => {
    await db?.end();
    await redis?.stop();
  });

  it('kill -9 of a node under traffic loses no acknowledged command', async () => {
    const [a, b] = await Promise.all([start('A'), start('B')]);
    const deskA = await on(a, 'frontdesk@innboard.demo');
    const hkB = await on(b, 'housekeeping@innboard.demo');
    let stopB = false;
    const trafficA = runTraffic(deskA, roomIds('301', '302', '303', '304'), () => false);
    const trafficB = runTraffic(hkB, roomIds('305', '306', '307', '308'), () => stopB);
    await waitFor('traffic on node A', async () => deskA.events.length >= 20);
    a.kill('SIGKILL');
    expect(await a.exited).toBeNull();
    const ackedA = await trafficA;
    // Node B carries on; its clients never noticed.
    const afterKill = hkB.events.length;
    await waitFor('traffic on node B after the kill', async () => hkB.events.length >= afterKill + 20);
    stopB = true;
    const ackedB = await trafficB;
    expect(ackedA.length).toBeGreaterThan(0);
    await expectDurable([...ackedA, ...ackedB], deskA.propertyId);

    // The survivor took over the audit relay (A's advisory lock died with its connection) and shipped everything.
    await waitFor('the audit outbox to drain on B', async () => (await health(b.url)).dependencies.auditSink!.backlog === 0);
    const { rows } = await db.query<{ outbox: number; log: number }>('select (select count(*) from audit_outbox)::int as outbox, (select count(*) from audit_log)::int as log');
    expect(rows[0]!.log).toBe(rows[0]!.outbox);
  });

  it('keeps serving through a Redis restart and converges by seq catch-up afterwards', async () => {
    const [a, b] = await Promise.all([start('A'), start('B')]);
    const desk = await on(a, 'frontdesk@innboard.demo');
    const board = await on(b, 'supervisor@innboard.demo');
    const { seq: start0 } = (await board.sync(board.propertyId, 0)) as { seq: number };
    let stop = false;
    const traffic = runTraffic(desk, roomIds('309', '310'), () => stop);
    await waitFor('live traffic reaching node B', async () => board.events.length >= 10);

    await redis.kill();
    await waitFor('node A to report redis down', async () => (await health(a.url)).dependencies.redis!.state === 'down');
    const duringOutage = desk.events.length;
    await waitFor('node A to keep acknowledging commands', async () => desk.events.length >= duringOutage + 10);
    // Logins fall back to the in-memory throttle instead of failing.
    expect((await login(a.url, 'manager@innboard.demo')).accessToken).toBeTruthy();

    await redis.start();
    await waitFor('both nodes to report redis up', async () => (await Promise.all([a, b].map(async (n) => (await health(n.url)).dependencies.redis!.state))).every((s) => s === 'up'));
    // Fan-out recovers: node B resubscribed its rooms and hears node A's commands live again.
    await waitFor('live delivery from A to B', async () => {
      const before = board.events.length;
      await new Promise((r) => setTimeout(r, 300));
      return board.events.length > before;
    });
    stop = true;
    const acked = await traffic;
    await expectDurable(acked, desk.propertyId);

    // The board missed what was published during the outage; catch-up by seq closes the gap.
    const lastSeq = Math.max(...acked.map((x) => x.seq));
    const seen = new Set(board.events.filter((e) => e.seq > start0).map((e) => e.seq));
    const missing = Array.from({ length: lastSeq - start0 }, (_, i) => start0 + 1 + i).filter((s) => !seen.has(s));
    const caught = (await board.sync(board.propertyId, start0)) as { seq: number; events: Array<{ seq: number }> };
    for (const e of caught.events) seen.add(e.seq);
    expect(missing.length).toBeGreaterThan(0); // the outage really cost live events
    expect(Array.from({ length: lastSeq - start0 }, (_, i) => start0 + 1 + i).every((s) => seen.has(s))).toBe(true);
    expect(caught.seq).toBeGreaterThanOrEqual(lastSeq);
  });

  it('SIGTERM finishes in-flight commands, refuses new ones, flushes the audit relay; clients move to another node', async () => {
    // A holds the relay lock; B's standby would only retry after a minute, so A's flush is what ships.
    // The in-flight commands wait on a lock the test holds for as long as the steps below take: keep them
    // inside the command deadline, which would otherwise answer UNAVAILABLE on a slow machine (command-deadline.test.ts).
    const a = await start('A', { COMMAND_DEADLINE_MS: '60000' });
    await waitFor('A to lead the audit relay', async () => (await health(a.url)).dependencies.auditSink!.relay === 'leader');
    const b = await start('B', { AUDIT_RELAY_INTERVAL_MS: '60000' });
    const desk = await on(a, 'frontdesk@innboard.demo');
    const board = await on(b, 'supervisor@innboard.demo');
    const { seq: start0 } = (await board.sync(board.propertyId, 0)) as { seq: number };
    const [held, other] = roomIds('311', '312');

    // Commands that will be in flight: blocked on a row lock the test holds.
    const lock = await holdRoomLock(databaseUrl, held);
    const gone = new Promise<null>((resolve) => desk.socket.once('disconnect', () => resolve(null)));
    // Three statuses the room does not have, so each one, in whatever order, is a change with an event.
    const inFlight = ['dirty', 'out_of_order', 'out_of_service'].map((status) => commandOrGone(desk, gone, 'room.setStatus', { roomId: held, status }));
    await waitFor('three commands waiting on the lock', async () => (await lock.waiting()) >= 3);

    a.kill('SIGTERM');
    await waitFor('A to stop accepting connections', async () => !(await acceptsConnections(a.port)));
    // Over a connection opened before the stop (uWS keeps idle ones; Node's server.close() ends them),
    // health tells the load balancer to go elsewhere.
    const during = await health(a.url).catch(() => null);
    if (during) expect(during.status).toBe('stopping');
    const refusedId = randomUUID();
    const refused = await commandOrGone(desk, gone, 'room.setStatus', { roomId: other, status: 'dirty' }, refusedId);
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

    await lock.release();
    const acks = await Promise.all(inFlight);
    expect(acks.map((x) => x?.ok)).toEqual([true, true, true]);
    await gone;
    expect(await a.exited).toBe(0);
    expect(a.logs()).toContain('"msg":"stopped"');
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from audit_outbox where shipped_at is null');
    expect(rows[0]!.n).toBe(0);

    // The client reconnects to the surviving node, catches up and retries what was refused.
    const again = await connect(b.url, desk.session.accessToken);
    open.push(again);
    const caught = (await again.sync(desk.propertyId, start0)) as { events: Array<{ seq: number; payload: { roomId: string } }> };
    expect(caught.events.filter((e) => e.payload.roomId === held)).toHaveLength(3);
    expect(await again.command('room.setStatus', { roomId: other, status: 'dirty' }, refusedId)).toMatchObject({ ok: true });
    await board.waitForEvent((e) => (e.payload as { roomId?: string }).roomId === other);
  });
});
