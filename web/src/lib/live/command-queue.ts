import type { Ack, CommandEnvelope, ErrorBody } from '@innboard/shared';

/** What became of one attempt to send a command. */
export type SendOutcome =
  | { kind: 'ack'; ack: Ack }
  /** No connection, or it dropped before the ack: keep the command and send it again on reconnect. */
  | { kind: 'disconnected' }
  /** Connected but no ack in time: the server may still be working on it; same id again is safe. */
  | { kind: 'timeout' };

export interface CommandQueueOptions {
  send(envelope: CommandEnvelope): Promise<SendOutcome>;
  /** Attempts that timed out before the command gives up with UNAVAILABLE. */
  maxAttempts?: number;
  onChange?(size: number): void;
}

interface Entry {
  envelope: CommandEnvelope;
  attempts: number;
  settle(ack: Ack): void;
}

const GAVE_UP: ErrorBody = {
  code: 'UNAVAILABLE',
  message: 'The server did not answer in time. The board will show the change if it went through.',
};

/**
 * Every command goes through here, online or not, and leaves only when it has an answer. Commands are
 * sent one at a time in the order they were issued; after a reconnect the one that was in flight is
 * sent again with the same id, which the server answers from its idempotency record.
 */
export class CommandQueue {
  readonly #send: CommandQueueOptions['send'];
  readonly #maxAttempts: number;
  readonly #onChange: CommandQueueOptions['onChange'];
  #entries: Entry[] = [];
  #pumping = false;

  constructor(options: CommandQueueOptions) {
    this.#send = options.send;
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#onChange = options.onChange;
  }

  /** Commands that have no answer yet, the one in flight included. */
  get size(): number {
    return this.#entries.length;
  }

  get envelopes(): CommandEnvelope[] {
    return this.#entries.map((e) => e.envelope);
  }

  enqueue(envelope: CommandEnvelope): Promise<Ack> {
    return new Promise<Ack>((settle) => {
      this.#entries.push({ envelope, attempts: 0, settle });
      this.#onChange?.(this.size);
      void this.pump();
    });
  }

  /** Send what is waiting, in order. Safe to call any time (e.g. on every reconnect). */
  async pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#entries.length > 0) {
        const head = this.#entries[0];
        head.attempts++;
        const outcome = await this.#send(head.envelope);
        if (this.#entries[0] !== head) continue; // cleared meanwhile
        if (outcome.kind === 'disconnected') {
          head.attempts--; // not the server's fault; it may never have seen it
          return;
        }
        if (outcome.kind === 'timeout' && head.attempts < this.#maxAttempts) continue;
        this.#entries.shift();
        this.#onChange?.(this.size);
        head.settle(outcome.kind === 'ack' ? outcome.ack : { ok: false, error: GAVE_UP });
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Answer everything still waiting with `error` (signed out): nothing will be sent. */
  clear(error: ErrorBody): void {
    const dropped = this.#entries;
    this.#entries = [];
    for (const entry of dropped) entry.settle({ ok: false, error });
    if (dropped.length > 0) this.#onChange?.(0);
  }
}
