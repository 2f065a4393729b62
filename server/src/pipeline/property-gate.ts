/** The slots per property when the configuration names none (config WRITES_PER_PROPERTY; tests' dispatchers). */
export const DEFAULT_WRITES_PER_PROPERTY = 3;

/**
 * At most `slots` single statements of one property on their way to PostgreSQL at once; the rest wait here, in the
 * order they came. Every statement that numbers events takes its property's counter row (property_seq) and holds it
 * until it commits, so past a couple in flight the others only queue on that row lock inside PostgreSQL, where each
 * waiter costs CPU as well (measured as a whole, not broken down) on the cores the statements need. Alternating
 * runs of 16 in flight on one property, ungated against gated: PostgreSQL's CPU per command 0.58x with 2 slots, 0.61x
 * with 3 (the default) and 0.78x with 4; the closed loop's p99 0.47-0.62x (docs/benchmarks.md, eleventh session). Waiting here
 * costs a queued callback; statements of other properties never wait on it.
 */
export function createPropertyGate(slots: number) {
  const lanes = new Map<string, { active: number; waiting: Array<() => void> }>();
  return {
    /** Null when a slot is free now (taken); otherwise resolves once one is handed over. Pair with `release`. */
    acquire(propertyId: string): Promise<void> | null {
      const lane = lanes.get(propertyId);
      if (!lane) {
        lanes.set(propertyId, { active: 1, waiting: [] });
        return null;
      }
      if (lane.active < slots) {
        lane.active++;
        return null;
      }
      return new Promise<void>((resolve) => lane.waiting.push(resolve));
    },
    /** The slot goes to the longest waiter, or is freed. */
    release(propertyId: string): void {
      const lane = lanes.get(propertyId);
      if (!lane) return;
      const next = lane.waiting.shift();
      if (next) next();
      else if (--lane.active === 0) lanes.delete(propertyId);
    },
  };
}
