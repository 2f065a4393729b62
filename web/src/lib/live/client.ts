import { io, type Socket } from 'socket.io-client';
import type { DocTransport } from '@innboard/shared/collab';
import {
  NOTIFICATION_SOCKET_EVENTS,
  DOC_EVENT,
  type DocAck,
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
  type SyncResult,
} from '@innboard/shared';
import { AuthApi, loadSession, refreshDelay, saveSession, toSession, type Session } from './auth.ts';
import { CommandQueue, type SendOutcome } from './command-queue.ts';
import { LiveError } from './errors.ts';
import { PropertyFeed, type SyncReply } from './feed.ts';
import { newId } from './ids.ts';

export type { Session } from './auth.ts';
export { LiveError, describeError } from './errors.ts';

export type ConnectionState = 'connected' | 'reconnecting' | 'catching up' | 'offline';

export interface LiveClientOptions {
  /** Where /api and the socket live; the page's own origin by default. */
  origin?: string;
  /** sessionStorage by default: each tab signs in on its own. */
  storage?: Storage;
  ackTimeoutMs?: number;
}

/** What a screen does with one property's stream. */
export interface PropertyWatcher<S extends PropertySnapshotBase = PropertySnapshotBase> {
  snapshot(snapshot: S, seq: number): void;
  event(event: EventEnvelope): void;
  /** The server refused to catch this property up (e.g. FORBIDDEN after losing access). */
  error?(error: LiveError): void;
}

export interface NotificationListener {
  connected(): void;
  push(notification: NotificationView): void;
}

export type SessionEndReason = 'signed-out' | 'expired';

const SIGNED_OUT: ErrorBody = { code: 'UNAUTHORIZED', message: 'Signed out before this change was sent.' };
const SYNC_RETRY_MS = 3_000;

/**
 * The board's one connection to the server: session tokens over HTTP, the socket, commands with an
 * offline queue, and per-property event streams kept gapless by seq. Framework-free; the Svelte store
 * (store.svelte.ts) subscribes with `onChange`.
 */
export class LiveClient {
  readonly #origin: string;
  readonly #storage: Storage | undefined;
  readonly #ackTimeoutMs: number;
  readonly #auth: AuthApi;
  readonly #queue: CommandQueue;
  readonly #feeds = new Map<string, { feed: PropertyFeed<PropertySnapshotBase>; watcher: PropertyWatcher }>();
  readonly #listeners = new Set<() => void>();
  readonly #endListeners = new Set<(reason: SessionEndReason) => void>();
  readonly #noticeListeners = new Set<NotificationListener>();
  readonly #docHandlers = new Set<(frame: DocBroadcast) => void>();
  readonly #connectHandlers = new Set<() => void>();

  #session: Session | null;
  #socket: Socket | null = null;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<boolean> | null = null;
  #syncing = new Set<string>();
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
    this.#session = loadSession(this.#storage);
  }

  // ---- state -------------------------------------------------------------------------------

  get user(): SessionUser | null {
    return this.#session?.user ?? null;
  }

  get state(): ConnectionState {
    const socket = this.#socket;
    if (!this.#session || !socket || this.#fatal || this.#browserOffline) return 'offline';
    if (socket.connected) return this.#syncing.size > 0 ? 'catching up' : 'connected';
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
    this.#setSession(toSession(response));
    this.start();
    return response.user;
  }

  async logout(): Promise<void> {
    const session = this.#session;
    this.#endSession('signed-out');
    if (session) await this.#auth.logout(session.refreshToken).catch(() => undefined);
  }

  // ---- connection --------------------------------------------------------------------------

  /** Connect if signed in. Idempotent; call it once the page is up. */
  start(): void {
    if (!this.#session || this.#socket) return;
    this.#fatal = null;
    this.#scheduleRefresh();
    const socket = io(this.#origin, {
      // A function, so every reconnect hands over the token current at that moment.
      auth: (cb) => cb({ token: this.#session?.accessToken, protocolVersion: PROTOCOL_VERSION }),
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      autoConnect: false,
    });
    this.#socket = socket;
    socket.on('connect', () => this.#onConnect());
    socket.on('disconnect', (reason) => this.#onDisconnect(reason));
    socket.on('connect_error', (err) => void this.#onConnectError(err as Error & { data?: { code?: string } }));
    socket.on(SOCKET_EVENTS.event, (event: EventEnvelope) => this.#feeds.get(event.propertyId)?.feed.receive(event));
    socket.on(DOC_EVENT, (frame: DocBroadcast) => { for (const h of this.#docHandlers) h(frame); });
    socket.on(SOCKET_EVENTS.heartbeat, (beat: Heartbeat) => this.#feeds.get(beat.propertyId)?.feed.heartbeat(beat.seq));
    socket.on(NOTIFICATION_SOCKET_EVENTS.push, (n: NotificationView) => { for (const l of this.#noticeListeners) l.push(n); });
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
    clearTimeout(this.#refreshTimer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('offline', this.#onBrowserOffline);
      window.removeEventListener('online', this.#onBrowserOnline);
      document.removeEventListener('visibilitychange', this.#onVisible);
    }
    this.#socket?.removeAllListeners();
    this.#socket?.io.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
    this.#syncing.clear();
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
    if (!this.#session) return Promise.resolve({ ok: false, error: SIGNED_OUT });
    return this.#queue.enqueue({ id: options.id ?? newId(), type, payload });
  }

  // ---- files -------------------------------------------------------------------------------

  /** GET a protected HTTP resource (an invoice PDF) with the access token; refreshed once if it expired. */
  async fetchAuthorized(path: string): Promise<Response> {
    const attempt = () => fetch(new URL(path, this.#origin), { headers: { authorization: `Bearer ${this.#session?.accessToken ?? ''}` } });
    const response = await attempt();
    if (response.status === 401 && (await this.#refresh())) return attempt();
    return response;
  }

  // ---- property streams --------------------------------------------------------------------

  /**
   * Follow one property: `snapshot` first (and again whenever the server says we are too far behind),
   * then every event in seq order. Returns the function that stops following.
   */
  watch<S extends PropertySnapshotBase>(propertyId: string, watcher: PropertyWatcher<S>): () => void {
    this.#feeds.get(propertyId)?.feed.close();
    const w = watcher as unknown as PropertyWatcher;
    const feed = new PropertyFeed<PropertySnapshotBase>({
      fetch: (since) => this.#fetchSync(propertyId, since),
      apply: (event) => w.event(event),
      replace: (snapshot, seq) => w.snapshot(snapshot, seq),
      onSyncingChange: (busy) => {
        if (busy) this.#syncing.add(propertyId);
        else this.#syncing.delete(propertyId);
        this.#changed();
      },
      onSyncError: (error) => this.#onSyncError(propertyId, error),
    });
    const entry = { feed, watcher: w };
    this.#feeds.set(propertyId, entry);
    if (this.#socket?.connected) void feed.sync();
    return () => {
      feed.close();
      if (this.#feeds.get(propertyId) === entry) this.#feeds.delete(propertyId);
      this.#syncing.delete(propertyId);
      this.#changed();
    };
  }

  // ---- per-user notifications -------------------------------------------------------------

  /** Follow the signed-in user's notifications: `connected` on every (re)connect, `push` per delivery. */
  followNotifications(listener: NotificationListener): () => void {
    this.#noticeListeners.add(listener);
    if (this.#socket?.connected) listener.connected();
    return () => this.#noticeListeners.delete(listener);
  }

  /** `notifications.sync` / `notifications.read`; rejects when offline or unanswered. */
  notificationRequest<R>(event: (typeof NOTIFICATION_SOCKET_EVENTS)['sync' | 'read'], payload: unknown): Promise<R> {
    const socket = this.#socket;
    if (!socket?.connected) return Promise.reject(new LiveError({ code: 'UNAVAILABLE', message: 'Not connected.' }));
    return socket.timeout(this.#ackTimeoutMs).emitWithAck(event, payload) as Promise<R>;
  }

  // ---- internals ---------------------------------------------------------------------------

  /** The collaborative `doc` channel on this connection; frames sent while offline fail (the next join resends). */
  docTransport(): DocTransport {
    return {
      send: (frame) => {
        const socket = this.#socket;
        if (!socket?.connected) return Promise.reject(new Error('offline'));
        return socket.timeout(this.#ackTimeoutMs).emitWithAck(DOC_EVENT, frame) as Promise<DocAck>;
      },
      listen: (handler) => {
        this.#docHandlers.add(handler);
        return () => void this.#docHandlers.delete(handler);
      },
    };
  }

  /** Runs `fn` on every (re)connect, e.g. to rejoin documents from their state vector. */
  onConnected(fn: () => void): () => void {
    this.#connectHandlers.add(fn);
    return () => void this.#connectHandlers.delete(fn);
  }

  get connected(): boolean {
    return this.#socket?.connected ?? false;
  }

  #onConnect(): void {
    for (const fn of this.#connectHandlers) fn();
    this.#changed();
    for (const l of this.#noticeListeners) l.connected();
    for (const { feed } of this.#feeds.values()) void feed.sync();
    void this.#queue.pump();
  }

  #onDisconnect(reason: Socket.DisconnectReason): void {
    this.#changed();
    // The server closed us on purpose (token expired, session revoked): socket.io will not retry by itself.
    if (reason === 'io server disconnect' && this.#session) void this.#refresh();
  }

  async #onConnectError(err: Error & { data?: { code?: string; message?: string } }): Promise<void> {
    const code = err.data?.code;
    if (code === 'PROTOCOL_VERSION') {
      this.#fatal = new LiveError({ code: 'PROTOCOL_VERSION', message: err.data?.message ?? '' });
      this.#changed();
      return;
    }
    if (code === 'UNAUTHORIZED') {
      await this.#refresh(); // a successful refresh reopens the socket
      return;
    }
    // Refused by a server middleware for another reason: socket.io leaves retrying to us.
    if (this.#socket && !this.#socket.active) {
      const socket = this.#socket;
      setTimeout(() => {
        if (this.#socket === socket && !socket.connected) socket.connect();
      }, SYNC_RETRY_MS);
    }
    this.#changed();
  }

  /** Rotate tokens. One refresh at a time; false when the session is over or the server is unreachable. */
  #refresh(): Promise<boolean> {
    this.#refreshing ??= this.#rotateTokens().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #rotateTokens(): Promise<boolean> {
    const session = this.#session;
    if (!session) return false;
    try {
      const response = await this.#auth.refresh(session.refreshToken);
      if (this.#session !== session) return false; // signed out meanwhile
      this.#setSession(toSession(response));
      this.#scheduleRefresh();
      // A socket refused for its old token is not retrying by itself.
      const socket = this.#socket;
      if (socket && !socket.connected && !socket.active && !this.#browserOffline) socket.connect();
      return true;
    } catch (error) {
      if (error instanceof LiveError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')) {
        this.#endSession('expired');
      } else {
        // Server unreachable: try again soon.
        this.#scheduleRefresh(SYNC_RETRY_MS * 2);
      }
      return false;
    }
  }

  #scheduleRefresh(delay?: number): void {
    clearTimeout(this.#refreshTimer);
    const session = this.#session;
    if (!session) return;
    this.#refreshTimer = setTimeout(() => void this.#refresh(), delay ?? refreshDelay(session));
  }

  #setSession(session: Session | null): void {
    this.#session = session;
    saveSession(this.#storage, session);
    this.#changed();
  }

  #endSession(reason: SessionEndReason): void {
    if (!this.#session) return;
    this.#setSession(null);
    this.stop();
    for (const { feed } of this.#feeds.values()) feed.close();
    this.#feeds.clear();
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

  #fetchSync(propertyId: string, since: number | undefined): Promise<SyncReply<PropertySnapshotBase>> {
    const socket = this.#socket;
    if (!socket?.connected) return Promise.reject(new LiveError({ code: 'UNAVAILABLE', message: 'Not connected.' }));
    const request = since === undefined ? { propertyId } : { propertyId, since };
    return new Promise((resolve, reject) => {
      socket.timeout(this.#ackTimeoutMs).emit(SOCKET_EVENTS.sync, request, (err: Error | null, result: SyncResult) => {
        if (err) reject(new LiveError({ code: 'UNAVAILABLE', message: 'The server did not answer the catch-up request.' }));
        else if (!result.ok) reject(new LiveError(result.error));
        else resolve(result);
      });
    });
  }

  #onSyncError(propertyId: string, error: unknown): void {
    const entry = this.#feeds.get(propertyId);
    if (!entry) return;
    const liveError = error instanceof LiveError ? error : new LiveError({ code: 'INTERNAL', message: String(error) });
    if (liveError.code === 'FORBIDDEN' || liveError.code === 'NOT_FOUND') {
      entry.watcher.error?.(liveError);
      return;
    }
    // Not connected: `connect` syncs again. Connected but refused or slow: retry shortly.
    setTimeout(() => {
      if (this.#feeds.get(propertyId) === entry && this.#socket?.connected) void entry.feed.sync();
    }, SYNC_RETRY_MS);
  }

  #onBrowserOffline = (): void => {
    // Don't wait ~45 s for ping timeouts: queue commands from now on.
    this.#browserOffline = true;
    this.#socket?.disconnect();
    this.#changed();
  };

  #onBrowserOnline = (): void => {
    this.#browserOffline = false;
    const session = this.#session;
    if (session && refreshDelay(session) === 0) void this.#refresh();
    else this.#socket?.connect();
    this.#changed();
  };

  #onVisible = (): void => {
    // Timers stall while a laptop sleeps; refresh on wake if the token is (nearly) expired.
    const session = this.#session;
    if (document.visibilityState === 'visible' && session && refreshDelay(session) === 0) void this.#refresh();
  };

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
