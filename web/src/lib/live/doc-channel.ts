import type { Socket } from 'socket.io-client';
import type { DocTransport } from '@innboard/shared/collab';
import { DOC_EVENT, type DocAck, type DocBroadcast } from '@innboard/shared';

/**
 * The collaborative `doc` channel on the board's connection: frames out with an ack, broadcasts in to
 * every open editor. Frames sent while offline fail (the editor's next join resends from its state vector).
 */
export class DocChannel {
  readonly #socket: () => Socket | null;
  readonly #ackTimeoutMs: number;
  readonly #handlers = new Set<(frame: DocBroadcast) => void>();

  constructor(socket: () => Socket | null, ackTimeoutMs: number) {
    this.#socket = socket;
    this.#ackTimeoutMs = ackTimeoutMs;
  }

  /** Hand a broadcast from the socket to every open editor. */
  receive(frame: DocBroadcast): void {
    for (const handler of this.#handlers) handler(frame);
  }

  transport(): DocTransport {
    return {
      send: (frame) => {
        const socket = this.#socket();
        if (!socket?.connected) return Promise.reject(new Error('offline'));
        return socket.timeout(this.#ackTimeoutMs).emitWithAck(DOC_EVENT, frame) as Promise<DocAck>;
      },
      listen: (handler) => {
        this.#handlers.add(handler);
        return () => void this.#handlers.delete(handler);
      },
    };
  }
}
