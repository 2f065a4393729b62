import type { Ack, ErrorBody } from '@innboard/shared';

/**
 * pending: waiting to be sent (or in flight); done: accepted, shown until the read model has its event;
 * rejected: the server said no, the cashier decides (try again or discard).
 */
export type OutboxState = 'pending' | 'done' | 'rejected';

export interface OutboxEntry {
  /** The command id: sent unchanged on every attempt, so the server applies it at most once. */
  id: string;
  type: string;
  payload: Record<string, unknown>;
  /** What the cashier sees, e.g. "2 × Espresso". */
  label: string;
  state: OutboxState;
  error?: ErrorBody;
  result?: unknown;
  /** Done: the entry is in the read model once it has reached this seq. */
  settleAtSeq?: number;
  createdAt: string;
}

export interface OutboxOptions {
  /** localStorage: a terminal that reloads (or restarts) while offline still has its queue. */
  storage: Storage | undefined;
  key: string;
  send(type: string, payload: Record<string, unknown>, id: string): Promise<Ack>;
  newId(): string;
  onChange?(): void;
  /** Wait before sending again after the server was unavailable. */
  retryMs?: number;
}

/** Orders opened while offline have no server id yet; later commands name them by this. */
export const LOCAL_PREFIX = 'local:';
export const localOrderRef = (openCommandId: string): string => LOCAL_PREFIX + openCommandId;
export const isLocalRef = (value: unknown): value is string => typeof value === 'string' && value.startsWith(LOCAL_PREFIX);

/**
 * Worth sending again with the same id: the server did not decide (busy, rate-limited). The board's live
 * client already resends these itself; the outbox still never turns them into a rejection, whose "Try
 * again" would send a new id and could apply a late-committing command twice.
 */
const TRANSIENT = new Set(['UNAVAILABLE', 'RATE_LIMITED']);

interface Stored {
  entries: OutboxEntry[];
  refs: Record<string, string>;
}

/**
 * A terminal's commands, kept in browser storage until the server has answered them. Sent one at a
 * time in the order they were made, so a line never reaches the server before the order it belongs to;
 * each keeps its id across reloads and reconnects, and the server's idempotency makes a replay harmless.
 */
export class PosOutbox {
  readonly #o: OutboxOptions;
  #entries: OutboxEntry[];
  /** Local order ref -> the server's order id, once its open was accepted. */
  #refs: Record<string, string>;
  #pumping = false;
  /** The entry handed to `send` and not answered yet. */
  #sending: string | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: OutboxOptions) {
    this.#o = options;
    const stored = load(options.storage, options.key);
    // Done entries were confirmed before the reload; the next snapshot has them.
    this.#entries = stored.entries.filter((e) => e.state !== 'done');
    this.#refs = stored.refs;
  }

  get entries(): readonly OutboxEntry[] {
    return this.#entries;
  }

  /** Id of the command in flight: the live client holds it (and counts it) until the server answers. */
  get sending(): string | null {
    return this.#sending;
  }

  /** The server id of an order, also for one opened offline once its open went through. */
  resolve(orderRef: string): string {
    return this.#refs[orderRef] ?? orderRef;
  }

  /** Queue a command; `pump` sends it when everything before it is answered. */
  add(type: string, payload: Record<string, unknown>, label: string): OutboxEntry {
    const entry: OutboxEntry = { id: this.#o.newId(), type, payload, label, state: 'pending', createdAt: new Date().toISOString() };
    this.#entries = [...this.#entries, entry];
    this.#save();
    void this.pump();
    return entry;
  }

  /** Send a rejected command again as a new command (the old id's answer is final), at the end of the queue. */
  retry(id: string): void {
    const entry = this.#entries.find((e) => e.id === id && e.state === 'rejected');
    if (!entry) return;
    const again: OutboxEntry = { ...entry, id: this.#o.newId(), state: 'pending', error: undefined };
    this.#entries = [...this.#entries.filter((e) => e !== entry), again];
    this.#save();
    void this.pump();
  }

  discard(id: string): void {
    this.#entries = this.#entries.filter((e) => !(e.id === id && e.state === 'rejected'));
    this.#save();
  }

  /** Drop accepted entries the read model now shows (it has folded in events up to `seq`). */
  settle(seq: number): void {
    const left = this.#entries.filter((e) => e.state !== 'done' || (e.settleAtSeq ?? 0) > seq);
    if (left.length === this.#entries.length) return;
    this.#entries = left;
    this.#save();
  }

  /** Send what is pending, in order. Safe to call any time; one pump runs at a time. */
  async pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    clearTimeout(this.#retryTimer);
    try {
      for (let entry = this.#nextPending(); entry; entry = this.#nextPending()) {
        const payload = this.#resolvePayload(entry);
        if (!payload) {
          this.#update(entry, { state: 'rejected', error: { code: 'NOT_FOUND', message: 'Its order could not be opened.' } });
          continue;
        }
        this.#setSending(entry.id);
        const ack = await this.#o.send(entry.type, payload, entry.id).finally(() => this.#setSending(null));
        if (!this.#entries.includes(entry)) continue;
        if (ack.ok) {
          const orderId = (ack.result as { orderId?: string } | null)?.orderId;
          if (entry.type === 'pos.order.open' && orderId) this.#refs = { ...this.#refs, [localOrderRef(entry.id)]: orderId };
          if (ack.seq === undefined) this.#remove(entry);
          else this.#update(entry, { state: 'done', result: ack.result, settleAtSeq: ack.seq, payload });
        } else if (ack.error.code === 'UNAUTHORIZED') {
          return; // signed out: the queue waits in storage for the next sign-in
        } else if (TRANSIENT.has(ack.error.code)) {
          this.#retryTimer = setTimeout(() => void this.pump(), this.#o.retryMs ?? 3_000);
          return;
        } else {
          this.#update(entry, { state: 'rejected', error: ack.error });
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Stop retrying (page closed); the stored queue stays for next time. */
  dispose(): void {
    clearTimeout(this.#retryTimer);
  }

  #setSending(id: string | null): void {
    this.#sending = id;
    this.#o.onChange?.();
  }

  #nextPending(): OutboxEntry | undefined {
    return this.#entries.find((e) => e.state === 'pending');
  }

  /** The payload with local order refs replaced by server ids; null when its order was never opened. */
  #resolvePayload(entry: OutboxEntry): Record<string, unknown> | null {
    const ref = entry.payload.orderId;
    if (!isLocalRef(ref)) return entry.payload;
    const orderId = this.#refs[ref];
    return orderId ? { ...entry.payload, orderId } : null;
  }

  #update(entry: OutboxEntry, patch: Partial<OutboxEntry>): void {
    this.#entries = this.#entries.map((e) => (e === entry ? { ...e, ...patch } : e));
    this.#save();
  }

  #remove(entry: OutboxEntry): void {
    this.#entries = this.#entries.filter((e) => e !== entry);
    this.#save();
  }

  #save(): void {
    // A stored ref is needed only while some entry still names it (the page keeps all of them).
    const named = new Set(this.#entries.map((e) => e.payload.orderId));
    const refs = Object.fromEntries(Object.entries(this.#refs).filter(([ref]) => named.has(ref)));
    try {
      this.#o.storage?.setItem(this.#o.key, JSON.stringify({ entries: this.#entries, refs } satisfies Stored));
    } catch {
      // Storage full or blocked (private mode): the queue still works for this page's lifetime.
    }
    this.#o.onChange?.();
  }
}

function load(storage: Storage | undefined, key: string): Stored {
  try {
    const raw = storage?.getItem(key);
    const parsed = raw ? (JSON.parse(raw) as Partial<Stored>) : {};
    return { entries: Array.isArray(parsed.entries) ? parsed.entries : [], refs: parsed.refs ?? {} };
  } catch {
    return { entries: [], refs: {} };
  }
}
