import { IsolationLevel } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { PropertySnapshotBase, SyncResult } from '@innboard/shared';
import { snapshotParts } from '../registry.ts';
import { currentSeq, eventsSince } from './event-log.ts';

/** Beyond this many missed events a snapshot is cheaper for both sides than a replay. */
export const MAX_CATCH_UP_EVENTS = 1000;

/**
 * Catch-up for one property. Reads in one repeatable-read transaction so the snapshot and the seq
 * it reports describe the same moment. The transaction is begun and rolled back by hand rather than
 * through `em.transactional`: that one flushes before committing, which computes change sets over
 * every entity the snapshot loaded (a large share of a sync's CPU) to find nothing to write.
 * A read-only transaction has nothing to undo, so ending it with a rollback is the same as a commit.
 * Parts return plain views, so each part's entities are dropped once it is done: a flush a part makes
 * on purpose (occupancy reads pending changes) then only walks that part's own entities.
 */
export async function syncProperty(orm: MikroORM, propertyId: string, since: number | undefined): Promise<SyncResult> {
  const em = orm.em.fork();
  await em.begin({ isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
  try {
    const seq = await currentSeq(em, propertyId);
    if (since !== undefined && since <= seq && seq - since <= MAX_CATCH_UP_EVENTS) {
      return { ok: true as const, seq, events: await eventsSince(em, propertyId, since, MAX_CATCH_UP_EVENTS) };
    }
    let snapshot = {} as PropertySnapshotBase;
    for (const part of snapshotParts) {
      snapshot = { ...snapshot, ...(await part(em, propertyId)) };
      em.clear();
    }
    return { ok: true as const, seq, snapshot };
  } finally {
    await em.rollback();
  }
}
