import type { Socket } from 'socket.io-client';
import { NOTIFICATION_SOCKET_EVENTS, type NotificationView } from '@innboard/shared';
import { LiveError } from './errors.ts';

export interface NotificationListener {
  connected(): void;
  push(notification: NotificationView): void;
}

/** The signed-in user's notifications on the board's connection: pushes in, `sync` / `read` requests out. */
export class NotificationChannel {
  readonly #socket: () => Socket | null;
  readonly #ackTimeoutMs: number;
  readonly #listeners = new Set<NotificationListener>();

  constructor(socket: () => Socket | null, ackTimeoutMs: number) {
    this.#socket = socket;
    this.#ackTimeoutMs = ackTimeoutMs;
  }

  /** `connected` on every (re)connect, `push` per delivery. */
  follow(listener: NotificationListener): () => void {
    this.#listeners.add(listener);
    if (this.#socket()?.connected) listener.connected();
    return () => this.#listeners.delete(listener);
  }

  connected(): void {
    for (const listener of this.#listeners) listener.connected();
  }

  push(notification: NotificationView): void {
    for (const listener of this.#listeners) listener.push(notification);
  }

  /** Rejects when offline or unanswered. */
  request<R>(event: (typeof NOTIFICATION_SOCKET_EVENTS)['sync' | 'read'], payload: unknown): Promise<R> {
    const socket = this.#socket();
    if (!socket?.connected) return Promise.reject(new LiveError({ code: 'UNAVAILABLE', message: 'Not connected.' }));
    return socket.timeout(this.#ackTimeoutMs).emitWithAck(event, payload) as Promise<R>;
  }
}
