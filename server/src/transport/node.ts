/**
 * Socket.IO on Node's http server and socket.io's default engine (ws): the fallback where uWS cannot
 * load, and the baseline the uWS transport is compared against. Same HttpHandler contract as uws.ts.
 * engine.io hooks the server's 'request' and 'upgrade' events and takes `/socket.io/` for itself;
 * everything else reaches the HttpHandler.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import {
  clientAddress,
  ioOptions,
  maxBodyBytes,
  responseHeaders,
  runHandler,
  tooLarge,
} from './http-common.ts';
import type { HandshakeInfo, HttpRequest, HttpResponse, Transport, TransportOptions } from './types.ts';

export function createNodeTransport(options: TransportOptions): Transport {
  const limit = maxBodyBytes(options);
  const hops = options.trustProxyHops ?? 0;
  const server = createServer((req, res) => handle(req, res));
  const io = new Server(server, ioOptions(options));

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // Split by hand: `new URL('//x', base)` would read a path starting with '//' as a host.
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value; // already lower-case
    }
    const request: Omit<HttpRequest, 'body'> = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: q < 0 ? raw : raw.slice(0, q),
      query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
      headers,
      remoteAddress: clientAddress(req.socket.remoteAddress ?? '', headers['x-forwarded-for'], hops),
    };

    const declared = Number(headers['content-length'] ?? 0);
    if (declared > limit) {
      writeResponse(res, tooLarge(), true); // before reading a byte; the connection closes after it
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true; // chunked upload that grew past the limit
        writeResponse(res, tooLarge(), true);
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const body = Buffer.concat(chunks, size);
      void runHandler(options.httpHandler, { ...request, body }, options.onError).then((out) => writeResponse(res, out));
    });
    // A client that goes away mid-body: 'error' would otherwise be unhandled; writeResponse skips dead responses.
    req.on('error', () => {});
  }

  let closed: Promise<void> | null = null;
  const stopListening = (): void => {
    // Stops accepting; connections already open (websockets, keep-alive HTTP) carry on.
    if (server.listening) server.close();
  };

  return {
    kind: 'node',
    io,
    clientAddress: (handshake: HandshakeInfo) => clientAddress(handshake.address, handshake.headers['x-forwarded-for'], hops),
    listen(port: number, host?: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    stopListening,
    close(): Promise<void> {
      closed ??= (async () => {
        // io.close() disconnects every socket, then closes the http server and waits for it to drain;
        // ending the remaining HTTP connections now keeps that wait short, as uWS's app.close() does.
        const done = io.close();
        server.closeAllConnections();
        await done;
      })();
      return closed;
    },
  };
}

function writeResponse(res: ServerResponse, out: HttpResponse, closeConnection = false): void {
  if (res.destroyed || res.headersSent) return; // client gone, or already answered (413)
  const body = out.body ?? '';
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const headers: Record<string, string> = Object.fromEntries(responseHeaders(out));
  headers['content-length'] = String(bytes.byteLength);
  if (closeConnection) headers.connection = 'close';
  res.writeHead(out.status, headers);
  res.end(bytes); // Node drops the body itself for HEAD
}
