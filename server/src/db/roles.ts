import type { EntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_ROLE_PERMISSIONS } from '@innboard/shared';

/**
 * Makes sure every built-in role exists and holds at least its default permissions, so a new
 * domain's permissions reach databases seeded before it existed. Extra grants an admin added stay.
 */
export async function syncDefaultRoles(em: EntityManager): Promise<void> {
  for (const [name, permissions] of Object.entries(DEFAULT_ROLE_PERMISSIONS)) {
    await em.execute(
      `insert into role (name, permissions, version) values (?, ?::text[], 1)
       on conflict (name) do update set permissions = array(select distinct unnest(role.permissions || excluded.permissions) order by 1),
         version = role.version + 1
       where not (role.permissions @> excluded.permissions)`,
      [name, `{${permissions.join(',')}}`],
      'run',
    );
  }
}
