import { randomUUID } from 'node:crypto';
import { notificationCreated, type NotificationKind, type NotificationRef } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';

/**
 * Tells one user about something that concerns them. Nobody is told about their own action
 * (a supervisor who assigns a task to themself needs no notice).
 */
export function notifyUser(ctx: CommandContext, userId: string, n: { kind: NotificationKind; title: string; body: string; ref: NotificationRef }): void {
  if (userId === ctx.actor.userId) return;
  ctx.emit(notificationCreated, { notificationId: randomUUID(), userId, recipientUserId: userId, ...n });
}
