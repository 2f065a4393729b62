import type { EntityManager } from '@mikro-orm/postgresql';
import { notificationConfigure, notificationRulesChanged, type NotificationRulesSnapshot, type PayloadOf } from '@innboard/shared';
import { byPropertyId, defineHandler, type CommandContext } from '../../pipeline/types.ts';
import { roleRules } from '../../notifications/store.ts';

/** Sets what a role hears in the property; the same list again changes nothing and emits nothing. */
async function configureRole(ctx: CommandContext, input: PayloadOf<typeof notificationConfigure>) {
  const kinds = [...new Set(input.kinds)].sort();
  const before = (await roleRules(ctx.em, ctx.propertyId))[input.role];
  if ([...before].sort().join() === kinds.join()) return { role: input.role, kinds };
  await ctx.em.execute(
    `insert into notification_rule (property_id, role_name, kinds) values (?, ?, ?) on conflict (property_id, role_name) do update set kinds = excluded.kinds`,
    [ctx.propertyId, input.role, `{${kinds.join(',')}}`],
  );
  ctx.recordChange({ type: 'notificationRule', id: `${ctx.propertyId}:${input.role}`, before: { kinds: before }, after: { kinds } });
  ctx.emit(notificationRulesChanged, { role: input.role, kinds });
  return { role: input.role, kinds };
}

export const notificationHandlers = [defineHandler(notificationConfigure, { scope: byPropertyId, handle: configureRole })];

export async function notificationRulesSnapshot(em: EntityManager, propertyId: string): Promise<NotificationRulesSnapshot> {
  return { notificationRules: await roleRules(em, propertyId) };
}
