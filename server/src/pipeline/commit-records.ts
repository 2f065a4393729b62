import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ack, EventEnvelope } from '@innboard/shared';
import { auditInsert, type AuditEntry } from '../audit/outbox.ts';
import { eventLogCtes } from '../events/event-log.ts';
import { noticeCtes, toView, type DeliveredNotification } from '../notifications/store.ts';
import type { FastWrite, PendingEvent } from './types.ts';
import { fillReturned, jsonSql, WRITE_CTE } from './returned.ts';
import { executePrepared } from '../db/prepared.ts';

export interface CommitRecords {
  commandId: string;
  userId: string;
  type: string;
  at: Date;
  result: unknown;
  events: PendingEvent[];
  audit: AuditEntry;
}

/** Every record of a fast command is written only if its domain write (CTE `dom`) returned a row. */
const APPLIED = `exists (select 1 from ${WRITE_CTE})`;

/** A row of the records statement's final select (one shape or the other). */
interface RecordsRow {
  applied?: number;
  property_id?: string;
  seq?: string;
  /** The domain write's row (fast commands), for the values the records took from it. */
  returned?: Record<string, unknown> | null;
  /** The notification rows the statement stored (a fast command's `notice`). */
  notices?: Array<Parameters<typeof toView>[0]>;
}

export interface RecordsWritten {
  ack: Ack;
  events: EventEnvelope[];
  /** The notices a fast command's statement stored, for the recipients' `user:<id>` rooms after commit. */
  notifications?: DeliveredNotification[];
}

/**
 * The records as one statement's CTEs and final select: the events numbered from the per-property counters
 * and logged, the audit outbox row, and the idempotency record whose ack carries the last seq. With
 * `domain`, that data-modifying statement runs first as CTE `dom` and every record is conditioned on it
 * returning a row (at most one); the final select then also says whether it did (`applied`) and returns that
 * row, whose columns fill the `returned(...)` values of the events and the result (pipeline/returned.ts), and
 * the rows of the domain write's notice (notifications/store.ts `noticeCtes`), if it has one.
 */
function recordsStatement(c: CommitRecords, domain?: Pick<FastWrite, 'sql' | 'params' | 'notice'>) {
  const notice = domain?.notice ? noticeCtes(domain.notice, { propertyId: c.audit.propertyId!, actorId: c.userId, at: c.at }) : null;
  // The notices' counter rows are locked before the property's seq counter, as in a unit of work
  // (writeNotifications, then the records): referencing `notices` in the guard runs that insert first.
  const guard = domain ? `${APPLIED}${notice ? ' and (select count(*) from notices) is not null' : ''}` : undefined;
  const audit = auditInsert(c.audit, guard);
  const head = domain ? `${WRITE_CTE} as (${domain.sql}), ${notice ? `${notice.sql}, ` : ''}` : '';
  const headParams = domain ? [...domain.params, ...(notice?.params ?? [])] : [];
  const applied = domain ? `(select count(*) from ${WRITE_CTE})::int` : '1';
  const returnedRow = `${domain ? `, (select to_jsonb(w) from ${WRITE_CTE} w) as returned` : ''}${notice ? ', (select jsonb_agg(n) from notices n) as notices' : ''}`;
  const ack = jsonSql({ ok: true, result: c.result });
  const fill = <T>(value: T, row: RecordsRow | undefined) => (row?.returned ? fillReturned(value, row.returned) : value);
  const delivered = (row: RecordsRow | undefined) => (notice ? { notifications: (row?.notices ?? []).map(toView) } : {});
  if (c.events.length === 0) {
    return {
      sql: `with ${head}audit as (${audit.sql}),
       ack as (insert into command_result (id, user_id, type, ack, created_at) select ?::uuid, ?::uuid, ?::varchar, ${ack.sql}, ?::timestamptz${guard ? ` where ${guard}` : ''})
       select ${applied} as applied${returnedRow}`,
      params: [...headParams, ...audit.params, c.commandId, c.userId, c.type, ...ack.params, c.at],
      read: (rows: RecordsRow[]): RecordsWritten | null => (rows[0]!.applied! > 0
        ? { ack: { ok: true, result: fill(c.result, rows[0]) } as Ack, events: [], ...delivered(rows[0]) }
        : null),
    };
  }
  const log = eventLogCtes(c.events, c.commandId, c.at, guard);
  return {
    sql: `with ${head}${log.sql},
     audit as (${audit.sql}),
     ack as (
       insert into command_result (id, user_id, type, ack, created_at)
       select ?::uuid, ?::uuid, ?::varchar, jsonb_set(${ack.sql}, '{seq}', to_jsonb((select seq from seqs order by property_id desc limit 1))), ?::timestamptz
         where exists (select 1 from seqs)
     )
     select property_id, seq${returnedRow} from seqs`,
    params: [...headParams, ...log.params, ...audit.params, c.commandId, c.userId, c.type, ...ack.params, c.at],
    read: (rows: RecordsRow[]): RecordsWritten | null => {
      // Every counter returns its row when the records were written; none when the domain write did not apply.
      if (rows.length === 0) return null;
      const events = log.number(rows as Array<{ property_id: string; seq: string }>).map((e) => ({ ...e, payload: fill(e.payload, rows[0]) }));
      return { ack: { ok: true, result: fill(c.result, rows[0]), seq: events[events.length - 1]!.seq } as Ack, events, ...delivered(rows[0]) };
    },
  };
}

/**
 * Everything a successful command leaves beside its domain change, in ONE statement (it was four). Runs
 * last in the unit of work, so the counter rows stay locked only for this statement and the commit. A
 * duplicate command id fails here on command_result's primary key and the whole transaction rolls back.
 */
export async function writeCommitRecords(em: EntityManager, c: CommitRecords): Promise<RecordsWritten> {
  const statement = recordsStatement(c);
  return statement.read(await em.execute<RecordsRow[]>(statement.sql, statement.params))!;
}

/**
 * A fast command's domain write and its records as ONE statement, outside any transaction (a single
 * statement is atomic): the counter rows are locked only while Postgres runs it and commits, with no
 * client round trip in between. Null when the domain write applied to no row: then nothing was written.
 * A duplicate command id fails on command_result's primary key, and nothing is written either.
 */
export async function writeFastCommand(em: EntityManager, domain: Pick<FastWrite, 'sql' | 'params' | 'notice'>, c: CommitRecords): Promise<RecordsWritten | null> {
  const statement = recordsStatement(c, domain);
  return statement.read(await executePrepared<RecordsRow>(em, statement.sql, statement.params));
}
