import type { Server, ServerOptions } from 'socket.io';

/** The one HTTP shape both transports adapt to, so routes are written once. */
export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
  remoteAddress: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export type HttpHandler = (req: HttpRequest) => Promise<HttpResponse>;

export type TransportKind = 'uws' | 'node';

export interface TransportOptions {
  httpHandler: HttpHandler;
  ioOptions?: Partial<ServerOptions>;
  /** Request bodies above this size are refused with 413 before the handler runs. */
  maxBodyBytes?: number;
  /** Where the one-line notice goes when 'uws' cannot load and 'node' is used instead (default console.warn). */
  warn?: (msg: string) => void;
  /** Called when the HttpHandler throws (the client gets a bare 500); default console.error. */
  onError?: (err: unknown, req: HttpRequest) => void;
  /** Proxies of ours in front that append to X-Forwarded-For (see clientAddress in http-common.ts); default 0. */
  trustProxyHops?: number;
}

/** What a Socket.IO handshake carries (socket.handshake), enough to tell the client's address. */
export interface HandshakeInfo {
  address: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface Transport {
  readonly kind: TransportKind;
  readonly io: Server;
  /** Resolves with the bound port (pass 0 for a random one). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting new connections; existing sockets are left to the caller. */
  stopListening(): void;
  /** The client's address of a socket's handshake, by the same rule as HttpRequest.remoteAddress. */
  clientAddress(handshake: HandshakeInfo): string;
  close(): Promise<void>;
}
