import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ack, EventEnvelope } from '@innboard/shared';
import { auditInsert, type AuditEntry } from '../audit/outbox.ts';
import { eventLogCtes } from '../events/event-log.ts';
import type { PendingEvent } from './types.ts';

export interface CommitRecords {
  commandId: string;
  userId: string;
  type: string;
  at: Date;
  result: unknown;
  events: PendingEvent[];
  audit: AuditEntry;
}

/**
 * Everything a successful command leaves beside its domain change, in ONE statement (it was four):
 * the events numbered from the per-property counters and logged, the audit outbox row, and the
 * idempotency record whose ack carries the last seq. Runs last in the unit of work, so the counter rows
 * stay locked only for this statement and the commit. A duplicate command id fails here on
 * command_result's primary key and the whole transaction rolls back, as before.
 */
export async function writeCommitRecords(em: EntityManager, c: CommitRecords): Promise<{ ack: Ack; events: EventEnvelope[] }> {
  const audit = auditInsert(c.audit);
  if (c.events.length === 0) {
    const ack: Ack = { ok: true, result: c.result };
    await em.execute(
      `with audit as (${audit.sql})
       insert into command_result (id, user_id, type, ack, created_at) values (?, ?, ?, ?::jsonb, ?)`,
      [...audit.params, c.commandId, c.userId, c.type, JSON.stringify(ack), c.at],
      'run',
    );
    return { ack, events: [] };
  }
  const log = eventLogCtes(c.events, c.commandId, c.at);
  const rows = await em.execute<{ property_id: string; seq: string }[]>(
    `with ${log.sql},
     audit as (${audit.sql}),
     ack as (
       insert into command_result (id, user_id, type, ack, created_at)
       select ?::uuid, ?::uuid, ?::varchar, jsonb_set(?::jsonb, '{seq}', to_jsonb((select seq from seqs order by property_id desc limit 1))), ?::timestamptz
     )
     select property_id, seq from seqs`,
    [...log.params, ...audit.params, c.commandId, c.userId, c.type, JSON.stringify({ ok: true, result: c.result }), c.at],
  );
  const events = log.number(rows);
  return { ack: { ok: true, result: c.result, seq: events[events.length - 1]!.seq }, events };
}
