// A node whose Redis is unreachable from the start (and later appears) must serve its own
// clients, report the outage, and never crash on the adapter's fire-and-forget Redis calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '@innboard/shared';
import { login, loginAndConnect, startTestServer, TRANSPORTS, type TestServer } from '../testing/factory.ts';
import { freePort, startRedis, waitFor, type RedisServer } from '../testing/cluster.ts';

const code = (ack: Ack) => (ack.ok ? 'OK' : ack.error.code);
const health = async (url: string) => (await (await fetch(`${url}/health`)).json()) as { status: string; dependencies: Record<string, { state: string }> };

describe.each(TRANSPORTS)('a node without Redis over %s', (transport) => {
  let server: TestServer;
  let redis: RedisServer | undefined;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = await startTestServer({ transport, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  it('starts, serves its own clients and reports redis down', async () => {
    expect(await health(server.url)).toMatchObject({ status: 'ok', dependencies: { redis: { state: 'down' }, database: { state: 'up' } } });
    const desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const board = await loginAndConnect(server.url, 'supervisor@innboard.demo');
    const room = ((await desk.sync(desk.propertyId)) as { snapshot: { rooms: Array<{ id: string }> } }).snapshot.rooms[0]!;
    const ack = await desk.command('room.setStatus', { roomId: room.id, status: 'dirty' });
    expect(code(ack)).toBe('OK');
    await board.waitForEvent((e) => e.seq === (ack as { seq: number }).seq);
    // Permission checks fall back to Postgres, limits to memory.
    expect(code(await board.command('room.create', { propertyId: board.propertyId, number: 'X1', floor: 9, roomTypeId: room.id }))).toBe('FORBIDDEN');
    expect((await login(server.url, 'manager@innboard.demo')).accessToken).toBeTruthy();
    desk.close();
    board.close();
  });

  it('joins Redis when it appears, and keeps delivering', async () => {
    redis = await startRedis(port);
    await waitFor('redis to be reported up', async () => (await health(server.url)).dependencies.redis!.state === 'up');
    const desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const board = await loginAndConnect(server.url, 'supervisor@innboard.demo');
    const room = ((await desk.sync(desk.propertyId)) as { snapshot: { rooms: Array<{ id: string }> } }).snapshot.rooms[1]!;
    const ack = await desk.command('room.setStatus', { roomId: room.id, status: 'dirty' });
    await board.waitForEvent((e) => e.seq === (ack as { seq: number }).seq);
    // Cluster-wide queries work through the sharded adapter on ioredis 6 (serverCount via PUBSUB SHARDNUMSUB).
    expect((await server.app.transport.io.fetchSockets()).length).toBeGreaterThanOrEqual(2);
    desk.close();
    board.close();
  });
});

describe('stopping a node while Redis is unreachable', () => {
  it('stops cleanly, dropping the subscriptions it queued during the outage', async () => {
    const server = await startTestServer({ transport: 'node', env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
    const desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    await desk.command('room.setStatus', { roomId: '00000000-0000-4000-8000-000000000000', status: 'dirty' });
    desk.close();
    await server.stop();
    // A rejected queued command would surface a tick later as an unhandled rejection and fail this file.
    await new Promise((r) => setTimeout(r, 200));
  });
});
