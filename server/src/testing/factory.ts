// Medium-test factory: a real server (real Postgres, real transport) on a random port, and real
// socket.io-client connections to it.
import { randomUUID } from 'node:crypto';
import { inject, vi } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { Ack, EventEnvelope, LoginResponse, NotificationView, SyncResult } from '@innboard/shared';
import { createApp, type App, type AppOptions } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { userRoom } from '../realtime/gateway.ts';
import type { TransportKind } from '../transport/types.ts';
import { createTestDatabase } from './databases.ts';

export const DEMO_PASSWORD = 'innboard-demo';
export const TRANSPORTS: TransportKind[] = ['uws', 'node'];

export interface TestServer {
  app: App;
  url: string;
  port: number;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Starts a server on a fresh clone of the seeded test database (or on `databaseUrl` when given). */
export async function startTestServer(opts: { transport?: TransportKind; env?: Record<string, string>; databaseUrl?: string; appOptions?: AppOptions } = {}): Promise<TestServer> {
  const databaseUrl = opts.databaseUrl ?? (await createTestDatabase(inject('pgAdminUrl')));
  const config = loadConfig({
    NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', TRANSPORT: opts.transport ?? 'uws', DATABASE_URL: databaseUrl,
    SEED_DEMO: 'false', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', HEARTBEAT_MS: '1000', ...opts.env,
  });
  const app = await createApp(config, createLogger(config.LOG_LEVEL), opts.appOptions);
  const port = await app.listen();
  return { app, port, url: `http://127.0.0.1:${port}`, databaseUrl, stop: () => app.stop() };
}

export async function login(url: string, email: string, password = DEMO_PASSWORD): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as LoginResponse;
}

export interface Client {
  socket: Socket;
  events: EventEnvelope[];
  /** Sends a command and resolves with its ack. */
  command<R = unknown>(type: string, payload: unknown, id?: string): Promise<Ack<R>>;
  sync(propertyId: string, since?: number): Promise<SyncResult>;
  /** Resolves when an event matching `pred` has arrived (already or later). */
  waitForEvent(pred: (e: EventEnvelope) => boolean, timeoutMs?: number): Promise<EventEnvelope>;
  /** Notifications pushed to this user's room while connected. */
  notifications: NotificationView[];
  waitForNotification(pred: (n: NotificationView) => boolean, timeoutMs?: number): Promise<NotificationView>;
  close(): void;
}

export function connect(url: string, token: string, extraAuth: Record<string, unknown> = {}): Promise<Client> {
  const socket = io(url, { auth: { token, ...extraAuth }, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: EventEnvelope[] = [];
  const waiters: Array<{ pred: (e: EventEnvelope) => boolean; resolve: (e: EventEnvelope) => void }> = [];
  socket.on('event', (e: EventEnvelope) => {
    events.push(e);
    for (const w of [...waiters]) if (w.pred(e)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(e); }
  });
  const notifications: NotificationView[] = [];
  const noticeWaiters: Array<{ pred: (n: NotificationView) => boolean; resolve: (n: NotificationView) => void }> = [];
  socket.on('notification', (n: NotificationView) => {
    notifications.push(n);
    for (const w of [...noticeWaiters]) if (w.pred(n)) { noticeWaiters.splice(noticeWaiters.indexOf(w), 1); w.resolve(n); }
  });
  const client: Client = {
    socket,
    events,
    command: (type, payload, id = randomUUID()) => socket.timeout(15_000).emitWithAck('command', { id, type, payload }),
    sync: (propertyId, since) => socket.timeout(15_000).emitWithAck('sync', since === undefined ? { propertyId } : { propertyId, since }),
    waitForEvent: (pred, timeoutMs = 5000) => {
      const seen = events.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for event')), timeoutMs);
        waiters.push({ pred, resolve: (e) => { clearTimeout(timer); resolve(e); } });
      });
    },
    notifications,
    waitForNotification: (pred, timeoutMs = 5000) => {
      const seen = notifications.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for notification')), timeoutMs);
        noticeWaiters.push({ pred, resolve: (n) => { clearTimeout(timer); resolve(n); } });
      });
    },
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (err) => { socket.close(); reject(err); });
  });
}

/**
 * Resolves once `server` has read the sockets' memberships and put them in their rooms: 'connect' comes before that,
 * and a socket whose user is deactivated before the read is refused and closed, leaving its commands unanswered.
 */
export async function untilJoined(server: TestServer, userId: string, ...clients: Client[]): Promise<void> {
  const joined = () => server.app.transport.io.of('/').adapter.rooms.get(userRoom(userId));
  await vi.waitFor(() => {
    if (!clients.every((c) => joined()?.has(c.socket.id!))) throw new Error('the server did not put the sockets in their rooms within 5 s');
  }, { timeout: 5000, interval: 10 });
}

/** Logs in and connects in one step; returns the login response too. */
export async function loginAndConnect(url: string, email: string): Promise<Client & { session: LoginResponse; propertyId: string }> {
  const session = await login(url, email);
  const client = await connect(url, session.accessToken);
  return Object.assign(client, { session, propertyId: session.user.memberships[0]!.propertyId });
}

/** Waits until no new events arrive for `quietMs` — used to assert that something did NOT happen. */
export async function settle(quietMs = 300): Promise<void> {
  await new Promise((r) => setTimeout(r, quietMs));
}
