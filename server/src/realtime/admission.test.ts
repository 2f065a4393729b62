// Flood admission through a real server and real sockets: connections per client address (the socket's
// peer; X-Forwarded-For only as far as TRUST_PROXY_HOPS trusts it) and syncs per socket. Linux routes all
// of 127.0.0.0/8 to loopback, so a client bound to 127.0.0.2 is another address to the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { SyncResult } from '@innboard/shared';
import { login, startTestServer, type TestServer } from '../testing/factory.ts';

type Connected = { socket: Socket } | { refused: string | undefined };

function open(url: string, token: string, localAddress: string, forwardedFor?: string): Promise<Connected> {
  const socket = io(url, {
    auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true,
    // engine.io-client hands both to `ws` in Node.
    ...({ localAddress } as object),
    ...(forwardedFor ? { extraHeaders: { 'x-forwarded-for': forwardedFor } } : {}),
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => {
      socket.close();
      resolve({ refused: err.data?.code ?? err.message });
    });
  });
}

describe('flood admission', () => {
  let server: TestServer;
  let token: string;
  const sockets: Socket[] = [];
  const connect = async (localAddress: string, forwardedFor?: string) => {
    const c = await open(server.url, token, localAddress, forwardedFor);
    if ('socket' in c) sockets.push(c.socket);
    return 'socket' in c ? 'connected' : c.refused;
  };
  beforeAll(async () => {
    // A window far longer than the test: the count, not the clock, decides.
    server = await startTestServer({ env: { CONNECTIONS_PER_ADDRESS: '3', CONNECTIONS_WINDOW_SECONDS: '3600', TRUST_PROXY_HOPS: '1', SYNCS_PER_SOCKET: '1' } });
    token = (await login(server.url, 'frontdesk@innboard.demo')).accessToken;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.stop();
  });

  it('refuses RATE_LIMITED past the per-address budget, and only that address', async () => {
    const first = [await connect('127.0.0.2'), await connect('127.0.0.2'), await connect('127.0.0.2')];
    expect(first).toEqual(['connected', 'connected', 'connected']);
    expect(await connect('127.0.0.2')).toBe('RATE_LIMITED');
    expect(await connect('127.0.0.3')).toBe('connected');
    // Refused before the token is looked at: a bad token from a spent address is refused the same way.
    const bad = await open(server.url, 'not-a-token', '127.0.0.2');
    expect(bad).toEqual({ refused: 'RATE_LIMITED' });
  });

  it('counts behind a trusted proxy by the entry it appended, never by what the client wrote', async () => {
    // 127.0.0.4 plays the proxy; the rightmost X-Forwarded-For entry is the client it saw.
    const client = '203.0.113.7';
    const seen = [await connect('127.0.0.4', client), await connect('127.0.0.4', client), await connect('127.0.0.4', `198.51.100.9, ${client}`)];
    expect(seen).toEqual(['connected', 'connected', 'connected']);
    // A forged entry further left does not make a new client.
    expect(await connect('127.0.0.4', `198.51.100.10, ${client}`)).toBe('RATE_LIMITED');
    // Other clients behind the same proxy are not held back by that one.
    expect(await connect('127.0.0.4', '203.0.113.8')).toBe('connected');
  });

  it('answers syncs past the per-socket limit RATE_LIMITED, every one of them answered', async () => {
    const me = await login(server.url, 'frontdesk@innboard.demo');
    const propertyId = me.user.memberships[0]!.propertyId;
    const c = await open(server.url, me.accessToken, '127.0.0.5');
    if (!('socket' in c)) throw new Error(`refused: ${c.refused}`);
    sockets.push(c.socket);
    // Sent back to back on one connection: the first takes the socket's only place while it reads.
    const answers = await Promise.all(Array.from({ length: 10 }, () => c.socket.timeout(15_000).emitWithAck('sync', { propertyId }) as Promise<SyncResult>));
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes[0]).toBe('ok');
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    expect(codes.every((code) => code === 'ok' || code === 'RATE_LIMITED')).toBe(true);
  });
});
