import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, EVENTS } from '@innboard/shared';
import { login, loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';

describe('HTTP beside the socket', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('GET /health reports each dependency and 200 while the database is up', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { dependencies: Record<string, { state: string }> };
    expect(body.dependencies.database.state).toBe('up');
    expect(body.dependencies.redis.state).toBe('not_configured');
    expect(body.dependencies).toHaveProperty('auditSink');
  });

  it('GET /api/protocol lists every command with its permission and every event, as JSON Schema, to signed-in staff', async () => {
    expect((await fetch(`${server.url}/api/protocol`)).status).toBe(401);
    const { accessToken } = await login(server.url, 'housekeeping@innboard.demo');
    const doc = (await (await fetch(`${server.url}/api/protocol`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { commands: Array<{ type: string; permission: string; payload: any }>; events: Array<{ type: string }> };
    expect(doc.commands.map((c: { type: string }) => c.type).sort()).toEqual(COMMANDS.map((c) => c.type).sort());
    expect(doc.events.map((e: { type: string }) => e.type).sort()).toEqual(EVENTS.map((e) => e.type).sort());
    const setStatus = doc.commands.find((c: { type: string }) => c.type === 'room.setStatus')!;
    expect(setStatus.permission).toBe('room.setStatus');
    expect(setStatus.payload).toMatchObject({ type: 'object', required: expect.arrayContaining(['roomId', 'status']) });
    expect(setStatus.payload.properties.status.enum).toContain('out_of_order');
  });

  it('GET /metrics counts commands by type and outcome and connected sockets', async () => {
    const board = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    await board.command('room.setStatus', { roomId: '00000000-0000-4000-8000-000000000000', status: 'dirty' });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/innboard_commands_total\{type="room.setStatus",outcome="NOT_FOUND"\} 1/);
    expect(text).toMatch(/^innboard_connected_sockets 1$/m);
    expect(text).toMatch(/innboard_command_duration_seconds_bucket/);
    board.close();
    // Counted at scrape time: the closed board is gone once the server has seen it leave.
    await expect.poll(async () => (await (await fetch(`${server.url}/metrics`)).text()).match(/^innboard_connected_sockets (\d+)$/m)?.[1]).toBe('0');
  });

  it('unknown API routes are JSON 404s and errors never carry stack traces', async () => {
    const res = await fetch(`${server.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
    const bad = await fetch(`${server.url}/api/auth/login`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toMatch(/stack|at .*\.ts/);
  });
});
