import type { Socket } from 'socket.io-client';
import { SOCKET_EVENTS, type EventEnvelope, type PropertySnapshotBase, type SyncResult } from '@innboard/shared';
import { LiveError } from './errors.ts';
import { PropertyFeed, type SyncReply } from './feed.ts';

/** What a screen does with one property's stream. */
export interface PropertyWatcher<S extends PropertySnapshotBase = PropertySnapshotBase> {
  snapshot(snapshot: S, seq: number): void;
  event(event: EventEnvelope): void;
  /** The server refused to catch this property up (e.g. FORBIDDEN after losing access). */
  error?(error: LiveError): void;
}

export interface PropertyStreamsOptions {
  /** The connection's socket, or null while there is none. */
  socket(): Socket | null;
  ackTimeoutMs: number;
  /** Called when a property starts or stops catching up. */
  onChange(): void;
}

/** Wait before asking again after a catch-up the server refused or did not answer. */
const SYNC_RETRY_MS = 3_000;

/**
 * The properties the board follows on the connection: one gapless feed each, caught up by `sync` on
 * (re)connect, on a gap and when a heartbeat is ahead.
 */
export class PropertyStreams {
  readonly #o: PropertyStreamsOptions;
  readonly #feeds = new Map<string, { feed: PropertyFeed<PropertySnapshotBase>; watcher: PropertyWatcher }>();
  readonly #syncing = new Set<string>();

  constructor(options: PropertyStreamsOptions) {
    this.#o = options;
  }

  /** Some followed property is catching up. */
  get syncing(): boolean {
    return this.#syncing.size > 0;
  }

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
        this.#o.onChange();
      },
      onSyncError: (error) => this.#onSyncError(propertyId, error),
    });
    const entry = { feed, watcher: w };
    this.#feeds.set(propertyId, entry);
    if (this.#o.socket()?.connected) void feed.sync();
    return () => {
      feed.close();
      if (this.#feeds.get(propertyId) === entry) this.#feeds.delete(propertyId);
      this.#syncing.delete(propertyId);
      this.#o.onChange();
    };
  }

  receive(event: EventEnvelope): void {
    this.#feeds.get(event.propertyId)?.feed.receive(event);
  }

  heartbeat(propertyId: string, seq: number): void {
    this.#feeds.get(propertyId)?.feed.heartbeat(seq);
  }

  /** On (re)connect: catch every followed property up from its last seq. */
  syncAll(): void {
    for (const { feed } of this.#feeds.values()) void feed.sync();
  }

  /** The socket is gone: nothing is catching up any more. */
  disconnected(): void {
    this.#syncing.clear();
  }

  /** Signed out: stop following everything. */
  closeAll(): void {
    for (const { feed } of this.#feeds.values()) feed.close();
    this.#feeds.clear();
  }

  #fetchSync(propertyId: string, since: number | undefined): Promise<SyncReply<PropertySnapshotBase>> {
    const socket = this.#o.socket();
    if (!socket?.connected) return Promise.reject(new LiveError({ code: 'UNAVAILABLE', message: 'Not connected.' }));
    const request = since === undefined ? { propertyId } : { propertyId, since };
    return new Promise((resolve, reject) => {
      socket.timeout(this.#o.ackTimeoutMs).emit(SOCKET_EVENTS.sync, request, (err: Error | null, result: SyncResult) => {
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
      if (this.#feeds.get(propertyId) === entry && this.#o.socket()?.connected) void entry.feed.sync();
    }, SYNC_RETRY_MS);
  }
}
