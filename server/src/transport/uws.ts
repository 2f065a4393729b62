/**
 * Socket.IO on uWebSockets.js. Socket.IO claims `/socket.io/` (a static route, which uWS prefers over
 * our `/*` wildcard); everything else goes through the HttpHandler.
 *
 * uWS rules this file follows (index.d.ts of the package, "corking" in its user manual):
 * - HttpRequest is stack allocated: read method, url, query, headers before returning from the route.
 * - An HttpResponse answered later needs onAborted, and must not be touched after it fired.
 * - onData hands an ArrayBuffer that is neutered after the callback: copy it.
 * - Writes outside the route's synchronous part must be corked (one syscall, and required for correctness).
 * Caveat (toolchain.md): io.attachApp patches socket.io-adapter's prototype process-wide for the LAST
 * app attached, so run one uWS transport per process (tests: sequentially).
 */
import { Server } from 'socket.io';
import type { HttpResponse as UwsResponse, TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import {
  clientAddress,
  ioOptions,
  maxBodyBytes,
  responseHeaders,
  runHandler,
  statusLine,
  tooLarge,
} from './http-common.ts';
import type { HandshakeInfo, HttpRequest, HttpResponse, Transport, TransportOptions } from './types.ts';
import { loadUws, type Uws } from './uws-loader.ts';

/** Open uWS transports in this process; see the attachApp caveat above. */
let open = 0;

export function createUwsTransport(options: TransportOptions, uws: Uws = loadUws()): Transport {
  // A second app would silently take over every room broadcast of the first: refuse it loudly instead.
  if (open > 0) {
    throw new Error('only one uWS transport per process: close the open one first (io.attachApp is process-wide)');
  }
  const app: TemplatedApp = uws.App();
  const io = new Server(ioOptions(options));
  io.attachApp(app);
  const limit = maxBodyBytes(options);
  const hops = options.trustProxyHops ?? 0;

  app.any('/*', (res, req) => {
    const headers: Record<string, string> = {};
    req.forEach((key, value) => {
      const name = key.toLowerCase(); // uWS already lower-cases; cheap insurance for the contract
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    });
    const request: Omit<HttpRequest, 'body'> = {
      method: req.getCaseSensitiveMethod().toUpperCase(),
      path: req.getUrl(),
      query: new URLSearchParams(req.getQuery() ?? ''),
      headers,
      remoteAddress: clientAddress(Buffer.from(res.getRemoteAddressAsText()).toString(), headers['x-forwarded-for'], hops),
    };
    const state = { aborted: false, answered: false };
    res.onAborted(() => {
      state.aborted = true;
    });

    const answer = (out: HttpResponse, closeConnection = false): void => {
      if (state.aborted || state.answered) return;
      state.answered = true;
      writeResponse(res, request.method, out, closeConnection);
    };

    // Refuse a declared oversize body before reading a byte of it; close so its bytes are never parsed.
    const declared = Number(headers['content-length'] ?? 0);
    if (declared > limit) {
      answer(tooLarge(), true);
      return;
    }

    // uWS calls onData for every request, once with isLast=true (empty) when there is no body.
    const chunks: Buffer[] = [];
    let size = 0;
    res.onData((chunk, isLast) => {
      if (state.answered || state.aborted) return;
      size += chunk.byteLength;
      if (size > limit) {
        answer(tooLarge(), true); // chunked upload that grew past the limit
        return;
      }
      if (chunk.byteLength > 0) chunks.push(Buffer.from(new Uint8Array(chunk))); // copies: chunk is neutered on return
      if (!isLast) return;
      const body = Buffer.concat(chunks, size);
      void runHandler(options.httpHandler, { ...request, body }, options.onError).then((out) => answer(out));
    });
  });

  let listenSocket: us_listen_socket | null = null;
  let closed: Promise<void> | null = null;
  const stopListening = (): void => {
    if (!listenSocket) return;
    uws.us_listen_socket_close(listenSocket);
    listenSocket = null;
  };

  open++; // counted once set up (all of the above is synchronous), released by close()
  return {
    kind: 'uws',
    io,
    clientAddress: (handshake: HandshakeInfo) => clientAddress(handshake.address, handshake.headers['x-forwarded-for'], hops),
    listen(port: number, host?: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const onListen = (socket: us_listen_socket | false): void => {
          if (!socket) {
            reject(new Error(`uWS could not listen on ${host ?? '*'}:${port} (in use or not permitted)`));
            return;
          }
          listenSocket = socket;
          resolve(uws.us_socket_local_port(socket));
        };
        if (host) app.listen(host, port, onListen);
        else app.listen(port, onListen);
      });
    },
    stopListening,
    close(): Promise<void> {
      closed ??= (async () => {
        stopListening();
        try {
          await io.close(); // disconnects sockets and restores the adapter prototype attachApp patched
        } finally {
          app.close(); // forcibly ends whatever is left (keep-alive HTTP connections)
          open--;
        }
      })();
      return closed;
    },
  };
}

function writeResponse(res: UwsResponse, method: string, out: HttpResponse, closeConnection: boolean): void {
  const body = out.body ?? '';
  res.cork(() => {
    res.writeStatus(statusLine(out.status));
    for (const [name, value] of responseHeaders(out)) res.writeHeader(name, value);
    if (method === 'HEAD') {
      res.endWithoutBody(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength, closeConnection);
    } else {
      res.end(body, closeConnection);
    }
  });
}
