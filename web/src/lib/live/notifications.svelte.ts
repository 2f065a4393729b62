import { NOTIFICATION_SOCKET_EVENTS, type NotificationView, type NotificationsReadResult, type NotificationsSyncResult } from '@innboard/shared';
import type { LiveClient } from './client.ts';
import { leavesGap, mergeNotifications } from './notification-list.ts';

/**
 * The signed-in user's notification centre: delivered to their own room, caught up by per-user seq
 * on every reconnect (and whenever a pushed one shows a gap), read state kept on the server.
 */
export class NotificationCentre {
  readonly #client: LiveClient;
  items = $state.raw<NotificationView[]>([]);
  unread = $state(0);
  #seq = 0;
  #userId: string | null = null;

  constructor(client: LiveClient) {
    this.#client = client;
    client.followNotifications({
      connected: () => void this.#catchUp(),
      push: (n) => {
        if (leavesGap(this.#seq, n)) return void this.#catchUp();
        if (n.seq <= this.#seq) return;
        this.#seq = n.seq;
        this.items = mergeNotifications(this.items, [n]);
        if (!n.read) this.unread += 1;
      },
    });
  }

  async #catchUp(): Promise<void> {
    const userId = this.#client.user?.id ?? null;
    if (userId !== this.#userId) {
      // Another person signed in on this board: nothing of the previous user's list stays.
      this.#userId = userId;
      this.#seq = 0;
      this.items = [];
    }
    const result = await this.#client
      .notificationRequest<NotificationsSyncResult>(NOTIFICATION_SOCKET_EVENTS.sync, this.#seq ? { since: this.#seq } : {})
      .catch(() => null);
    if (!result?.ok) return;
    this.items = mergeNotifications(this.items, result.notifications);
    this.#seq = Math.max(this.#seq, result.seq);
    this.unread = result.unread;
  }

  /** Everything up to the newest one is read, here and on the user's other boards after their next catch-up. */
  async markAllRead(): Promise<void> {
    if (this.unread === 0) return;
    this.items = this.items.map((n) => (n.read ? n : { ...n, read: true }));
    this.unread = 0;
    const result = await this.#client.notificationRequest<NotificationsReadResult>(NOTIFICATION_SOCKET_EVENTS.read, { upTo: this.#seq }).catch(() => null);
    if (result?.ok) this.unread = result.unread;
  }
}
