import { IsolationLevel } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { PropertySnapshotBase, SyncResult } from '@innboard/shared';
import { snapshotParts } from '../registry.ts';
import { currentSeq, eventsSince } from './event-log.ts';

/** Beyond this many missed events a snapshot is cheaper for both sides than a replay. */
export const MAX_CATCH_UP_EVENTS = 1000;

/**
 * Catch-up for one property. Reads in one repeatable-read transaction so the snapshot and the seq
 * it reports describe the same moment.
 */
export async function syncProperty(orm: MikroORM, propertyId: string, since: number | undefined): Promise<SyncResult> {
  return orm.em.fork().transactional(
    async (em) => {
      const seq = await currentSeq(em, propertyId);
      if (since !== undefined && since <= seq && seq - since <= MAX_CATCH_UP_EVENTS) {
        return { ok: true as const, seq, events: await eventsSince(em, propertyId, since, MAX_CATCH_UP_EVENTS) };
      }
      let snapshot = {} as PropertySnapshotBase;
      for (const part of snapshotParts) snapshot = { ...snapshot, ...(await part(em, propertyId)) };
      return { ok: true as const, seq, snapshot };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
