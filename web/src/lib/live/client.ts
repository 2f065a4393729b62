import { io, type Socket } from 'socket.io-client';
import type { DocTransport } from '@innboard/shared/collab';
import {
  NOTIFICATION_SOCKET_EVENTS,
  DOC_EVENT,
  type DocBroadcast,
  PROTOCOL_VERSION,
  SOCKET_EVENTS,
  type Ack,
  type CommandEnvelope,
  type CommandSpec,
  type ErrorBody,
  type EventEnvelope,
  type Heartbeat,
  type NotificationView,
  type PayloadOf,
  type PropertySnapshotBase,
  type SessionUser,
} from '@innboard/shared';
import { AuthApi, loadSession, toSession } from './auth.ts';
import { CommandQueue, type SendOutcome } from './command-queue.ts';
import { DocChannel } from './doc-channel.ts';
import { LiveError } from './errors.ts';
import { newId } from './ids.ts';
import { NotificationChannel, type NotificationListener } from './notification-channel.ts';
import { PropertyStreams, type PropertyWatcher } from './property-streams.ts';
import { SessionTokens } from './session-tokens.ts';

export type { Session } from './auth.ts';
export { LiveError, describeError } from './errors.ts';
export type { NotificationListener } from './notification-channel.ts';
export type { PropertyWatcher } from './property-streams.ts';

export type ConnectionState = 'connected' | 'reconnecting' | 'catching up' | 'offline';

export interface LiveClientOptions {
  /** Where /api and the socket live; the page's own origin by default. */
  origin?: string;
  /** sessionStorage by default: each tab signs in on its own. */
  storage?: Storage;
  ackTimeoutMs?: number;
}

export type SessionEndReason = 'signed-out' | 'expired';

/** Wait before reconnecting after a server middleware refused the connection for a reason other than the token. */
const RECONNECT_RETRY_MS = 3_000;
const SIGNED_OUT: ErrorBody = { code: 'UNAUTHORIZED', message: 'Signed out before this change was sent.' };

/**
 * The board's one connection to the server: the socket's life (connect, refusals, browser offline) and
 * the parts that ride on it — session tokens (session-tokens.ts), commands with an offline queue
 * (command-queue.ts), per-property event streams kept gapless by seq (property-streams.ts), the user's
 * notifications (notification-channel.ts) and collaborative documents (doc-channel.ts). Framework-free;
 * the Svelte store (store.svelte.ts) subscribes with `onChange`.
 */
export class LiveClient {
  readonly #origin: string;
  readonly #storage: Storage | undefined;
  readonly #ackTimeoutMs: number;
  readonly #auth: AuthApi;
  readonly #queue: CommandQueue;
  readonly #streams: PropertyStreams;
  readonly #docs: DocChannel;
  readonly #notifications: NotificationChannel;
  readonly #listeners = new Set<() => void>();
  readonly #endListeners = new Set<(reason: SessionEndReason) => void>();
  readonly #connectHandlers = new Set<() => void>();
  readonly #tokens: SessionTokens;

  #socket: Socket | null = null;
  /** The browser said it lost the network; we wait for it to say it is back. */
  #browserOffline = false;
  /** A refusal that retrying cannot fix (protocol version); shown as offline. */
  #fatal: LiveError | null = null;

  constructor(options: LiveClientOptions = {}) {
    this.#origin = options.origin ?? globalThis.location?.origin ?? 'http://localhost:3000';
    this.#storage = options.storage ?? globalThis.sessionStorage;
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.#auth = new AuthApi(this.#origin);
    this.#queue = new CommandQueue({
      send: (envelope) => this.#emitCommand(envelope),
      onChange: () => this.#changed(),
    });
    const socket = () => this.#socket;
    this.#streams = new PropertyStreams({ socket, ackTimeoutMs: this.#ackTimeoutMs, onChange: () => this.#changed() });
    this.#docs = new DocChannel(socket, this.#ackTimeoutMs);
    this.#notifications = new NotificationChannel(socket, this.#ackTimeoutMs);
    this.#tokens = new SessionTokens({
      auth: this.#auth,
      storage: this.#storage,
      session: loadSession(this.#storage),
      onRotated: () => this.#reconnectAfterRefresh(),
      onExpired: () => this.#endSession('expired'),
      onChange: () => this.#changed(),
    });
  }

  // ---- state -------------------------------------------------------------------------------

  get user(): SessionUser | null {
    return this.#tokens.current?.user ?? null;
  }

  get state(): ConnectionState {
    const socket = this.#socket;
    if (!this.#tokens.current || !socket || this.#fatal || this.#browserOffline) return 'offline';
    if (socket.connected) return this.#streams.syncing ? 'catching up' : 'connected';
    return 'reconnecting';
  }

  /** Commands issued but not yet answered (sent or waiting for the connection). */
  get queued(): number {
    return this.#queue.size;
  }

  /**
   * Why the oldest unanswered command is waiting to be sent again (server busy, database not answering
   * in time, rate limit): it goes again with the same id after a pause, or at once with `retryNow`.
   */
  get waiting(): ErrorBody | null {
    return this.#queue.waiting;
  }

  /** The waiting command is on its way again. */
  get resending(): boolean {
    return this.#queue.resending;
  }

  /** Send the waiting command again now, with the id it was first sent with. */
  retryNow(): void {
    this.#queue.retryNow();
  }

  /** Why the connection was refused for good, if it was. */
  get fatalError(): LiveError | null {
    return this.#fatal;
  }

  /** Called after any change of user, connection state or queue size. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onSessionEnd(listener: (reason: SessionEndReason) => void): () => void {
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }

  // ---- session -----------------------------------------------------------------------------

  async login(email: string, password: string): Promise<SessionUser> {
    const response = await this.#auth.login(email.trim(), password);
    this.#tokens.set(toSession(response));
    this.start();
    return response.user;
  }

  async logout(): Promise<void> {
    const session = this.#tokens.current;
    this.#endSession('signed-out');
    if (session) await this.#auth.logout(session.refreshToken).catch(() => undefined);
  }

  // ---- connection --------------------------------------------------------------------------

  /** Connect if signed in. Idempotent; call it once the page is up. */
  start(): void {
    if (!this.#tokens.current || this.#socket) return;
    this.#fatal = null;
    this.#tokens.schedule();
    const socket = io(this.#origin, {
      // A function, so every reconnect hands over the token current at that moment.
      auth: (cb) => cb({ token: this.#tokens.current?.accessToken, protocolVersion: PROTOCOL_VERSION }),
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      autoConnect: false,
    });
    this.#socket = socket;
    socket.on('connect', () => this.#onConnect());
    socket.on('disconnect', (reason) => this.#onDisconnect(reason));
    socket.on('connect_error', (err) => void this.#onConnectError(err as Error & { data?: { code?: string } }));
    socket.on(SOCKET_EVENTS.event, (event: EventEnvelope) => this.#streams.receive(event));
    socket.on(DOC_EVENT, (frame: DocBroadcast) => this.#docs.receive(frame));
    socket.on(SOCKET_EVENTS.heartbeat, (beat: Heartbeat) => this.#streams.heartbeat(beat.propertyId, beat.seq));
    socket.on(NOTIFICATION_SOCKET_EVENTS.push, (n: NotificationView) => this.#notifications.push(n));
    socket.io.on('reconnect_attempt', () => this.#changed());
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', this.#onBrowserOffline);
      window.addEventListener('online', this.#onBrowserOnline);
      document.addEventListener('visibilitychange', this.#onVisible);
    }
    socket.connect();
    this.#changed();
  }

  /** Disconnect without signing out. */
  stop(): void {
    this.#tokens.unschedule();
    if (typeof window !== 'undefined') {
      window.removeEventListener('offline', this.#onBrowserOffline);
      window.removeEventListener('online', this.#onBrowserOnline);
      document.removeEventListener('visibilitychange', this.#onVisible);
    }
    this.#socket?.removeAllListeners();
    this.#socket?.io.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
    this.#streams.disconnected();
    this.#changed();
  }

  // ---- commands ----------------------------------------------------------------------------

  /**
   * Send a command. Resolves with the server's final ack — never rejects. While disconnected, or after
   * an answer that decides nothing (UNAVAILABLE, RATE_LIMITED, no ack in time), the command waits and is
   * sent again with the same id, in order. The payload is checked against the shared schema first, so an
   * invalid one answers VALIDATION without a round trip.
   */
  command<C extends CommandSpec>(spec: C, payload: PayloadOf<C>, options: { id?: string } = {}): Promise<Ack> {
    const parsed = spec.payload.safeParse(payload);
    if (!parsed.success) {
      return Promise.resolve({
        ok: false,
        error: { code: 'VALIDATION', message: parsed.error.issues[0]?.message ?? 'Invalid request.', details: parsed.error.issues },
      });
    }
    return this.send(spec.type, parsed.data, options);
  }

  /** `command` without the schema check, for types the web has no spec for. */
  send(type: string, payload: unknown, options: { id?: string } = {}): Promise<Ack> {
    if (!this.#tokens.current) return Promise.resolve({ ok: false, error: SIGNED_OUT });
    return this.#queue.enqueue({ id: options.id ?? newId(), type, payload });
  }

  // ---- files -------------------------------------------------------------------------------

  /** GET a protected HTTP resource (an invoice PDF) with the access token; refreshed once if it expired. */
  async fetchAuthorized(path: string): Promise<Response> {
    const attempt = () => fetch(new URL(path, this.#origin), { headers: { authorization: `Bearer ${this.#tokens.current?.accessToken ?? ''}` } });
    const response = await attempt();
    if (response.status === 401 && (await this.#tokens.refresh())) return attempt();
    return response;
  }

  // ---- property streams --------------------------------------------------------------------

  /**
   * Follow one property: `snapshot` first (and again whenever the server says we are too far behind),
   * then every event in seq order. Returns the function that stops following.
   */
  watch<S extends PropertySnapshotBase>(propertyId: string, watcher: PropertyWatcher<S>): () => void {
    return this.#streams.watch(propertyId, watcher);
  }

  // ---- per-user notifications -------------------------------------------------------------

  /** Follow the signed-in user's notifications: `connected` on every (re)connect, `push` per delivery. */
  followNotifications(listener: NotificationListener): () => void {
    return this.#notifications.follow(listener);
  }

  /** `notifications.sync` / `notifications.read`; rejects when offline or unanswered. */
  notificationRequest<R>(event: (typeof NOTIFICATION_SOCKET_EVENTS)['sync' | 'read'], payload: unknown): Promise<R> {
    return this.#notifications.request<R>(event, payload);
  }

  // ---- collaborative documents ------------------------------------------------------------

  /** The collaborative `doc` channel on this connection; frames sent while offline fail (the next join resends). */
  docTransport(): DocTransport {
    return this.#docs.transport();
  }

  /** Runs `fn` on every (re)connect, e.g. to rejoin documents from their state vector. */
  onConnected(fn: () => void): () => void {
    this.#connectHandlers.add(fn);
    return () => void this.#connectHandlers.delete(fn);
  }

  get connected(): boolean {
    return this.#socket?.connected ?? false;
  }

  // ---- internals ---------------------------------------------------------------------------

  #onConnect(): void {
    for (const fn of this.#connectHandlers) fn();
    this.#changed();
    this.#notifications.connected();
    this.#streams.syncAll();
    void this.#queue.pump();
  }

  #onDisconnect(reason: Socket.DisconnectReason): void {
    this.#changed();
    // The server closed us on purpose (token expired, session revoked): socket.io will not retry by itself.
    if (reason === 'io server disconnect' && this.#tokens.current) void this.#tokens.refresh();
  }

  async #onConnectError(err: Error & { data?: { code?: string; message?: string } }): Promise<void> {
    const code = err.data?.code;
    if (code === 'PROTOCOL_VERSION') {
      this.#fatal = new LiveError({ code: 'PROTOCOL_VERSION', message: err.data?.message ?? '' });
      this.#changed();
      return;
    }
    if (code === 'UNAUTHORIZED') {
      await this.#tokens.refresh(); // a successful refresh reopens the socket
      return;
    }
    // Refused by a server middleware for another reason: socket.io leaves retrying to us.
    if (this.#socket && !this.#socket.active) {
      const socket = this.#socket;
      setTimeout(() => {
        if (this.#socket === socket && !socket.connected) socket.connect();
      }, RECONNECT_RETRY_MS);
    }
    this.#changed();
  }

  /** A socket refused for its old token is not retrying by itself. */
  #reconnectAfterRefresh(): void {
    const socket = this.#socket;
    if (socket && !socket.connected && !socket.active && !this.#browserOffline) socket.connect();
  }

  #endSession(reason: SessionEndReason): void {
    if (!this.#tokens.current) return;
    this.#tokens.set(null);
    this.stop();
    this.#streams.closeAll();
    this.#queue.clear(reason === 'expired' ? { code: 'UNAUTHORIZED', message: 'Your session ended before this change was sent.' } : SIGNED_OUT);
    for (const listener of this.#endListeners) listener(reason);
  }

  #emitCommand(envelope: CommandEnvelope): Promise<SendOutcome> {
    const socket = this.#socket;
    if (!socket?.connected) return Promise.resolve({ kind: 'disconnected' });
    return new Promise((resolve) => {
      socket.timeout(this.#ackTimeoutMs).emit(SOCKET_EVENTS.command, envelope, (err: Error | null, ack: Ack) => {
        if (err) resolve(socket.connected ? { kind: 'timeout' } : { kind: 'disconnected' });
        else resolve({ kind: 'ack', ack });
      });
    });
  }

  #onBrowserOffline = (): void => {
    // Don't wait ~45 s for ping timeouts: queue commands from now on.
    this.#browserOffline = true;
    this.#socket?.disconnect();
    this.#changed();
  };

  #onBrowserOnline = (): void => {
    this.#browserOffline = false;
    if (this.#tokens.due) void this.#tokens.refresh();
    else this.#socket?.connect();
    this.#changed();
  };

  #onVisible = (): void => {
    // Timers stall while a laptop sleeps; refresh on wake if the token is (nearly) expired.
    if (document.visibilityState === 'visible' && this.#tokens.due) void this.#tokens.refresh();
  };

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
