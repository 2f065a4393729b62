// Real socket clients for the process faults: writers that send commands continuously and behave like
// the board's command queue (retry the same command id after UNAVAILABLE, a timeout or a lost
// connection; fail over to another node), and boards that keep a read model from live events and
// catch up by `sync`. Everything they saw is kept for the scenario's figures.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Ack, EventEnvelope, SyncResult } from '@innboard/shared';
import type { Lane } from './command-mix.ts';

/** The board's ack timeout (web/src/lib/live/client.ts): an answer later than this is a hang. */
export const CLIENT_TIMEOUT_MS = 10_000;
const RETRY_PAUSE_MS = 100;

/** Connects to the first node in `urls` that takes the handshake, like a load balancer that skips dead backends. */
async function connectAny(urls: () => string[], token: string, deadline: number): Promise<Socket> {
  for (;;) {
    for (const url of urls()) {
      const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 2000 });
      const ok = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        socket.once('connect_error', () => resolve(false));
      });
      if (ok) return socket;
      socket.close();
    }
    if (Date.now() > deadline) throw new Error(`no node took the connection: ${urls().join(', ')}`);
    await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
  }
}

export interface Sent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  /** When the command was first sent, and when its ok ack arrived. */
  firstSentAt: number;
  ackedAt?: number;
  seq?: number;
  /** Answers before the final one: UNAVAILABLE, RATE_LIMITED, or a lost connection / timeout. */
  retries: string[];
  /** The final answer when it was not ok (a code), or 'abandoned' when the run ended first. */
  failed?: string;
}

export interface Writer {
  sent: Sent[];
  /** Answers that took longer than CLIENT_TIMEOUT_MS while the socket stayed connected (must be 0). */
  hung: number;
  stop(): Promise<void>;
}

/**
 * One socket; one worker per lane sends its commands one at a time, each command retried with the same id
 * until it gets a final answer. `urls` lists the live nodes, the preferred one first.
 */
export async function startWriter(urls: () => string[], token: string, lanes: Lane[]): Promise<Writer> {
  let socket = await connectAny(urls, token, Date.now() + 20_000);
  let reconnecting: Promise<void> | null = null;
  let stopping = false;
  let hung = 0;
  const sent: Sent[] = [];
  const reconnect = () => (reconnecting ??= (async () => {
    socket.close();
    socket = await connectAny(urls, token, Date.now() + 60_000);
  })().finally(() => (reconnecting = null)));

  /** One attempt: the ack, or why there was none. */
  function attempt(cmd: Sent): Promise<Ack | 'disconnected' | 'timeout'> {
    const s = socket;
    if (!s.connected) return Promise.resolve('disconnected');
    return new Promise((resolve) => {
      const onDisconnect = () => resolve('disconnected');
      s.once('disconnect', onDisconnect);
      s.timeout(CLIENT_TIMEOUT_MS).emit('command', { id: cmd.id, type: cmd.type, payload: cmd.payload }, (err: Error | null, ack: Ack) => {
        s.off('disconnect', onDisconnect);
        resolve(err ? (s.connected ? 'timeout' : 'disconnected') : ack);
      });
    });
  }

  async function worker(lane: Lane) {
    while (!stopping) {
      const id = randomUUID();
      const cmd: Sent = { id, ...lane.next(id), firstSentAt: Date.now(), retries: [] };
      sent.push(cmd);
      // Once stopping, a command already sent still gets its final answer (bounded), like a board that
      // keeps its queue until the server answers.
      const giveUpAt = () => (stopping ? Date.now() + 30_000 : Infinity);
      let deadline = Infinity;
      for (;;) {
        const answer = await attempt(cmd);
        if (answer === 'disconnected') {
          cmd.retries.push('disconnected');
          await reconnect().catch(() => {});
        } else if (answer === 'timeout') {
          hung++;
          cmd.retries.push('timeout');
        } else if (answer.ok) {
          cmd.ackedAt = Date.now();
          cmd.seq = answer.seq;
          lane.acked?.(cmd, answer.result);
          break;
        } else if (answer.error.code === 'UNAVAILABLE' || answer.error.code === 'RATE_LIMITED') {
          cmd.retries.push(answer.error.code);
          await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
        } else {
          cmd.failed = answer.error.code;
          break;
        }
        if (deadline === Infinity) deadline = giveUpAt();
        if (Date.now() > deadline) {
          cmd.failed = 'abandoned';
          break;
        }
      }
    }
  }
  const running = Promise.all(lanes.map(worker));
  return {
    sent,
    get hung() {
      return hung;
    },
    async stop() {
      stopping = true;
      await running;
      socket.close();
    },
  };
}

/** A board's read model: the rooms' statuses and the last seq applied, kept from live events and `sync`. */
export interface Board {
  statuses: Map<string, string>;
  seq(): number;
  /** Catch-up by `sync` from the last seq it applied, on whatever node it is connected to now. */
  catchUp(): Promise<void>;
  close(): void;
}

export async function startBoard(urls: () => string[], token: string, propertyId: string): Promise<Board> {
  let socket: Socket;
  let seq = 0;
  const statuses = new Map<string, string>();
  let syncing: Promise<void> | null = null;
  let closed = false;

  const apply = (e: EventEnvelope) => {
    if (e.seq !== seq + 1) return false;
    if (e.type === 'room.statusChanged') {
      const p = e.payload as { roomId: string; status: string };
      statuses.set(p.roomId, p.status);
    }
    seq = e.seq;
    return true;
  };
  const sync = async () => {
    const result = (await socket.timeout(CLIENT_TIMEOUT_MS).emitWithAck('sync', seq === 0 ? { propertyId } : { propertyId, since: seq })) as SyncResult;
    if (!result.ok) throw new Error(`sync answered ${result.error.code}`);
    if ('snapshot' in result) {
      statuses.clear();
      for (const r of result.snapshot.rooms) statuses.set(r.id, r.status);
      seq = result.seq;
    } else {
      for (const e of result.events) if (e.seq > seq) apply(e);
    }
  };
  const catchUp = () => (syncing ??= sync().finally(() => (syncing = null)));
  const attach = async () => {
    socket = await connectAny(urls, token, Date.now() + 60_000);
    socket.on('event', (e: EventEnvelope) => {
      // A gap (an event lost while Redis was down, or published before this socket joined) is closed by sync.
      if (e.seq > seq && !apply(e)) void catchUp().catch(() => {});
    });
    socket.on('disconnect', () => {
      if (!closed) void attach().then(() => catchUp()).catch(() => {});
    });
  };
  await attach();
  await catchUp();
  return {
    statuses,
    seq: () => seq,
    catchUp: async () => {
      await syncing?.catch(() => {});
      await catchUp();
    },
    close: () => {
      closed = true;
      socket.close();
    },
  };
}
