import type { Ack, CommandEnvelope, ErrorBody, ErrorCode } from '@innboard/shared';

/** What became of one attempt to send a command. */
export type SendOutcome =
  | { kind: 'ack'; ack: Ack }
  /** No connection, or it dropped before the ack: keep the command and send it again on reconnect. */
  | { kind: 'disconnected' }
  /** Connected but no ack in time: the server may still be working on it; same id again is safe. */
  | { kind: 'timeout' };

export interface CommandQueueOptions {
  send(envelope: CommandEnvelope): Promise<SendOutcome>;
  /** Pause before the first resend after a transient answer; doubles per resend up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  onChange?(size: number): void;
}

interface Entry {
  envelope: CommandEnvelope;
  /** Transient answers (or timeouts) in a row; sets the pause before the next resend. */
  retries: number;
  settle(ack: Ack): void;
}

/**
 * Answers that do not decide the command: the server was busy, rate-limited us, or hit its deadline
 * while the database was frozen — in which case the work may still commit. Only the same id again is
 * safe: a new id could apply the change twice. Anything else (ok or another code) is final.
 */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'RATE_LIMITED']);

const NO_ANSWER: ErrorBody = {
  code: 'UNAVAILABLE',
  message: 'The server did not answer in time. The change is kept and sent again.',
};

/**
 * Every command goes through here, online or not, and leaves only when the server has decided it.
 * Commands are sent one at a time in the order they were issued; after a reconnect, a timeout or a
 * transient answer the head is sent again with the same id, which the server answers from its
 * idempotency record if the first attempt went through.
 */
export class CommandQueue {
  readonly #send: CommandQueueOptions['send'];
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #onChange: CommandQueueOptions['onChange'];
  #entries: Entry[] = [];
  /** The drain in progress; one at a time, so commands go out in order. */
  #running: Promise<void> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last transient answer of the head; null once it has a final one. */
  #waiting: ErrorBody | null = null;
  #inFlight = false;
  #again = false;

  constructor(options: CommandQueueOptions) {
    this.#send = options.send;
    this.#retryBaseMs = options.retryBaseMs ?? 1_000;
    this.#retryMaxMs = options.retryMaxMs ?? 15_000;
    this.#onChange = options.onChange;
  }

  /** Commands that have no final answer yet, the one in flight included. */
  get size(): number {
    return this.#entries.length;
  }

  /** The transient answer the head command got last; it is sent again after a pause (or on `retryNow`). */
  get waiting(): ErrorBody | null {
    return this.#waiting;
  }

  enqueue(envelope: CommandEnvelope): Promise<Ack> {
    return new Promise<Ack>((settle) => {
      this.#entries.push({ envelope, retries: 0, settle });
      this.#changed();
      void this.pump();
    });
  }

  /** A waiting command is being sent again right now. */
  get resending(): boolean {
    return this.#inFlight && this.#waiting !== null;
  }

  /** Skip the pause: send the waiting command again now, with its id (right after the answer if one is out). */
  retryNow(): void {
    void this.pump();
  }

  /** Send what is waiting, in order. Safe to call any time (e.g. on every reconnect); resolves when the queue rests. */
  pump(): Promise<void> {
    if (this.#running) {
      // A reconnect (or "Retry now") while an attempt is out: if that one cannot finish the command,
      // go again at once instead of waiting for the next event or the pause.
      this.#again = true;
      return this.#running;
    }
    clearTimeout(this.#retryTimer);
    this.#running = this.#drain().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Answer everything still waiting with `error` (signed out): nothing will be sent. */
  clear(error: ErrorBody): void {
    clearTimeout(this.#retryTimer);
    const dropped = this.#entries;
    this.#entries = [];
    this.#waiting = null;
    for (const entry of dropped) entry.settle({ ok: false, error });
    if (dropped.length > 0) this.#changed();
  }

  async #drain(): Promise<void> {
    while (this.#entries.length > 0) {
      this.#again = false;
      const head = this.#entries[0];
      const outcome = await this.#attempt(head.envelope);
      if (this.#entries[0] !== head) continue; // cleared meanwhile
      if (outcome.kind === 'ack' && !isTransient(outcome.ack)) {
        this.#entries.shift();
        this.#waiting = null;
        this.#changed();
        head.settle(outcome.ack);
        continue;
      }
      if (outcome.kind !== 'disconnected') {
        head.retries++;
        this.#waiting = outcome.kind === 'ack' && !outcome.ack.ok ? outcome.ack.error : NO_ANSWER;
      }
      this.#changed();
      if (this.#again) continue;
      // Disconnected: the reconnect pumps again. Otherwise after a pause that grows with each retry.
      if (this.#waiting && outcome.kind !== 'disconnected') {
        this.#retryTimer = setTimeout(() => void this.pump(), this.#pause(head.retries, this.#waiting.code));
      }
      return;
    }
  }

  async #attempt(envelope: CommandEnvelope): Promise<SendOutcome> {
    this.#inFlight = true;
    if (this.#waiting) this.#changed();
    try {
      return await this.#send(envelope);
    } finally {
      this.#inFlight = false;
    }
  }

  /**
   * Exponential from `retryBaseMs`, one step longer after a rate limit (the budget refills per second),
   * with jitter so boards that all hit the same outage do not come back in lock-step.
   */
  #pause(retries: number, code: ErrorCode): number {
    const steps = code === 'RATE_LIMITED' ? retries : retries - 1;
    return Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** steps) * (0.75 + Math.random() / 2);
  }

  #changed(): void {
    this.#onChange?.(this.size);
  }
}

function isTransient(ack: Ack): boolean {
  return !ack.ok && TRANSIENT.has(ack.error.code);
}
