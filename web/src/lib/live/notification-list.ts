import type { NotificationView } from '@innboard/shared';

/** A notification list long enough for a shift; older ones drop off. */
export const MAX_NOTIFICATIONS = 50;

/** Newest first, each notification once (a catch-up may repeat a pushed one), at most MAX_NOTIFICATIONS. */
export function mergeNotifications(current: readonly NotificationView[], incoming: readonly NotificationView[]): NotificationView[] {
  const byId = new Map(current.map((n) => [n.notificationId, n]));
  for (const n of incoming) byId.set(n.notificationId, n);
  return [...byId.values()].sort((a, b) => b.seq - a.seq).slice(0, MAX_NOTIFICATIONS);
}

/** Whether a pushed notification leaves a hole after `lastSeq` (one was missed: catch up instead). */
export const leavesGap = (lastSeq: number, n: NotificationView) => n.seq > lastSeq + 1;
