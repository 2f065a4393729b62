import { describe, expect, it } from 'vitest';
import type { NotificationView } from '@innboard/shared';
import { MAX_NOTIFICATIONS, leavesGap, mergeNotifications } from './notification-list.ts';

const P = '00000000-0000-4000-8000-000000000001';
const n = (seq: number): NotificationView => ({
  notificationId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, seq, propertyId: P, kind: 'task_assigned',
  title: `Room ${100 + seq}`, body: '', ref: { type: 'task', id: P }, at: '2026-11-21T10:00:00.000Z', read: false,
});

describe('notification list', () => {
  it('keeps each notification once, newest first, when a catch-up repeats pushed ones', () => {
    const pushed = mergeNotifications([], [n(1), n(3)]);
    const merged = mergeNotifications(pushed, [n(2), n(3), { ...n(1), read: true }]);
    expect(merged.map((x) => [x.seq, x.read])).toEqual([[3, false], [2, false], [1, true]]);
  });

  it('caps the list', () => {
    const many = mergeNotifications([], Array.from({ length: MAX_NOTIFICATIONS + 5 }, (_, i) => n(i + 1)));
    expect(many).toHaveLength(MAX_NOTIFICATIONS);
    expect(many[0]!.seq).toBe(MAX_NOTIFICATIONS + 5);
  });

  it('sees a gap only when a seq was skipped', () => {
    expect(leavesGap(4, n(5))).toBe(false);
    expect(leavesGap(4, n(6))).toBe(true);
    expect(leavesGap(4, n(3))).toBe(false);
  });
});
