/** What both transports do the same way around the HttpHandler, so their behaviour cannot drift. */
import { STATUS_CODES } from 'node:http';
import type { ServerOptions } from 'socket.io';
import type { HttpHandler, HttpRequest, HttpResponse, TransportOptions } from './types.ts';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Websocket-only: clients connect with `transports: ['websocket']`, so no long-polling means no sticky
 * sessions behind a load balancer. serveClient off: the board bundles socket.io-client itself.
 */
export function ioOptions(options: TransportOptions): Partial<ServerOptions> {
  return { transports: ['websocket'], serveClient: false, ...options.ioOptions };
}

export function maxBodyBytes(options: TransportOptions): number {
  return options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
}

export function tooLarge(): HttpResponse {
  return { status: 413, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Payload Too Large' };
}

/** "404 Not Found": uWS wants the whole status line; unknown codes still need a reason phrase slot. */
export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
}

/** The transport owns framing: a handler's content-length or transfer-encoding would contradict it. */
export function responseHeaders(res: HttpResponse): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    const name = k.toLowerCase();
    if (name !== 'content-length' && name !== 'transfer-encoding') out.push([name, String(v)]);
  }
  return out;
}

/**
 * Runs the handler; a throw or a nonsense status becomes a bare 500 (no stack to the client) and is
 * reported through onError, so a routing bug is loud in the logs but never takes the process down.
 */
export async function runHandler(
  handler: HttpHandler,
  req: HttpRequest,
  onError: TransportOptions['onError'],
): Promise<HttpResponse> {
  try {
    const res = await handler(req);
    if (!res || !Number.isInteger(res.status) || res.status < 100 || res.status > 999) {
      throw new Error(`HttpHandler returned an invalid response for ${req.method} ${req.path}`);
    }
    return res;
  } catch (err) {
    (onError ?? defaultOnError)(err, req);
    return { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error' };
  }
}

function defaultOnError(err: unknown, req: HttpRequest): void {
  console.error(`[transport] ${req.method} ${req.path} failed:`, err);
}

/** Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; uWS may too. One spelling for both. */
export function normalizeAddress(addr: string): string {
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}

/**
 * The address per-address limits count against. The connection's peer, unless `trustProxyHops` (n) says
 * n proxies of ours stand in front, each appending the address it saw to X-Forwarded-For (HAProxy's
 * `option forwardfor`): then the n-th entry from the right is the client. Entries further left are
 * written by the client itself and never trusted; a request that did not pass through n proxies (too few
 * entries) is counted by its peer.
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trustProxyHops: number): string {
  const direct = normalizeAddress(peer);
  if (trustProxyHops <= 0 || forwardedFor === undefined) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((a) => a.trim()).filter(Boolean);
  const entry = hops[hops.length - trustProxyHops];
  return hops.length >= trustProxyHops && entry ? normalizeAddress(entry) : direct;
}
