import type { MikroORM } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { executePrepared } from '../db/prepared.ts';
import { auditRowToRecord, commandTypeMatch, type AuditQuery, type AuditRecord, type AuditRow, type AuditSink } from './sink.ts';

/** AuditRecord's fields by their JSON names (`at` as an ISO string) into audit_log's columns. */
const INSERT_BATCH = `insert into audit_log (id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code, shipped_at)
  select r.id, r.at, r."actorId", r."actorRole", r."propertyId", r."commandType", r."commandId", r.entities, r.changes, r.outcome, r."errorCode", now()
    from jsonb_to_recordset(?::jsonb) as r(id uuid, at timestamptz, "actorId" uuid, "actorRole" varchar, "propertyId" uuid, "commandType" varchar,
      "commandId" uuid, entities jsonb, changes jsonb, outcome varchar, "errorCode" varchar)
  on conflict (id) do nothing`;

/**
 * The relay's batch copied inside the database (audit_outbox to audit_log, marked shipped), in one statement on the
 * relay's own session: the rows never come through Node. Through `write`, the server process read, parsed and
 * re-serialised every row once more; at ~780 commands/s that put its longest GC at ~11 ms and its loop delay max at
 * 10-75 ms, against ~4 and 5-10 ms this way (docs/benchmarks.md, ninth session). Returns the rows shipped.
 */
export async function copyOutboxBatch(client: Pick<ClientBase, 'query'>, batchSize: number): Promise<number> {
  const { rows } = await client.query<{ shipped: number }>(COPY_BATCH, [batchSize]);
  return rows[0]?.shipped ?? 0;
}

const COPY_BATCH = `with batch as (
    select id from audit_outbox where shipped_at is null order by at, id limit $1
  ), copied as (
    insert into audit_log (id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code, shipped_at)
    select o.id, o.at, o.actor_id, o.actor_role, o.property_id, o.command_type, o.command_id, o.entities, o.changes, o.outcome, o.error_code, now()
      from audit_outbox o join batch using (id)
    on conflict (id) do nothing
  ), marked as (
    update audit_outbox o set shipped_at = now(), attempts = o.attempts + 1 from batch where o.id = batch.id returning 1
  )
  select count(*)::int as shipped from marked`;

/** The default sink: table audit_log in the application's own Postgres. */
export function createPostgresAuditSink(orm: MikroORM): AuditSink {
  return {
    kind: 'postgres',
    async write(records) {
      if (records.length === 0) return;
      // The batch as ONE json parameter of a statement prepared once: the relay ships up to AUDIT_BATCH_SIZE rows
      // a tick, and MikroORM inlined their ~5,500 values into the text. Timed on this project's VM, that write took
      // 6-37 ms of CPU per 500 rows, this one 3-5 ms (JSON.stringify ~2 ms of it). on conflict do nothing: a row
      // shipped twice (relay crashed before marking it) is stored once.
      await executePrepared(orm.em.fork(), INSERT_BATCH, [JSON.stringify(records)]);
    },
    async search(q: AuditQuery) {
      const where: string[] = ['property_id = ?'];
      const params: unknown[] = [q.propertyId];
      const add = (sql: string, ...values: unknown[]) => {
        where.push(sql);
        params.push(...values);
      };
      if (q.from) add('at >= ?', q.from);
      if (q.to) add('at < ?', q.to);
      if (q.actorId) add('actor_id = ?', q.actorId);
      if (q.outcome) add('outcome = ?', q.outcome);
      if (q.entityType || q.entityId) {
        add('entities @> ?::jsonb', JSON.stringify([{ ...(q.entityType ? { type: q.entityType } : {}), ...(q.entityId ? { id: q.entityId } : {}) }]));
      }
      if (q.commandType) {
        const m = commandTypeMatch(q.commandType);
        if ('exact' in m) add('command_type = ?', m.exact);
        else add(`command_type like ? escape '\\'`, `${m.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      }
      if (q.before) add('(at, id) < (?, ?)', q.before.at, q.before.id);
      const rows = await orm.em.fork().execute<AuditRow[]>(
        `select id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code
           from audit_log where ${where.join(' and ')} order by at desc, id desc limit ?`,
        [...params, q.limit],
      );
      return rows.map(auditRowToRecord);
    },
    async ping() {
      await orm.em.fork().execute('select 1 from audit_log limit 0');
    },
    async close() {},
  };
}
