import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@innboard/shared';
import type { PendingEvent } from '../pipeline/types.ts';
import { jsonSql } from '../pipeline/returned.ts';

/**
 * Numbers and logs the events of one transaction, as two CTEs (`seqs`, `events`) that
 * pipeline/commit-records.ts sends in one statement with the command's audit row and ack. The counter
 * row of each property stays locked until commit, so seq order is commit order and there are no gaps
 * (a rollback returns the numbers). Counters are upserted in sorted property order: multi-property
 * commands take their locks in a fixed order and cannot deadlock each other. With `guard` (an SQL
 * condition), no counter moves and no event is logged unless it holds (a fast command's domain write applied);
 * payloads may then hold values that write returns (pipeline/returned.ts), and `number` leaves them in place.
 */
export function eventLogCtes(events: PendingEvent[], commandId: string, at: Date, guard?: string) {
  const byProperty = new Map<string, PendingEvent[]>();
  for (const e of events) byProperty.set(e.propertyId, [...(byProperty.get(e.propertyId) ?? []), e]);
  const properties = [...byProperty.keys()].sort();
  // i: 1-based position within its property's events, n: that property's event count.
  const rows = properties.flatMap((p) => byProperty.get(p)!.map((e, i, list) => ({ e, i: i + 1, n: list.length, payload: jsonSql(e.payload) })));
  const sql = `seqs as (
       insert into property_seq (property_id, seq) ${guard ? 'select * from (' : ''}values ${properties.map(() => '(?::uuid, ?::bigint)').join(', ')}${guard ? `) as c where ${guard}` : ''}
       on conflict (property_id) do update set seq = property_seq.seq + excluded.seq returning property_id, seq
     ), events as (
       insert into event_log (property_id, seq, type, payload, command_id, at)
       select s.property_id, s.seq - v.n + v.i, v.type, v.payload, ?::uuid, ?::timestamptz
         from (values ${rows.map((r) => `(?::uuid, ?::int, ?::int, ?::text, ${r.payload.sql})`).join(', ')}) as v (property_id, i, n, type, payload)
         join seqs s on s.property_id = v.property_id
     )`;
  const params: unknown[] = [
    ...properties.flatMap((p) => [p, byProperty.get(p)!.length]),
    commandId, at,
    ...rows.flatMap((r) => [r.e.propertyId, r.i, r.n, r.e.type, ...r.payload.params]),
  ];
  const iso = at.toISOString();
  return {
    sql,
    params,
    /** The envelopes, numbered from the rows `seqs` returned (each property's last seq). */
    number(seqRows: Array<{ property_id: string; seq: string | number }>): EventEnvelope[] {
      const last = new Map(seqRows.map((r) => [r.property_id, Number(r.seq)]));
      return rows.map((r) => ({ seq: last.get(r.e.propertyId)! - r.n + r.i, propertyId: r.e.propertyId, type: r.e.type, payload: r.e.payload, at: iso }));
    },
  };
}

export async function currentSeq(em: EntityManager, propertyId: string): Promise<number> {
  const rows = await em.execute<{ seq: string }[]>('select seq from property_seq where property_id = ?', [propertyId]);
  return rows[0] ? Number(rows[0].seq) : 0;
}

export async function eventsSince(em: EntityManager, propertyId: string, since: number, limit: number): Promise<EventEnvelope[]> {
  const rows = await em.execute<{ seq: string; type: string; payload: unknown; at: Date }[]>(
    'select seq, type, payload, at from event_log where property_id = ? and seq > ? order by seq limit ?',
    [propertyId, since, limit],
  );
  return rows.map((r) => ({ seq: Number(r.seq), propertyId, type: r.type, payload: r.payload, at: new Date(r.at).toISOString() }));
}
