import { ROLES, type NotificationKind, type NotificationRef, type RoleName } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';

// What other domains call to tell people something. The notice is stored per recipient in the
// command's transaction and pushed to their `user:<id>` room after commit. A recipient hears it only
// when their role in the property receives that kind (`notification.configure`), and nobody is told
// about their own action.

export interface Notice {
  kind: NotificationKind;
  title: string;
  body: string;
  ref: NotificationRef;
}

export function notifyUser(ctx: CommandContext, userId: string, n: Notice): void {
  ctx.notify({ userIds: [userId], ...n });
}

/** Every member of the command's property holding one of `roles`. */
export function notifyRoles(ctx: CommandContext, roles: RoleName[], n: Notice): void {
  ctx.notify({ roles, ...n });
}

/** Every member of the command's property whose role receives this kind: the property's rules alone decide. */
export function notifyProperty(ctx: CommandContext, n: Notice): void {
  ctx.notify({ roles: [...ROLES], ...n });
}
