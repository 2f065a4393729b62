// Clients for the flood scenarios: socket.io-client connections bound to a chosen loopback address
// (Linux routes all of 127.0.0.0/8 to loopback, so 127.0.0.2... are other clients to the server), sockets
// that never send, and the figures' arithmetic.
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type { SyncResult } from '@innboard/shared';

export type Opened = { socket: Socket } | { refused: string };

/** One connection from `localAddress`; resolves connected, or with the refusal's code. */
export function openFrom(url: string, token: string, localAddress: string): Promise<Opened> {
  // engine.io-client hands localAddress to `ws` in Node; its public types do not list it.
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000, ...({ localAddress } as object) });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => {
      socket.close();
      resolve({ refused: err.data?.code ?? `transport: ${err.message}` });
    });
  });
}

/** The sync's outcome as a code: 'ok', the error's code, or 'timeout'. */
export async function syncCode(socket: Socket, propertyId: string, since: number | undefined): Promise<string> {
  try {
    const r = (await socket.timeout(60_000).emitWithAck('sync', since === undefined ? { propertyId } : { propertyId, since })) as SyncResult;
    return r.ok ? 'ok' : r.error.code;
  } catch {
    return 'timeout';
  }
}

/** Raw TCP sockets and WebSocket sessions that never send a byte (no CONNECT, no pong); counts the server's closes. */
export function silentSockets(port: number, tcpCount: number, wsCount: number, localAddress: (i: number) => string) {
  const tcp: TcpSocket[] = [];
  const ws: WebSocket[] = [];
  const closed = { tcp: 0, ws: 0 };
  for (let i = 0; i < tcpCount; i++) {
    const s = tcpConnect({ port, host: '127.0.0.1', localAddress: localAddress(i) });
    s.on('error', () => {});
    s.on('close', () => closed.tcp++);
    tcp.push(s);
  }
  for (let i = 0; i < wsCount; i++) {
    const w = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    w.onerror = () => {};
    w.onclose = () => closed.ws++;
    ws.push(w);
  }
  return {
    stillOpen: () => ({ tcp: tcpCount - closed.tcp, ws: wsCount - closed.ws }),
    destroy: () => {
      for (const s of tcp) s.destroy();
      for (const w of ws) w.close();
    },
  };
}

export interface FloodPlan {
  url: string;
  token: string;
  propertyId: string;
  /** The property's seq before the flood: replays ask from 800 before it. */
  seq: number;
  connections: number;
  /** Connections in flight at once. */
  workers: number;
  syncEvery: number;
  /** Local address of the i-th connection: `${addressBase}${1 + (i % addressCount)}`. */
  addressBase: string;
  addressCount: number;
}

/**
 * Opens `connections` connections, `workers` at a time, every `syncEvery`-th syncing (alternately a snapshot
 * with `since: 0` and a replay), then drops each. `halfway` is called once half of them were started.
 */
export async function connectionFlood(plan: FloodPlan, halfway: () => void) {
  const refusals: string[] = [];
  const syncs: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: plan.workers }, async () => {
    while (next < plan.connections) {
      const i = next++;
      if (i === plan.connections / 2) halfway();
      const o = await openFrom(plan.url, plan.token, `${plan.addressBase}${1 + (i % plan.addressCount)}`);
      if (!('socket' in o)) {
        refusals.push(o.refused);
        continue;
      }
      if (i % plan.syncEvery === 0) syncs.push(await syncCode(o.socket, plan.propertyId, (i / plan.syncEvery) % 2 === 0 ? 0 : plan.seq - 800));
      o.socket.close();
    }
  }));
  return { refusals, syncs };
}

export interface StormPlan {
  url: string;
  token: string;
  propertyId: string;
  seq: number;
  boards: number;
  address: string;
  /** The board's wait after a refusal (web/src/lib/live/client.ts SYNC_RETRY_MS). */
  retryMs: number;
  /** Boards not in and caught up by then count as locked out. */
  giveUpAfterMs: number;
}

/** `boards` boards from one address at once, each retrying like the board until it is in and caught up from `seq`. */
export async function reconnectStorm(plan: StormPlan) {
  const refusals: string[] = [];
  const syncs: string[] = [];
  const boards: Socket[] = [];
  const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
  const t0 = performance.now();
  const deadline = t0 + plan.giveUpAfterMs;
  let lockedOut = 0;
  let lastIn = 0;
  await Promise.all(Array.from({ length: plan.boards }, async () => {
    while (performance.now() < deadline) {
      const o = await openFrom(plan.url, plan.token, plan.address);
      if (!('socket' in o)) {
        refusals.push(o.refused);
        if (o.refused !== 'RATE_LIMITED') break;
        await sleep(plan.retryMs);
        continue;
      }
      boards.push(o.socket);
      while (performance.now() < deadline) {
        const code = await syncCode(o.socket, plan.propertyId, plan.seq);
        syncs.push(code);
        if (code === 'ok') return void (lastIn = performance.now() - t0);
        if (code !== 'RATE_LIMITED') break;
        await sleep(plan.retryMs);
      }
      break;
    }
    lockedOut++;
  }));
  for (const b of boards) b.close();
  return { refusals, syncs, lockedOut, lastIn };
}

export const countBy = (codes: string[]) => {
  const out: Record<string, number> = {};
  for (const c of codes) out[c] = (out[c] ?? 0) + 1;
  return out;
};
export const show = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
export const ms = (v: number) => `${Math.round(v)} ms`;
export const rtt = (xs: number[]) => `${ms(pct(xs, 50))}/${ms(pct(xs, 95))}/${ms(Math.max(...xs))}`;
