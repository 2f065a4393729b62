import type { EntityManager } from '@mikro-orm/postgresql';
import type { RoleName } from '@innboard/shared';
import type { Logger } from '../logger.ts';
import type { RedisHub } from '../redis/connection.ts';
import { loadAccess, type Access } from './authorize.ts';

export interface AccessCache {
  /** The user's standing in a property (null: not a member), as fresh as the last invalidation. */
  load(em: EntityManager, userId: string, propertyId: string): Promise<Access | null>;
  /** After a committed change to the user's memberships, role or active flag. */
  invalidateUser(userId: string): Promise<void>;
  /** After role definitions changed: every cached permission set is stale. */
  invalidateAll(): Promise<void>;
}

/** Without Redis there is nothing to keep coherent across nodes: always ask Postgres. */
export const uncachedAccess: AccessCache = {
  load: loadAccess,
  invalidateUser: async () => {},
  invalidateAll: async () => {},
};

const ENTRY_TTL_SECONDS = 120;

interface Entry {
  gen: string;
  access: { active: boolean; role: RoleName; permissions: string[] } | null;
}

/**
 * Permission sets cached in Redis, shared by every node. Invalidation bumps a generation counter
 * instead of deleting entries: an entry is tagged with the generations read BEFORE the database
 * read that produced it, so a reader racing a change can only write an entry that is already
 * stale, never resurrect old permissions. One MGET per command on a hit.
 *
 * While Redis is unreachable every node reads Postgres (always correct). A bump that failed during
 * an outage would leave stale entries behind, so every node bumps the global generation when its
 * connection comes back; ENTRY_TTL_SECONDS bounds the rest (a writer that died during the outage).
 */
export function createAccessCache(redis: RedisHub, logger: Logger): AccessCache {
  const globalGen = redis.key('access', 'gen');
  const userGen = (userId: string) => redis.key('access', 'gen', userId);
  const entryKey = (userId: string, propertyId: string) => redis.key('access', userId, propertyId);

  const invalidateAll = async () => {
    try {
      await redis.command.incr(globalGen);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'permission cache flush deferred until redis returns');
    }
  };
  redis.onRecovered(() => void invalidateAll());

  return {
    async load(em, userId, propertyId) {
      const key = entryKey(userId, propertyId);
      let gen: string;
      try {
        const [g, u, raw] = await redis.command.mget(globalGen, userGen(userId), key);
        gen = `${g ?? 0}.${u ?? 0}`;
        if (raw) {
          const entry = JSON.parse(raw) as Entry;
          if (entry.gen === gen) return entry.access && { ...entry.access, permissions: new Set(entry.access.permissions) };
        }
      } catch {
        return loadAccess(em, userId, propertyId);
      }
      const access = await loadAccess(em, userId, propertyId);
      const entry: Entry = { gen, access: access && { active: access.active, role: access.role, permissions: [...access.permissions] } };
      // Not awaited: the answer does not depend on the cache write succeeding.
      redis.command.set(key, JSON.stringify(entry), 'EX', ENTRY_TTL_SECONDS).catch(() => {});
      return access;
    },
    async invalidateUser(userId) {
      try {
        await redis.command.incr(userGen(userId));
      } catch (err) {
        // The recovery hook flushes everything once Redis is back; until then nodes read Postgres.
        logger.warn({ err: (err as Error).message, userId }, 'permission cache invalidation deferred until redis returns');
      }
    },
    invalidateAll,
  };
}
