/**
 * The transport contract, run unchanged against both kinds. io.attachApp binds process-wide to the
 * last uWS app (toolchain.md), so the kinds run one after the other (describe.each is sequential and
 * each block closes its server in afterAll) and no test opens a second uWS server.
 */
import { request as httpRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { createTransport, loadUwsWithInfo } from './index.ts';
import type { HttpHandler, HttpResponse, Transport, TransportKind } from './types.ts';

interface Echo {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  remoteAddress: string;
}
import { needsCompat } from './uws-loader.ts';

const LIMIT = 64 * 1024;

/** '/slow' waits for the test to let it go, so the client can give up first. */
const slow = { release: (): void => {}, answered: 0 };

const httpHandler: HttpHandler = async (req): Promise<HttpResponse> => {
  switch (req.path) {
    case '/echo':
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-echo': 'yes', 'content-length': '1' /* must be ignored */ },
        body: JSON.stringify({
          method: req.method,
          path: req.path,
          query: Object.fromEntries(req.query),
          headers: req.headers,
          body: req.body.toString('base64'),
          remoteAddress: req.remoteAddress,
        }),
      };
    case '/bytes':
      await new Promise((r) => setTimeout(r, 5)); // answer after an await: the corked, async path
      return { status: 201, headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 1, 254, 255]) };
    case '/slow':
      await new Promise<void>((r) => (slow.release = r));
      slow.answered++;
      return { status: 200, body: 'too late' };
    case '/missing':
      return { status: 404, body: 'no such thing' };
    case '/fail':
      return { status: 500, headers: { 'x-why': 'db' }, body: 'boom' };
    case '/throw':
      throw new Error('secret handler detail');
    default:
      return { status: 404, body: `nothing at ${req.path}` };
  }
};

/**
 * A raw POST whose body we control: headers at once, then each part after a pause (so the server sees
 * separate reads), ending the body only when `end` is set; the answer may come before the body is done.
 */
function rawPost(
  port: number,
  headers: Record<string, string>,
  parts: Buffer[],
  end: boolean,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/echo', headers, agent: false });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.flushHeaders();
    void (async () => {
      for (const part of parts) {
        await new Promise((r) => setTimeout(r, 30));
        if (!req.destroyed) req.write(part);
      }
      if (end && !req.destroyed) req.end();
    })();
  });
}

function waitFor<T>(socket: ClientSocket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (payload: T) => resolve(payload)));
}

describe.each<TransportKind>(['uws', 'node'])('%s transport', (kind) => {
  let transport: Transport;
  let port: number;
  let url: string;
  const warnings: string[] = [];
  const handlerErrors: unknown[] = [];
  const clients: ClientSocket[] = [];

  async function client(): Promise<ClientSocket> {
    // forceNew: io() otherwise shares one Manager (one connection) per URL.
    const socket = connectClient(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 3000 });
    clients.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  beforeAll(async () => {
    transport = await createTransport(kind, {
      httpHandler,
      maxBodyBytes: LIMIT,
      warn: (m) => warnings.push(m),
      onError: (e) => handlerErrors.push(e),
    });
    transport.io.on('connection', (socket) => {
      socket.on('echo', (payload: unknown, ack: (r: unknown) => void) => ack({ got: payload, id: socket.id }));
      socket.on('join', (room: string, ack: () => void) => {
        void socket.join(room); // in-memory adapter: synchronous despite the Promise-or-void type
        ack();
      });
      socket.on('leave', (room: string, ack: () => void) => {
        void socket.leave(room);
        ack();
      });
      socket.on('relay', (room: string, payload: unknown) => socket.to(room).emit('relayed', payload));
    });
    port = await transport.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await transport?.close();
  });

  it('is the kind asked for, not a silent fallback', () => {
    expect(transport.kind).toBe(kind);
    expect(warnings).toEqual([]);
    expect(port).toBeGreaterThan(0);
    if (kind === 'uws' && needsCompat()) expect(loadUwsWithInfo().info.source).toBe('compat'); // the glibc shim works
  });

  it.runIf(kind === 'uws')('refuses a second uWS transport in the same process', async () => {
    await expect(createTransport('uws', { httpHandler })).rejects.toThrow(/one uWS transport per process/);
  });

  it('round-trips a GET through the handler', async () => {
    const res = await fetch(`${url}/echo?a=1&b=x%20y`, { headers: { 'X-Custom-Thing': 'Value' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-echo')).toBe('yes');
    const seen = (await res.json()) as Echo;
    expect(seen).toMatchObject({ method: 'GET', path: '/echo', query: { a: '1', b: 'x y' }, body: '', remoteAddress: '127.0.0.1' });
    expect(seen.headers['x-custom-thing']).toBe('Value');
  });

  it('counts the peer, not a forged X-Forwarded-For, when no proxy is trusted (HTTP and socket handshakes)', async () => {
    const res = await fetch(`${url}/echo`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(((await res.json()) as Echo).remoteAddress).toBe('127.0.0.1');
    const handshake = new Promise<string>((resolve) => transport.io.once('connection', (s) => resolve(transport.clientAddress(s.handshake))));
    await client();
    expect(await handshake).toBe('127.0.0.1');
  });

  it('round-trips a binary POST body up to the limit', async () => {
    const body = randomBytes(LIMIT);
    const res = await fetch(`${url}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/x-test' } });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Echo;
    expect(seen.method).toBe('POST');
    expect(seen.headers['content-type']).toBe('application/x-test');
    expect(Buffer.from(seen.body, 'base64').equals(body)).toBe(true);
  });

  it('answers binary bodies after an await', async () => {
    const res = await fetch(`${url}/bytes`);
    expect(res.status).toBe(201);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 254, 255]);
  });

  it('assembles a body that arrives in several reads', async () => {
    const parts = [randomBytes(1000), randomBytes(20_000), randomBytes(3)];
    const body = Buffer.concat(parts);
    const res = await rawPost(port, { 'content-length': String(body.length) }, parts, true);
    expect(res.status).toBe(200);
    expect(Buffer.from(JSON.parse(res.text).body, 'base64').equals(body)).toBe(true);
  });

  it('answers HEAD with headers and no body', async () => {
    const res = await fetch(`${url}/echo`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-echo')).toBe('yes');
    expect(await res.text()).toBe('');
  });

  it('never writes to a response whose client went away', async () => {
    const answeredBefore = slow.answered;
    const controller = new AbortController();
    const pending = fetch(`${url}/slow`, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50)); // let the server notice the disconnect
    slow.release(); // the handler now answers a dead response: uWS would throw if we touched it
    await new Promise((r) => setTimeout(r, 20));
    expect(slow.answered).toBe(answeredBefore + 1);
    const after = await fetch(`${url}/missing`);
    expect(after.status).toBe(404); // and the server is fine
  });

  it('refuses a declared oversize body with 413 before reading it', async () => {
    const res = await rawPost(port, { 'content-length': String(LIMIT + 1) }, [], false);
    expect(res.status).toBe(413);
  });

  it('refuses a chunked body that grows past the limit with 413', async () => {
    const parts = [randomBytes(LIMIT / 2), randomBytes(LIMIT / 2), randomBytes(10)];
    const res = await rawPost(port, { 'transfer-encoding': 'chunked' }, parts, false);
    expect(res.status).toBe(413);
  });

  it('passes 404 and 500 through, and turns a throw into a bare 500', async () => {
    const root = await fetch(`${url}/`);
    expect([root.status, await root.text()]).toEqual([404, 'nothing at /']);
    const missing = await fetch(`${url}/missing`);
    expect([missing.status, await missing.text()]).toEqual([404, 'no such thing']);
    const fail = await fetch(`${url}/fail`);
    expect([fail.status, fail.headers.get('x-why'), await fail.text()]).toEqual([500, 'db', 'boom']);
    const thrown = await fetch(`${url}/throw`);
    expect(thrown.status).toBe(500);
    expect(await thrown.text()).not.toContain('secret');
    expect(handlerErrors).toHaveLength(1);
  });

  it('connects a websocket-only client and answers an emit with an ack', async () => {
    const socket = await client();
    expect(socket.io.engine.transport.name).toBe('websocket');
    const ack = await socket.timeout(2000).emitWithAck('echo', { n: 1, s: 'é' });
    expect(ack).toEqual({ got: { n: 1, s: 'é' }, id: socket.id });
  });

  it('delivers room broadcasts to members only', async () => {
    const [a, b, c] = await Promise.all([client(), client(), client()]);
    await Promise.all([a.emitWithAck('join', 'property:1'), b.emitWithAck('join', 'property:1'), c.emitWithAck('join', 'property:2')]);
    const got = new Map<ClientSocket, unknown[]>([[a, []], [b, []], [c, []]]);
    for (const [s, list] of got) s.on('event', (p: unknown) => list.push(p));

    // A fence after each step: messages on one connection arrive in order, so once every client has
    // seen the fence, anything it did not get was not sent to it.
    const fence = async (): Promise<void> => {
      const seen = Promise.all([a, b, c].map((s) => waitFor(s, 'fence')));
      transport.io.emit('fence');
      await seen;
    };

    transport.io.to('property:1').emit('event', 1); // one room: uWS native publish
    await fence();
    transport.io.to(['property:1', 'property:2']).except('property:1').emit('event', 2); // JS loop path
    await fence();
    await b.emitWithAck('leave', 'property:1');
    transport.io.to('property:1').emit('event', 3);
    await fence();
    expect(got.get(a)).toEqual([1, 3]);
    expect(got.get(b)).toEqual([1]);
    expect(got.get(c)).toEqual([2]);

    const relayed = waitFor(b, 'relayed');
    await b.emitWithAck('join', 'property:2');
    a.emit('relay', 'property:2', 'from-a'); // socket.to(room): sender excluded
    expect(await relayed).toBe('from-a');
    for (const s of [a, b, c]) s.disconnect();
  });

  it('stopListening refuses new connections while an existing socket keeps working', async () => {
    const existing = await client();
    transport.stopListening();
    transport.stopListening(); // idempotent

    const refused = await new Promise<string>((resolve) => {
      const tcp = netConnect(port, '127.0.0.1');
      tcp.once('connect', () => (tcp.destroy(), resolve('connected')));
      tcp.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    await expect(client()).rejects.toThrow();

    expect(await existing.timeout(2000).emitWithAck('echo', 'still here')).toMatchObject({ got: 'still here' });
  });

  it('close disconnects sockets and resolves (twice, too)', async () => {
    const live = clients.filter((s) => s.connected);
    expect(live.length).toBeGreaterThan(0);
    const gone = Promise.all(live.map((s) => waitFor(s, 'disconnect')));
    await transport.close();
    await transport.close();
    await gone;
    expect(transport.io.sockets.sockets.size).toBe(0);
  });
});
