import { z } from 'zod';
import { defineEvent } from './define.ts';
import { id } from './common.ts';

// Notifications are events aimed at one user. Any domain may emit them; the board shows the ones
// whose recipientUserId is the signed-in user.

export const NOTIFICATION_KINDS = ['task_assigned', 'task_reopened', 'ticket_assigned', 'room_ready', 'refund_requested'] as const;
export const notificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof notificationKind>;

export const notificationRef = z.object({ type: z.enum(['task', 'ticket', 'room', 'refund']), id });
export type NotificationRef = z.infer<typeof notificationRef>;

export const notificationCreated = defineEvent('notification.created', {
  description:
    'Something concerns one user (a task or ticket assigned to them, a task reopened, a room ready for an arriving guest). ' +
    '`userId` and `recipientUserId` are the same user; `recipientUserId` is the routing key a gateway may use to deliver it to `user:<id>` only.',
  payload: z.object({
    notificationId: id,
    userId: id,
    recipientUserId: id,
    kind: notificationKind,
    title: z.string(),
    body: z.string(),
    ref: notificationRef,
  }),
});

export const notificationEvents = [notificationCreated] as const;
