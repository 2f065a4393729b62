import { defineEntity, p } from '@mikro-orm/core';
import { MikroORM as MongoMikroORM, MongoDriver, type MongoConnection } from '@mikro-orm/mongodb';
import { commandTypeMatch, isBookingRecord, type AuditQuery, type AuditRecord, type AuditSink } from './sink.ts';

/** The documents both collections hold; `_id` is the outbox id, which makes re-shipping an upsert no-op. */
const auditDocumentProperties = {
  _id: p.string().primary(),
  at: p.datetime(),
  actorId: p.string().nullable(),
  actorRole: p.string().nullable(),
  propertyId: p.string().nullable(),
  commandType: p.string(),
  commandId: p.string().nullable(),
  entities: p.json(),
  changes: p.json(),
  outcome: p.string(),
  errorCode: p.string().nullable(),
};
/** Every audit event: what audit.search reads. */
export const AuditLogDocument = defineEntity({ name: 'AuditLogDocument', collection: 'audit_logs', properties: auditDocumentProperties });
/** reservation.* events again, as the booking history (the seed design's second collection). */
export const BookingLogDocument = defineEntity({ name: 'BookingLogDocument', collection: 'booking_logs', properties: auditDocumentProperties });

type AuditDocument = Omit<AuditRecord, 'id'> & { _id: string };
/** The native driver's collection, reached through MikroORM's connection (no direct mongodb import). */
const collectionOf = (connection: MongoConnection, name: 'audit_logs' | 'booking_logs') => connection.getCollection<AuditDocument>(name);
type AuditCollection = ReturnType<typeof collectionOf>;
type MongoFilter = Record<string, unknown>;

const toDocument = ({ id, ...rest }: AuditRecord): AuditDocument => ({ _id: id, ...rest });
const toRecord = ({ _id, ...rest }: AuditDocument): AuditRecord => ({ id: _id, ...rest, at: new Date(rest.at) });

const DUPLICATE_KEY = 11000;

/** Upserts that lost a race to an identical insert (two relays during a failover) are not failures. */
async function upsertAll(collection: AuditCollection, docs: AuditDocument[]): Promise<void> {
  if (docs.length === 0) return;
  const ops = docs.map((doc) => ({
    updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: doc }, upsert: true },
  }));
  try {
    await collection.bulkWrite(ops, { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: Array<{ code: number }> }).writeErrors;
    if (!writeErrors?.length || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
  }
}

/**
 * MongoDB sink through @mikro-orm/mongodb. The ORM is created without connecting: the mongodb
 * driver connects on first use, so a node starts (and the outbox fills) while Mongo is down.
 * Writes use the native collection for an ordered-free bulk upsert that MikroORM's unit of work
 * does not express.
 */
export function createMongoAuditSink(url: string, opts: { serverSelectionTimeoutMS?: number } = {}): AuditSink {
  const orm = new MongoMikroORM({
    driver: MongoDriver,
    clientUrl: url,
    entities: [AuditLogDocument, BookingLogDocument],
    driverOptions: { serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5000 },
    allowGlobalContext: true,
  });
  const connection = orm.em.getConnection();
  const auditLogs = () => collectionOf(connection, 'audit_logs');
  const bookingLogs = () => collectionOf(connection, 'booking_logs');
  let indexed = false;

  // A MongoClient whose first connection attempt failed stays closed for good (every later call
  // throws MongoTopologyClosedError), so after a connectivity error we start a fresh client and
  // let the relay's backoff decide when to try again.
  const CONNECTIVITY = /MongoServerSelectionError|MongoTopologyClosedError|MongoNetworkError|MongoNotConnectedError|MongoNetworkTimeoutError/;
  async function guarded<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (CONNECTIVITY.test((err as Error).name)) {
        indexed = false;
        await connection.close(true).catch(() => {});
        await connection.connect({ skipOnConnect: true });
      }
      throw err;
    }
  }

  async function ensureIndexes() {
    if (indexed) return;
    await auditLogs().createIndexes([
      { key: { propertyId: 1, at: -1, _id: -1 } },
      { key: { propertyId: 1, 'entities.type': 1, 'entities.id': 1, at: -1 } },
      { key: { actorId: 1, at: -1 } },
    ]);
    await bookingLogs().createIndexes([{ key: { 'entities.id': 1, at: -1 } }, { key: { propertyId: 1, at: -1 } }]);
    indexed = true;
  }

  return {
    kind: 'mongo',
    write: (records) => guarded(async () => {
      await ensureIndexes();
      const docs = records.map(toDocument);
      await upsertAll(auditLogs(), docs);
      await upsertAll(bookingLogs(), docs.filter(isBookingRecord));
    }),
    search: (q: AuditQuery) => guarded(async () => {
      const filter: MongoFilter = { propertyId: q.propertyId };
      const and: MongoFilter[] = [];
      if (q.from || q.to) filter.at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
      if (q.actorId) filter.actorId = q.actorId;
      if (q.outcome) filter.outcome = q.outcome;
      if (q.entityType || q.entityId) {
        filter.entities = { $elemMatch: { ...(q.entityType ? { type: q.entityType } : {}), ...(q.entityId ? { id: q.entityId } : {}) } };
      }
      if (q.commandType) {
        const m = commandTypeMatch(q.commandType);
        filter.commandType = 'exact' in m ? m.exact : { $regex: `^${m.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` };
      }
      if (q.before) and.push({ $or: [{ at: { $lt: q.before.at } }, { at: q.before.at, _id: { $lt: q.before.id } }] });
      const docs = await auditLogs()
        .find(and.length ? { ...filter, $and: and } : filter)
        .sort({ at: -1, _id: -1 })
        .limit(q.limit)
        .toArray();
      return docs.map((d) => toRecord(d as unknown as AuditDocument));
    }),
    ping: () => guarded(async () => {
      await connection.getDb().command({ ping: 1 });
    }),
    async close() {
      await orm.close(true);
    },
  };
}
