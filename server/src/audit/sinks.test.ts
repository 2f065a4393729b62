// The audit sink contract, run against every sink. Postgres always runs (the test database);
// MongoDB runs when MONGO_URL points at a reachable server and is skipped LOUDLY otherwise.
import { inject } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openOrm } from '../db/orm.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { createPostgresAuditSink } from './postgres-sink.ts';
import { createMongoAuditSink } from './mongo-sink.ts';
import { auditSinkContract } from './sink.contract.ts';

auditSinkContract('postgres (audit_log)', {
  async open() {
    const orm: MikroORM = await openOrm(await createTestDatabase(inject('pgAdminUrl')), { pool: { min: 0, max: 4 } });
    const sink = createPostgresAuditSink(orm);
    return { ...sink, close: async () => orm.close(true) };
  },
});

const mongoUrl = process.env.MONGO_URL;
async function mongoSkipReason(): Promise<string | false> {
  if (!mongoUrl) return 'MONGO_URL is not set';
  const probe = createMongoAuditSink(mongoUrl, { serverSelectionTimeoutMS: 3000 });
  try {
    await probe.ping();
    return false;
  } catch (err) {
    return `MONGO_URL (${mongoUrl.replace(/\/\/[^@/]*@/, '//***@')}) is not reachable: ${(err as Error).message}`;
  } finally {
    await probe.close();
  }
}
const skipMongo = await mongoSkipReason();
if (skipMongo) {
  console.warn(
    `\n!!! SKIPPING the MongoDB audit sink contract: ${skipMongo}.\n` +
      '!!! No MongoDB server can be installed on these machines; the Mongo sink is type-checked but NOT exercised here.\n' +
      '!!! Run `MONGO_URL=mongodb://host:27017/innboard_audit_test npx vitest run server/src/audit/sinks.test.ts` where a MongoDB is reachable.\n',
  );
}
auditSinkContract('mongodb (audit_logs, booking_logs)', { open: async () => createMongoAuditSink(mongoUrl!) }, skipMongo);
