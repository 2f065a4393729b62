import type { EntityManager } from '@mikro-orm/postgresql';
import type { Permission, RoleName } from '@innboard/shared';

export interface Access {
  active: boolean;
  role: RoleName;
  permissions: ReadonlySet<string>;
}

/** The user's standing in one property: null when not a member (or no such user). */
export async function loadAccess(em: EntityManager, userId: string, propertyId: string): Promise<Access | null> {
  const rows = await em.execute<{ active: boolean; role: RoleName; permissions: string[] }[]>(
    `select u.active, r.name as role, r.permissions
       from membership m join app_user u on u.id = m.user_id join role r on r.name = m.role_name
      where m.user_id = ? and m.property_id = ?`,
    [userId, propertyId],
  );
  const row = rows[0];
  return row ? toAccess(row.active, row.role, row.permissions) : null;
}

export function toAccess(active: boolean, role: RoleName, permissions: string[]): Access {
  return { active, role, permissions: new Set(permissions) };
}

/**
 * The caller's standing as a subquery for a statement that authorizes itself (a fast command sent without the
 * preflight, pipeline/types.ts `FastPlanInput`): one row (role, permissions) only while the user is active and a
 * member of the property whose role has `permission`, read by the same statement that writes.
 */
export function callerSql(userId: string, propertyId: string, permission: Permission): { sql: string; params: unknown[] } {
  return {
    sql: `(select r.name as role, r.permissions from membership m join app_user u on u.id = m.user_id join role r on r.name = m.role_name
            where m.user_id = ? and m.property_id = ? and u.active and ?::text = any(r.permissions))`,
    params: [userId, propertyId, permission],
  };
}

export function can(access: Access | null, permission: Permission): boolean {
  return access !== null && access.active && access.permissions.has(permission);
}

export async function membershipPropertyIds(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await em.execute<{ property_id: string }[]>(
    'select m.property_id from membership m join app_user u on u.id = m.user_id where m.user_id = ? and u.active',
    [userId],
  );
  return rows.map((r) => r.property_id);
}
