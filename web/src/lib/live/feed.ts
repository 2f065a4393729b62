import type { EventEnvelope } from '@innboard/shared';

export type SyncReply<S> = { seq: number; events: EventEnvelope[] } | { seq: number; snapshot: S };

export interface FeedTarget<S> {
  /** Ask for every event after `since`, or a snapshot when `since` is undefined. Rejects when no answer can be had now. */
  fetch(since: number | undefined): Promise<SyncReply<S>>;
  apply(event: EventEnvelope): void;
  replace(snapshot: S, seq: number): void;
  onSyncingChange?(syncing: boolean): void;
  onSyncError?(error: unknown): void;
}

/** After this many catch-up rounds that still leave a hole, ask for a snapshot instead of more events. */
const ROUNDS_BEFORE_SNAPSHOT = 2;
/** Stop looping on a misbehaving server; the next heartbeat or reconnect tries again. */
const MAX_ROUNDS = 4;

/**
 * One property's event stream. Applies events strictly in seq order (seq is gapless per property), and
 * catches up through `sync` whenever it cannot prove it has seen everything: before the first snapshot,
 * on a gap, when a heartbeat is ahead, and on reconnect.
 */
export class PropertyFeed<S> {
  readonly #target: FeedTarget<S>;
  /** The seq the read model reflects; null until the first snapshot. */
  #last: number | null = null;
  /** Events that arrived ahead of #last or during a sync, by seq. */
  #early = new Map<number, EventEnvelope>();
  #syncing = false;
  #again = false;
  #closed = false;

  constructor(target: FeedTarget<S>) {
    this.#target = target;
  }

  get lastSeq(): number | null {
    return this.#last;
  }

  get syncing(): boolean {
    return this.#syncing;
  }

  receive(event: EventEnvelope): void {
    if (this.#closed) return;
    if (this.#last !== null && event.seq <= this.#last) return; // seen already (live and sync overlap)
    if (!this.#syncing && this.#last !== null && event.seq === this.#last + 1) {
      this.#apply(event);
      this.#drainEarly();
      return;
    }
    this.#early.set(event.seq, event);
    // A running sync re-checks for holes when its reply is in.
    if (!this.#syncing) void this.sync();
  }

  heartbeat(seq: number): void {
    if (this.#syncing) return;
    if (this.#last === null || seq > this.#last) void this.sync();
  }

  /** Catch up now. Calls made while a sync runs coalesce into one more round. */
  async sync(): Promise<void> {
    if (this.#closed) return;
    if (this.#syncing) {
      this.#again = true;
      return;
    }
    this.#syncing = true;
    this.#target.onSyncingChange?.(true);
    try {
      let round = 0;
      do {
        this.#again = false;
        round++;
        const since = round > ROUNDS_BEFORE_SNAPSHOT ? undefined : (this.#last ?? undefined);
        const reply = await this.#target.fetch(since);
        if (this.#closed) return;
        this.#absorb(reply);
        this.#again = (this.#again || this.#behind(reply.seq)) && round < MAX_ROUNDS;
      } while (this.#again);
    } catch (error) {
      if (!this.#closed) this.#target.onSyncError?.(error);
    } finally {
      this.#syncing = false;
      if (!this.#closed) this.#target.onSyncingChange?.(false);
    }
  }

  /** Forget everything (property switched, signed out); late replies are ignored. */
  close(): void {
    this.#closed = true;
    this.#early.clear();
  }

  #absorb(reply: SyncReply<S>): void {
    if ('snapshot' in reply) {
      this.#target.replace(reply.snapshot, reply.seq);
      this.#last = reply.seq;
    } else if (this.#last !== null) {
      for (const event of [...reply.events].sort((a, b) => a.seq - b.seq)) {
        if (event.seq <= this.#last) continue;
        if (event.seq !== this.#last + 1) this.#early.set(event.seq, event);
        else this.#apply(event);
      }
    }
    this.#drainEarly();
  }

  #drainEarly(): void {
    if (this.#last === null) return;
    for (const seq of [...this.#early.keys()]) if (seq <= this.#last) this.#early.delete(seq);
    let next = this.#early.get(this.#last + 1);
    while (next) {
      this.#early.delete(next.seq);
      this.#apply(next);
      next = this.#early.get(this.#last + 1);
    }
  }

  #behind(serverSeq: number): boolean {
    return this.#last === null || serverSeq > this.#last || this.#early.size > 0;
  }

  #apply(event: EventEnvelope): void {
    this.#target.apply(event);
    this.#last = event.seq;
  }
}
