import { timingSafeEqual } from 'node:crypto';
import { loginRequest, refreshRequest } from '@innboard/shared';
import type { Logger } from '../logger.ts';
import { AuthError, type AuthService } from '../identity/auth.service.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../transport/types.ts';
import type { Metrics } from '../observability/metrics.ts';
import { protocolDocument } from './protocol-schema.ts';
import { createStaticHandler } from './static.ts';
import { toSafeError } from '../pipeline/safe-error.ts';

export type DependencyState = 'up' | 'down' | 'not_configured';

export interface RouteDeps {
  auth: AuthService;
  metrics: Metrics;
  logger: Logger;
  webBuildDir: string;
  /** Each dependency's state; `database` being down makes the node unable to serve (503). */
  health: Record<string, () => Promise<DependencyState | { state: DependencyState; [detail: string]: unknown }>>;
  /** True once a graceful stop began: /health answers 503 so load balancers stop sending traffic here. */
  isStopping?: () => boolean;
  /** The public guest site: answers its own addresses (`/book/...`), null for everything else. */
  guestSite?: (req: HttpRequest) => Promise<HttpResponse | null>;
  /** Extra routes other parts of the app add (e.g. audit backlog, invoice PDFs); checked before the board. */
  extra?: ExtraRoute[];
  /** Checks a staff access token (routes that need a signed-in user: /api/protocol). */
  verifyAccess: (token: unknown) => Promise<unknown>;
  /**
   * /metrics: open when undefined and not in production (development, tests, the bench); with a token, only
   * for `Authorization: Bearer <token>`; in production without one, not served at all (404).
   */
  metricsAccess: { production: boolean; token?: string };
}

/**
 * A route beside the built-in ones. `path` may hold `:name` segments (`/api/invoices/:invoiceId.pdf`):
 * a parameter matches up to the next `/` or `.` and arrives decoded in `params`.
 */
export interface ExtraRoute {
  method: string;
  path: string;
  handle: (req: HttpRequest, params: Record<string, string>) => Promise<HttpResponse>;
}

interface PatternRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handle: ExtraRoute['handle'];
}

function compilePattern(route: ExtraRoute): PatternRoute {
  const names: string[] = [];
  const source = route.path.split(/(:[A-Za-z_][A-Za-z0-9_]*)/).map((part) => {
    if (part.startsWith(':')) {
      names.push(part.slice(1));
      return '([^/.]+)';
    }
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return { method: route.method, pattern: new RegExp(`^${source}$`), names, handle: route.handle };
}

/** The first pattern route matching the request, with its decoded parameters (null on a malformed escape). */
function matchPattern(routes: PatternRoute[], req: HttpRequest): { route: PatternRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== req.method) continue;
    const m = route.pattern.exec(req.path);
    if (!m) continue;
    try {
      return { route, params: Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
    } catch {
      return null;
    }
  }
  return null;
}

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers },
  body: JSON.stringify(body),
});

function parseJson(req: HttpRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8') || 'null');
  } catch {
    return undefined;
  }
}

const bearer = (req: HttpRequest) => {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authFailure(err: unknown): HttpResponse {
  if (err instanceof AuthError) {
    return json(err.status, { error: { code: err.status === 429 ? 'RATE_LIMITED' : 'UNAUTHORIZED', message: err.message } },
      err.retryAfterSeconds ? { 'retry-after': String(err.retryAfterSeconds) } : {});
  }
  throw err;
}

export function createRoutes(deps: RouteDeps): HttpHandler {
  const web = createStaticHandler(deps.webBuildDir);
  const protocol = JSON.stringify(protocolDocument());

  const routes: Record<string, (req: HttpRequest) => Promise<HttpResponse>> = {
    'POST /api/auth/login': async (req) => {
      const body = loginRequest.safeParse(parseJson(req));
      if (!body.success) return json(400, { error: { code: 'VALIDATION', message: 'Email and password are required', details: body.error.issues } });
      return deps.auth.login(body.data.email, body.data.password, req.remoteAddress).then((r) => json(200, r), authFailure);
    },
    'POST /api/auth/refresh': async (req) => {
      const body = refreshRequest.safeParse(parseJson(req));
      if (!body.success) return json(400, { error: { code: 'VALIDATION', message: 'refreshToken is required' } });
      return deps.auth.refresh(body.data.refreshToken).then((r) => json(200, r), authFailure);
    },
    'POST /api/auth/logout': async (req) => {
      const body = refreshRequest.safeParse(parseJson(req));
      if (!body.success) return json(400, { error: { code: 'VALIDATION', message: 'refreshToken is required' } });
      await deps.auth.logout(body.data.refreshToken);
      return { status: 204, headers: SECURITY_HEADERS };
    },
    'GET /health': async () => {
      const entries = await Promise.all(
        Object.entries(deps.health).map(async ([name, check]) => {
          const state = await check().catch(() => 'down' as const);
          return [name, typeof state === 'string' ? { state } : state] as const;
        }),
      );
      const dependencies = Object.fromEntries(entries);
      const stopping = deps.isStopping?.() ?? false;
      const serving = dependencies.database?.state === 'up' && !stopping;
      return json(serving ? 200 : 503, { status: stopping ? 'stopping' : serving ? 'ok' : 'unavailable', pid: process.pid, dependencies });
    },
    'GET /metrics': async (req) => {
      const { production, token } = deps.metricsAccess;
      if (token ? !sameSecret(bearer(req), token) : production) {
        return token ? json(401, { error: { code: 'UNAUTHORIZED', message: 'Metrics need their bearer token' } }, { 'www-authenticate': 'Bearer' }) : json(404, { error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
      }
      return { status: 200, headers: { 'content-type': deps.metrics.registry.contentType, 'cache-control': 'no-store' }, body: await deps.metrics.registry.metrics() };
    },
    // The command catalogue with its permissions maps what the API can do: signed-in staff only.
    'GET /api/protocol': async (req) => (await deps.verifyAccess(bearer(req)))
      ? json(200, JSON.parse(protocol))
      : json(401, { error: { code: 'UNAUTHORIZED', message: 'Sign in first' } }, { 'www-authenticate': 'Bearer' }),
  };
  const patterns: PatternRoute[] = [];
  for (const r of deps.extra ?? []) {
    if (r.path.includes(':')) patterns.push(compilePattern(r));
    else routes[`${r.method} ${r.path}`] = (req) => r.handle(req, {});
  }

  return async (req) => {
    try {
      const route = routes[`${req.method} ${req.path}`];
      if (route) return await route(req);
      const matched = matchPattern(patterns, req);
      if (matched) return await matched.route.handle(req, matched.params);
      const guest = await deps.guestSite?.(req);
      if (guest) return { ...guest, headers: { ...SECURITY_HEADERS, ...guest.headers } };
      if (req.path.startsWith('/api/')) return json(404, { error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: { code: 'VALIDATION', message: 'Method not allowed' } });
      const res = web.serve(req.path);
      return { ...res, headers: { ...SECURITY_HEADERS, ...res.headers } };
    } catch (err) {
      deps.logger.error({ err: toSafeError(err), path: req.path }, 'http request failed');
      return json(500, { error: { code: 'INTERNAL', message: 'Something went wrong' } });
    }
  };
}
