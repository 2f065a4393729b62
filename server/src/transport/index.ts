/**
 * The transport seam: the rest of the server sees only `Transport` (types.ts), never uWS or http.
 * Swapping where uWebSockets.js comes from (the mirror today, the authors' tagged release in a
 * production build) touches uws-loader.ts and server/package.json only.
 */
import { createNodeTransport } from './node.ts';
import type { Transport, TransportKind, TransportOptions } from './types.ts';
import { createUwsTransport } from './uws.ts';
import { loadUws } from './uws-loader.ts';

export type { HttpHandler, HttpRequest, HttpResponse, Transport, TransportKind, TransportOptions } from './types.ts';
export { loadUwsWithInfo, type UwsLoadInfo } from './uws-loader.ts';

/**
 * Creates the requested transport. 'uws' that cannot load falls back to 'node' with one warning line
 * (options.warn, default console.warn); `transport.kind` tells which one is really serving.
 */
export async function createTransport(kind: TransportKind, options: TransportOptions): Promise<Transport> {
  if (kind === 'node') return createNodeTransport(options);
  if (kind !== 'uws') throw new Error(`unknown transport kind: ${String(kind)}`);
  let uws;
  try {
    uws = loadUws();
  } catch (e) {
    const warn = options.warn ?? ((msg: string) => console.warn(msg));
    const why = (e as Error).message.replace(/\s*\n\s*/g, ' '); // one line, whatever the cause said
    warn(`[transport] uws unavailable, using node transport instead: ${why}`);
    return createNodeTransport(options);
  }
  return createUwsTransport(options, uws);
}
