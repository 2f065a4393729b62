import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@innboard/shared';
import type { PendingEvent } from '../pipeline/types.ts';

/**
 * Numbers and logs the events of one transaction. The counter row of each property stays locked
 * until commit, so seq order is commit order and there are no gaps (a rollback returns the numbers).
 * Call it last in the transaction to hold that lock as briefly as possible.
 */
export async function appendEvents(em: EntityManager, events: PendingEvent[], commandId: string, at: Date): Promise<EventEnvelope[]> {
  const byProperty = new Map<string, PendingEvent[]>();
  for (const e of events) byProperty.set(e.propertyId, [...(byProperty.get(e.propertyId) ?? []), e]);
  const out: EventEnvelope[] = [];
  // A fixed lock order across properties keeps multi-property commands from deadlocking.
  for (const propertyId of [...byProperty.keys()].sort()) {
    const list = byProperty.get(propertyId)!;
    const [row] = await em.execute<{ seq: string }[]>(
      `insert into property_seq (property_id, seq) values (?, ?)
       on conflict (property_id) do update set seq = property_seq.seq + excluded.seq returning seq`,
      [propertyId, list.length],
    );
    const last = Number(row!.seq);
    const first = last - list.length + 1;
    const iso = at.toISOString();
    list.forEach((e, i) => out.push({ seq: first + i, propertyId, type: e.type, payload: e.payload, at: iso }));
  }
  const values = out.map(() => '(?, ?, ?, ?::jsonb, ?, ?)').join(', ');
  await em.execute(
    `insert into event_log (property_id, seq, type, payload, command_id, at) values ${values}`,
    out.flatMap((e) => [e.propertyId, e.seq, e.type, JSON.stringify(e.payload), commandId, at]),
    'run',
  );
  return out;
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
