import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ack, RoleName } from '@innboard/shared';
import { toAccess, type Access } from '../identity/authorize.ts';
import type { ScopeQuery } from './types.ts';

export interface Preflight {
  /** The first answer to this command id, when it was already handled. */
  stored: { userId: string; ack: Ack } | null;
  /** The property the command acts on; null when its target does not exist. */
  propertyId: string | null;
  /** The caller's standing in that property; null when not a member. */
  access: Access | null;
}

/**
 * Idempotency lookup, scope and the caller's access in one round trip instead of three: they are
 * independent reads, and round trips are what a command spends most of its time on (docs/benchmarks.md).
 * Access is still read for every command, so a deactivated user or a changed role takes effect at the
 * caller's next command, on every node.
 */
export async function loadPreflight(em: EntityManager, commandId: string, userId: string, scope: ScopeQuery): Promise<Preflight> {
  const rows = await em.execute<{
    stored_user_id: string | null; stored_ack: Ack | null; property_id: string | null;
    active: boolean | null; role: RoleName | null; permissions: string[] | null;
  }[]>(
    `select cr.user_id as stored_user_id, cr.ack as stored_ack, s.property_id, u.active, r.name as role, r.permissions
       from (select 1) as one
       left join command_result cr on cr.id = ?
       left join (${scope.sql} limit 1) as s (property_id) on true
       left join membership m on m.property_id = s.property_id and m.user_id = ?
       left join app_user u on u.id = m.user_id
       left join role r on r.name = m.role_name`,
    [commandId, ...scope.params, userId],
  );
  const row = rows[0]!;
  return {
    stored: row.stored_user_id !== null && row.stored_ack !== null ? { userId: row.stored_user_id, ack: row.stored_ack } : null,
    propertyId: row.property_id,
    access: row.active !== null && row.role !== null && row.permissions !== null ? toAccess(row.active, row.role, row.permissions) : null,
  };
}
