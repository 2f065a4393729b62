import type { EventEnvelope } from '@innboard/shared';

/**
 * Broadcasts each property's events in seq order although this node's writes complete out of order: two
 * writes commit in seq order in Postgres (the per-property counter row orders them), but their replies
 * reach Node on different connections and may be handled in either order. A write learns its seq only
 * from its reply, after commit (a single-statement command runs in autocommit), so nothing can be
 * claimed beforehand. Instead every write that may take numbers takes a ticket first:
 *
 * - `issue(properties)` before the write that numbers events is sent (the single statement of a fast
 *   command, or the records statement of a unit of work, whose ticket lasts through COMMIT);
 * - `settle(ticket, events)` once it is over: its committed events, or none after a rollback or failure.
 *   Settling notes the batch's horizon: the highest ticket of the property issued so far.
 *
 * A settled batch of seq s is safe to publish once no ticket of its property up to its horizon is still
 * outstanding. Why: a write W that committed a lower seq s' < s committed before this batch's write took
 * the counter row, so W was sent (ticket issued) before this batch's reply arrived and settled: W's ticket
 * is <= the horizon. Once those tickets are settled, every lower number committed through this node is in
 * a settled batch, so that batch and every settled batch below it go out, in seq order. Any ticket issued
 * after the horizon belongs to a write that gets a higher seq. Later tickets never delay a batch (its
 * horizon is fixed), so a steady stream of commands cannot starve one.
 *
 * Events committed by other nodes do not pass through here (the adapter delivers them); a write whose
 * outcome is unknown (connection lost around COMMIT) settles with no events, and clients detect any gap
 * by seq and catch up.
 */
export function createEventSequencer(publish: (events: EventEnvelope[]) => void) {
  let lastTicket = 0;
  /** property -> tickets issued and not yet settled. */
  const outstanding = new Map<string, Set<number>>();
  /** property -> settled batches by first seq, with their horizon. */
  const settled = new Map<string, Map<number, { horizon: number; events: EventEnvelope[] }>>();

  function flush(propertyId: string) {
    const batches = settled.get(propertyId);
    if (!batches) return;
    // Tickets are numbered upwards and a Set keeps insertion order: the first open one is the lowest.
    const lowestOpen = outstanding.get(propertyId)?.values().next().value ?? Infinity;
    const order = batches.size === 1 ? [batches.keys().next().value!] : [...batches.keys()].sort((a, b) => a - b);
    // The highest batch whose horizon is clear releases it and every settled batch below it.
    let upTo = -1;
    for (let i = order.length - 1; i >= 0; i--) {
      if (batches.get(order[i]!)!.horizon < lowestOpen) {
        upTo = i;
        break;
      }
    }
    for (let i = 0; i <= upTo; i++) {
      publish(batches.get(order[i]!)!.events);
      batches.delete(order[i]!);
    }
    if (batches.size === 0) settled.delete(propertyId);
  }

  return {
    /** Before sending the write that numbers events of these properties. */
    issue(propertyIds: Iterable<string>): Ticket {
      const ticket = { id: ++lastTicket, propertyIds: [...new Set(propertyIds)] };
      for (const p of ticket.propertyIds) {
        const open = outstanding.get(p) ?? new Set<number>();
        open.add(ticket.id);
        outstanding.set(p, open);
      }
      return ticket;
    },
    /**
     * After the write is over: `events` as committed (empty after a rollback or failure). Publishing waits
     * for the next turn of the event loop, so the command's ack goes out first.
     */
    settle(ticket: Ticket, events: EventEnvelope[]) {
      const horizon = lastTicket;
      setImmediate(() => {
        const touched = new Set(ticket.propertyIds);
        for (const p of ticket.propertyIds) {
          const open = outstanding.get(p);
          open?.delete(ticket.id);
          if (open?.size === 0) outstanding.delete(p);
        }
        const byProperty = new Map<string, EventEnvelope[]>();
        for (const e of events) byProperty.set(e.propertyId, [...(byProperty.get(e.propertyId) ?? []), e]);
        for (const [p, list] of byProperty) {
          const batches = settled.get(p) ?? new Map<number, { horizon: number; events: EventEnvelope[] }>();
          batches.set(list[0]!.seq, { horizon, events: list }); // numbered upwards in list order (event-log.ts)
          settled.set(p, batches);
          touched.add(p);
        }
        for (const p of touched) flush(p);
      });
    },
  };
}

export interface Ticket {
  readonly id: number;
  readonly propertyIds: readonly string[];
}
export type EventSequencer = ReturnType<typeof createEventSequencer>;
