// HTTP without a token against a production-mode server (NODE_ENV=production): only /health, the board's
// static files, the login and the public guest site may answer with content; every other route refuses.
// /metrics is not served in production without METRICS_TOKEN, and with it only to that bearer token.
// The board carries a CSP (with frame-ancestors) and nosniff; no answer of any route carries a stack trace.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing/factory.ts';
import { record } from './figures.ts';

const METRICS_TOKEN = 'metrics-token-for-the-scraper-0123456789abcdef';
const STACK = /\bat [\w.<>]+ \(|\.ts:\d+:\d+|node:internal|Error: .*\n\s+at /;

describe('HTTP without a token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      transport: 'uws',
      env: { NODE_ENV: 'production', JWT_SECRET: 'production-secret-for-the-http-sweep-0123456789', GUEST_LINK_SECRET: 'guest-link-secret-for-the-http-sweep-0123456789', METRICS_TOKEN },
    });
  });
  afterAll(() => server?.stop());

  it('answers only the public routes, guards /metrics, sends the board with CSP and never a stack trace', async () => {
    const violations: string[] = [];
    const answers: Record<string, number> = {};
    let probes = 0;
    const hit = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
      probes++;
      const res = await fetch(`${server.url}${path}`, { method, body, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, redirect: 'manual' });
      const text = await res.text();
      answers[String(res.status)] = (answers[String(res.status)] ?? 0) + 1;
      if (STACK.test(text)) violations.push(`${method} ${path}: stack trace in the body`);
      if (res.status >= 500 && path !== '/health') violations.push(`${method} ${path}: ${res.status}`);
      return { res, text };
    };
    const uuid = randomUUID();
    const slug = (await server.app.orm.em.fork().execute<{ slug: string }[]>('select slug from property limit 1'))[0]!.slug;

    // Routes that hold staff data or act for staff: each must refuse without a token (4xx, no content).
    const guarded: Array<[string, string, string?]> = [
      ['GET', '/api/protocol'], ['GET', `/api/invoices/${uuid}.pdf`], ['GET', '/api/invoices/not-a-uuid.pdf'],
      ['POST', '/api/auth/refresh', '{}'], ['POST', '/api/auth/refresh', JSON.stringify({ refreshToken: 'forged' })],
      ['POST', '/api/auth/logout', '{}'], ['GET', '/api/auth/login'], ['GET', '/api/anything'], ['POST', '/api/commands', '{}'],
      ['GET', '/api/../metrics'], ['PUT', '/'], ['DELETE', '/index.html'], ['POST', '/', '{}'],
      ['GET', '/socket.io/?EIO=4&transport=polling'], ['GET', '/metrics'],
    ];
    for (const [method, path, body] of guarded) {
      const { res, text } = await hit(method, path, body);
      const refused = res.status >= 400 && res.status < 500;
      if (!refused) violations.push(`${method} ${path} answered ${res.status} without a token: ${text.slice(0, 80)}`);
    }
    // Benchmark-only memory figures are off in production: the path is just a board address (its HTML).
    const debug = await hit('GET', '/debug/memory');
    if (debug.text.includes('heapUsed')) violations.push('/debug/memory answered its figures in production');
    // The metrics scraper's own token opens /metrics; a wrong one does not.
    const wrongMetrics = await hit('GET', '/metrics', undefined, { authorization: 'Bearer wrong-token' });
    if (wrongMetrics.res.status !== 401) violations.push(`/metrics with a wrong token: ${wrongMetrics.res.status}`);
    const scraper = await hit('GET', '/metrics', undefined, { authorization: `Bearer ${METRICS_TOKEN}` });
    if (scraper.res.status !== 200 || !scraper.text.includes('innboard_')) violations.push(`/metrics with its token: ${scraper.res.status}`);

    // What may answer: /health, the login (refusing bad credentials), the board's files, the guest site.
    const health = await hit('GET', '/health');
    if (health.res.status !== 200) violations.push(`/health ${health.res.status}`);
    const badLogin = await hit('POST', '/api/auth/login', JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }));
    if (badLogin.res.status !== 401) violations.push(`login with bad credentials: ${badLogin.res.status}`);
    const malformedLogin = await hit('POST', '/api/auth/login', '{"email": [');
    if (malformedLogin.res.status !== 400) violations.push(`malformed login body: ${malformedLogin.res.status}`);
    const guest = await hit('GET', `/book/${slug}`);
    if (guest.res.status >= 500) violations.push(`guest site ${guest.res.status}`);

    const board = await hit('GET', '/');
    const deepLink = await hit('GET', '/housekeeping');
    const badEscape = await hit('GET', '/%E0%A4%A');
    if (badEscape.res.status !== 400) violations.push(`malformed %-escape: ${badEscape.res.status}`);
    const traversal = await hit('GET', '/..%2f..%2fpackage.json');
    if (traversal.text.includes('"devDependencies"')) violations.push('path traversal served a file outside the build');
    const csp = board.res.headers.get('content-security-policy') ?? '';
    for (const [name, res] of [['/', board.res], ['/housekeeping', deepLink.res]] as const) {
      if (res.status !== 200 || !(res.headers.get('content-type') ?? '').startsWith('text/html')) violations.push(`board ${name}: ${res.status} ${res.headers.get('content-type')}`);
      if (!/frame-ancestors 'none'/.test(res.headers.get('content-security-policy') ?? '')) violations.push(`board ${name}: no CSP frame-ancestors`);
      if (res.headers.get('x-content-type-options') !== 'nosniff') violations.push(`board ${name}: no nosniff`);
    }
    if (!/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*;/.test(csp) || /unsafe-eval|script-src[^;]*unsafe-inline/.test(csp)) violations.push(`board CSP allows more script than its own: ${csp}`);

    record({ table: 'attacks', scenario: 'HTTP without a token (NODE_ENV=production)', probes, refused: probes - violations.length, violations: violations.length,
      figures: `${guarded.length} guarded routes refused (${Object.entries(answers).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}); /metrics: 401 without/with a wrong token, 200 with METRICS_TOKEN (404 in production when unset); board CSP "${csp.replace(/'sha256-[^']+'/g, "'sha256-…'")}", nosniff; stack traces in bodies: 0` });
    expect(violations).toEqual([]);
  });

  it('does not serve /metrics at all in production when no METRICS_TOKEN is configured', async () => {
    const bare = await startTestServer({ transport: 'node', env: { NODE_ENV: 'production', JWT_SECRET: 'production-secret-for-the-http-sweep-0123456789', GUEST_LINK_SECRET: 'guest-link-secret-for-the-http-sweep-0123456789' } });
    try {
      expect((await fetch(`${bare.url}/metrics`)).status).toBe(404);
    } finally {
      await bare.stop();
    }
  });
});
