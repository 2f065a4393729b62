import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { id } from './common.ts';
import { ROLES, type RoleName } from './permissions.ts';

// Notifications are per user, not part of the numbered property stream: each is delivered to the
// recipient's `user:<id>` room on every node (socket message `notification`), kept with its own
// per-user seq, caught up with `notifications.sync` and marked read with `notifications.read`.
// What raises one is configured per role and property (`notification.configure`).

export const NOTIFICATION_KINDS = ['task_assigned', 'task_reopened', 'ticket_assigned', 'room_ready', 'arrival_assigned', 'refund_to_approve', 'review_posted'] as const;
export const notificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof notificationKind>;

export const notificationRef = z.object({ type: z.enum(['task', 'ticket', 'room', 'reservation', 'review', 'refund']), id });
export type NotificationRef = z.infer<typeof notificationRef>;

export const notificationView = z.object({
  notificationId: id,
  /** Per recipient, +1 per notification in commit order: the catch-up cursor. */
  seq: z.number().int().min(1),
  propertyId: id,
  kind: notificationKind,
  title: z.string(),
  body: z.string(),
  ref: notificationRef,
  at: z.iso.datetime(),
  read: z.boolean(),
});
export type NotificationView = z.infer<typeof notificationView>;

/** `notifications.sync`: everything after `since` (the newest page when omitted or too old). */
export const notificationsSyncRequest = z.object({ since: z.number().int().min(0).optional() });
export type NotificationsSyncResult =
  | { ok: true; seq: number; unread: number; notifications: NotificationView[] }
  | { ok: false; error: { code: string; message: string } };
/** `notifications.read`: marks the caller's notifications up to `upTo` (or the listed ones) read. */
export const notificationsReadRequest = z.union([z.object({ upTo: z.number().int().min(0) }), z.object({ notificationIds: z.array(id).min(1).max(200) })]);
export type NotificationsReadResult = { ok: true; unread: number } | { ok: false; error: { code: string; message: string } };
export const NOTIFICATION_SOCKET_EVENTS = { push: 'notification', sync: 'notifications.sync', read: 'notifications.read' } as const;
/** The newest notifications a catch-up without a usable cursor returns. */
export const NOTIFICATION_PAGE = 50;

/** Who hears what when a property has not configured it. */
export const DEFAULT_ROLE_NOTIFICATIONS: Record<RoleName, NotificationKind[]> = {
  front_desk: ['arrival_assigned', 'room_ready', 'ticket_assigned'],
  housekeeper: ['task_assigned', 'task_reopened', 'ticket_assigned'],
  housekeeping_supervisor: ['task_assigned', 'task_reopened', 'ticket_assigned', 'room_ready'],
  pos_cashier: [],
  manager: ['refund_to_approve', 'review_posted', 'ticket_assigned', 'room_ready', 'task_assigned', 'task_reopened', 'arrival_assigned'],
  admin: [...NOTIFICATION_KINDS],
};

export const notificationConfigure = defineCommand('notification.configure', {
  permission: 'notification.configure',
  description: 'Choose which kinds of notification a role receives in this property.',
  payload: z.object({ propertyId: id, role: z.enum(ROLES), kinds: z.array(notificationKind).max(NOTIFICATION_KINDS.length) }),
});

export const notificationRulesChanged = defineEvent('notification.rulesChanged', {
  description: 'A role now receives these kinds of notification in this property.',
  payload: z.object({ role: z.enum(ROLES), kinds: z.array(notificationKind) }),
});

/** Snapshot part: the kinds each role receives (defaults filled in). */
export type NotificationRulesSnapshot = { notificationRules: Record<RoleName, NotificationKind[]> };

export const notificationCommands = [notificationConfigure] as const;
export const notificationEvents = [notificationRulesChanged] as const;
