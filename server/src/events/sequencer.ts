import type { EventEnvelope } from '@innboard/shared';

/**
 * Broadcasts each property's events in seq order although this node's commits can complete out of
 * order: two commands commit in seq order in Postgres, but their commit replies reach Node on different
 * connections and may be handled in either order. A command claims its numbers while it still holds the
 * counter row (so every lower local number is already claimed), and its events wait until no lower
 * claim of the same property is still in flight here. Events committed by other nodes do not pass
 * through here (the adapter delivers them); clients detect any gap by seq and catch up.
 */
export function createEventSequencer(publish: (events: EventEnvelope[]) => void) {
  /** property -> first seq of each claim still in flight -> claim count (a rolled-back number is reused). */
  const inFlight = new Map<string, Map<number, number>>();
  /** property -> committed events by their first seq, waiting for a lower claim. */
  const waiting = new Map<string, Map<number, EventEnvelope[]>>();

  const firstSeqs = (events: EventEnvelope[]) => {
    const first = new Map<string, number>();
    for (const e of events) first.set(e.propertyId, Math.min(first.get(e.propertyId) ?? Infinity, e.seq));
    return first;
  };

  function release(propertyId: string, seq: number) {
    const claims = inFlight.get(propertyId);
    const n = claims?.get(seq) ?? 0;
    if (n > 1) claims!.set(seq, n - 1);
    else claims?.delete(seq);
    if (claims?.size === 0) inFlight.delete(propertyId);
  }

  function flush(propertyId: string) {
    const ready = waiting.get(propertyId);
    if (!ready) return;
    const claims = inFlight.get(propertyId);
    const lowestInFlight = claims ? Math.min(...claims.keys()) : Infinity;
    for (const seq of [...ready.keys()].sort((a, b) => a - b)) {
      if (seq > lowestInFlight) break;
      publish(ready.get(seq)!);
      ready.delete(seq);
    }
    if (ready.size === 0) waiting.delete(propertyId);
  }

  return {
    /** Inside the unit of work, right after numbering, before commit. */
    claim(events: EventEnvelope[]) {
      for (const [propertyId, seq] of firstSeqs(events)) {
        const claims = inFlight.get(propertyId) ?? new Map<number, number>();
        claims.set(seq, (claims.get(seq) ?? 0) + 1);
        inFlight.set(propertyId, claims);
      }
    },
    /** After commit. Publishing waits for the next turn of the event loop, so the command's ack goes out first. */
    committed(events: EventEnvelope[]) {
      const first = firstSeqs(events);
      setImmediate(() => {
        for (const [propertyId, seq] of first) {
          release(propertyId, seq);
          const ready = waiting.get(propertyId) ?? new Map<number, EventEnvelope[]>();
          ready.set(seq, events.filter((e) => e.propertyId === propertyId));
          waiting.set(propertyId, ready);
          flush(propertyId);
        }
      });
    },
    /** After a rollback: the numbers went back to the counter; stop waiting for them. */
    abandoned(events: EventEnvelope[]) {
      const first = firstSeqs(events);
      setImmediate(() => {
        for (const [propertyId, seq] of first) {
          release(propertyId, seq);
          flush(propertyId);
        }
      });
    },
  };
}
export type EventSequencer = ReturnType<typeof createEventSequencer>;
