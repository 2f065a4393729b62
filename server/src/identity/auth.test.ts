import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { PROTOCOL_VERSION } from '@innboard/shared';
import { connect, login, startTestServer, TRANSPORTS, type TestServer } from '../testing/factory.ts';

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function refusalCode(url: string, auth: Record<string, unknown>): Promise<string | undefined> {
  try {
    const c = await connect(url, auth.token as string, auth);
    c.close();
    return undefined;
  } catch (err) {
    return (err as { data?: { code?: string } }).data?.code;
  }
}

describe.each(TRANSPORTS)('identity over %s', (transport) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ transport, env: { ACCESS_TOKEN_TTL_SECONDS: '60' } });
  });
  afterAll(() => server?.stop());

  it('login returns tokens and the memberships of the contract', async () => {
    const res = await login(server.url, 'frontdesk@innboard.demo');
    expect(res.accessToken.split('.')).toHaveLength(3);
    expect(res.refreshToken.length).toBeGreaterThan(20);
    expect(res.user).toMatchObject({ email: 'frontdesk@innboard.demo', name: expect.any(String), memberships: [{ propertyId: expect.any(String), propertyName: 'Innboard Demo Hotel', role: 'front_desk' }] });
  });

  it('bad credentials get 401 and no tokens', async () => {
    const wrong = await post(server.url, '/api/auth/login', { email: 'frontdesk@innboard.demo', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).not.toHaveProperty('accessToken');
    const unknown = await post(server.url, '/api/auth/login', { email: 'ghost@innboard.demo', password: 'innboard-demo' });
    expect(unknown.status).toBe(401);
    const malformed = await post(server.url, '/api/auth/login', { email: 42 });
    expect(malformed.status).toBe(400);
  });

  it('refresh rotates the token and a reused refresh token revokes the family', async () => {
    const first = await login(server.url, 'manager@innboard.demo');
    const r1 = await post(server.url, '/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as { refreshToken: string; accessToken: string };
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // The old token again: theft suspected, the whole family dies, including the fresh one.
    expect((await post(server.url, '/api/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
    expect((await post(server.url, '/api/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(401);
  });

  it('logout ends the refresh family', async () => {
    const s = await login(server.url, 'supervisor@innboard.demo');
    expect((await post(server.url, '/api/auth/logout', { refreshToken: s.refreshToken })).status).toBe(204);
    expect((await post(server.url, '/api/auth/refresh', { refreshToken: s.refreshToken })).status).toBe(401);
  });

  it('the handshake refuses missing, tampered, expired, alg-none and foreign-key tokens', async () => {
    const { accessToken } = await login(server.url, 'frontdesk@innboard.demo');
    const [h, p, sig] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tamperedPayload = Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuer('innboard').setAudience('innboard-board')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode('innboard-dev-only-secret-change-me-0123456789'));
    const foreign = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuer('innboard').setAudience('innboard-board')
      .setExpirationTime('5m').sign(new TextEncoder().encode('some-other-secret-some-other-secret-xx'));

    expect(await refusalCode(server.url, {})).toBe('UNAUTHORIZED');
    expect(await refusalCode(server.url, { token: `${h}.${tamperedPayload}.${sig}` })).toBe('UNAUTHORIZED');
    expect(await refusalCode(server.url, { token: none })).toBe('UNAUTHORIZED');
    expect(await refusalCode(server.url, { token: expired })).toBe('UNAUTHORIZED');
    expect(await refusalCode(server.url, { token: foreign })).toBe('UNAUTHORIZED');
    expect(await refusalCode(server.url, { token: accessToken })).toBeUndefined();
  });

  it('the handshake refuses protocol versions outside the supported range', async () => {
    const { accessToken } = await login(server.url, 'frontdesk@innboard.demo');
    expect(await refusalCode(server.url, { token: accessToken, protocolVersion: 0 })).toBe('PROTOCOL_VERSION');
    expect(await refusalCode(server.url, { token: accessToken, protocolVersion: PROTOCOL_VERSION + 1 })).toBe('PROTOCOL_VERSION');
    expect(await refusalCode(server.url, { token: accessToken, protocolVersion: PROTOCOL_VERSION })).toBeUndefined();
  });

  it('repeated failed logins are throttled per account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await post(server.url, '/api/auth/login', { email: 'pos@innboard.demo', password: `wrong-${i}` })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Even the right password is refused while the account is locked out.
    const locked = await post(server.url, '/api/auth/login', { email: 'pos@innboard.demo', password: 'innboard-demo' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
