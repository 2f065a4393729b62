// Token attacks through the real login route and socket handshake: every forged, stale or revoked
// credential is refused, and guessing passwords is throttled per account and per address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { io } from 'socket.io-client';
import { connect, login, startTestServer, untilJoined, type TestServer } from '../src/testing/factory.ts';
import { record } from './figures.ts';

const DEV_SECRET = new TextEncoder().encode('innboard-dev-only-secret-change-me-0123456789');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * What the server did with a handshake: refused with a code, closed the connection before connecting,
 * connected and then dropped the socket, or kept it. Never waits past a few seconds.
 */
function handshake(url: string, token: unknown): Promise<string> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5000 });
  return new Promise<string>((resolve) => {
    const done = (outcome: string) => { clearTimeout(timer); resolve(outcome); };
    const timer = setTimeout(() => done(socket.connected ? 'CONNECTED' : 'HUNG'), 5000);
    socket.once('connect_error', (err) => done((err as { data?: { code?: string } }).data?.code ?? 'CLOSED'));
    // The engine may close right behind a CONNECT_ERROR packet: let the packet's code win.
    socket.io.once('close', () => setTimeout(() => done('CLOSED'), 200));
    socket.once('connect', () => {
      clearTimeout(timer);
      const kept = setTimeout(() => resolve('CONNECTED'), 1500);
      socket.once('disconnect', () => { clearTimeout(kept); resolve('DROPPED'); });
    });
  }).finally(() => socket.close());
}

describe('token attacks', () => {
  let server: TestServer;
  const results: Array<{ probe: string; got: string; want: string }> = [];
  const expectAs = (probe: string, got: string | number, want: string | number) => results.push({ probe, got: String(got), want: String(want) });

  beforeAll(async () => {
    server = await startTestServer({ transport: 'uws', env: { ACCESS_TOKEN_TTL_SECONDS: '60' } });
  });
  afterAll(async () => {
    const violations = results.filter((r) => r.got !== r.want);
    record({ table: 'attacks', scenario: 'Tokens and logins', probes: results.length, refused: results.length - violations.length, violations: violations.length,
      figures: 'expired, tampered payload/signature, alg none, HS512 confusion, wrong issuer/audience/key, oversize, refresh reuse, deactivated user, brute force per account and address' });
    await server?.stop();
  });

  it('refuses every forged or stale access token at the handshake', async () => {
    const { accessToken, user } = await login(server.url, 'frontdesk@innboard.demo');
    const [h, p, sig] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const signed = (edit: (j: SignJWT) => SignJWT, key = DEV_SECRET, alg = 'HS256') =>
      edit(new SignJWT({}).setProtectedHeader({ alg }).setSubject(user.id).setIssuedAt()).sign(key);
    const valid = (j: SignJWT) => j.setIssuer('innboard').setAudience('innboard-board').setExpirationTime('5m');
    const forged: Record<string, unknown> = {
      missing: undefined,
      'not a string': { sub: user.id },
      garbage: 'not.a.jwt',
      'tampered payload': `${h}.${b64({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })}.${sig}`,
      'tampered signature': `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`,
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`,
      'alg HS512 with the same secret': await signed(valid, DEV_SECRET, 'HS512'),
      expired: await signed((j) => j.setIssuer('innboard').setAudience('innboard-board').setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 60)),
      'wrong issuer': await signed((j) => j.setIssuer('evil').setAudience('innboard-board').setExpirationTime('5m')),
      'wrong audience': await signed((j) => j.setIssuer('innboard').setAudience('pos-terminal').setExpirationTime('5m')),
      'no audience or issuer': await signed((j) => j.setExpirationTime('5m')),
      'another key': await signed(valid, new TextEncoder().encode('some-other-secret-some-other-secret-xx')),
      'no subject': await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('innboard').setAudience('innboard-board').setExpirationTime('5m').sign(DEV_SECRET),
      oversize: `${h}.${'A'.repeat(1 << 20)}.${sig}`,
    };
    for (const [name, token] of Object.entries(forged)) expectAs(`handshake: ${name}`, await handshake(server.url, token), name === 'oversize' ? 'CLOSED' : 'UNAUTHORIZED');
    expectAs('handshake: the genuine token', await handshake(server.url, accessToken), 'CONNECTED');
    expect(results.filter((r) => r.got !== r.want)).toEqual([]);
  });

  it('a refresh token reused after rotation ends the whole session family', async () => {
    const first = await login(server.url, 'manager@innboard.demo');
    const rotated = await post(server.url, '/api/auth/refresh', { refreshToken: first.refreshToken });
    expectAs('refresh: first rotation', rotated.status, 200);
    const second = (await rotated.json()) as { refreshToken: string };
    expectAs('refresh: the rotated-out token again', (await post(server.url, '/api/auth/refresh', { refreshToken: first.refreshToken })).status, 401);
    expectAs('refresh: the newest token after the reuse', (await post(server.url, '/api/auth/refresh', { refreshToken: second.refreshToken })).status, 401);
    expectAs('refresh: a made-up token', (await post(server.url, '/api/auth/refresh', { refreshToken: 'x'.repeat(43) })).status, 401);
    expect(results.filter((r) => r.got !== r.want)).toEqual([]);
  });

  it('a deactivated user can neither log in, refresh, connect nor act with a token issued before', async () => {
    // (Successful logins give their throttle point back, so these do not count against the address.)
    const session = await login(server.url, 'supervisor@innboard.demo');
    const board = await connect(server.url, session.accessToken);
    await untilJoined(server, session.user.id, board);
    const [room] = await server.app.orm.em.fork().execute<{ id: string }[]>('select id from room where property_id = ? limit 1', [session.user.memberships[0]!.propertyId]);
    await server.app.orm.em.fork().execute("update app_user set active = false where email = 'supervisor@innboard.demo'");
    const ack = await board.command('room.setStatus', { roomId: room!.id, status: 'dirty' });
    expectAs('deactivated: command on an open socket', ack.ok ? 'OK' : ack.error.code, 'UNAUTHORIZED');
    board.close();
    expectAs('deactivated: login', (await post(server.url, '/api/auth/login', { email: 'supervisor@innboard.demo', password: 'innboard-demo' })).status, 401);
    expectAs('deactivated: refresh', (await post(server.url, '/api/auth/refresh', { refreshToken: session.refreshToken })).status, 401);
    // Accepted by signature, then dropped before joining any property (or closed outright).
    const late = await handshake(server.url, session.accessToken);
    expectAs('deactivated: new socket with the unexpired access token', late === 'CLOSED' ? 'DROPPED' : late, 'DROPPED');
    await server.app.orm.em.fork().execute("update app_user set active = true where email = 'supervisor@innboard.demo'");
    expect(results.filter((r) => r.got !== r.want)).toEqual([]);
  });

  it('throttles password guessing per account, then per address, even when the guesses arrive at once', async () => {
    const attempt = (email: string, password: string) => post(server.url, '/api/auth/login', { email, password }).then((r) => r.status);
    const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;
    // All in parallel: a throttle that counted failures only after hashing let every one of them through.
    const account = await Promise.all(Array.from({ length: 16 }, (_, i) => attempt('housekeeping@innboard.demo', `guess-${i}`)));
    expectAs('brute force on one account, 16 at once: plain 401s', count(account, 401), 10);
    expectAs('brute force on one account, 16 at once: throttled', count(account, 429), 6);
    expectAs('brute force: the right password while locked', await attempt('housekeeping@innboard.demo', 'innboard-demo'), 429);
    // The address allows 50 attempts per window; refused ones count too (the deactivated user's login,
    // the 16 guesses, the locked right password: 18 so far). Guessing on, at the locked account, costs no
    // hash and fills the address budget; then a spray over other accounts from that address is refused.
    const more = await Promise.all(Array.from({ length: 32 }, (_, i) => attempt('housekeeping@innboard.demo', `more-${i}`)));
    expectAs('guessing on at a locked account: throttled', count(more, 429), 32);
    const spray = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(`nobody-${i}@innboard.demo`, 'Winter2026!')));
    expectAs('password spray over 10 other accounts from the address: throttled', count(spray, 429), 10);
    expectAs('password spray: even a real account from that address', await attempt('frontdesk@innboard.demo', 'innboard-demo'), 429);
    expect(results.filter((r) => r.got !== r.want)).toEqual([]);
  });
});
