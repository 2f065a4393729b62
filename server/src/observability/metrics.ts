import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests running several apps in one process don't collide. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commands = new Counter({ name: 'innboard_commands_total', help: 'Commands handled, by type and outcome', labelNames: ['type', 'outcome'], registers: [registry] });
  const commandDuration = new Histogram({
    name: 'innboard_command_duration_seconds', help: 'Time from receiving a command to its ack', labelNames: ['type'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers: [registry],
  });
  // Counted at scrape time (the gateway says how): a disconnect listener per socket would cost every idle board.
  let countSockets = () => 0;
  new Gauge({ name: 'innboard_connected_sockets', help: 'Connected board and terminal sockets', registers: [registry], collect() { this.set(countSockets()); } });
  const countSocketsWith = (count: () => number) => void (countSockets = count);
  const eventLag = new Histogram({
    name: 'innboard_event_lag_seconds', help: 'Time from commit to handing the event to the transport',
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1], registers: [registry],
  });
  const events = new Counter({ name: 'innboard_events_total', help: 'Events broadcast', labelNames: ['type'], registers: [registry] });
  return { registry, commands, commandDuration, countSocketsWith, eventLag, events };
}
export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Audit outbox lag, read from Postgres at scrape time (any node reports the same numbers, since
 * the outbox is shared). A growing backlog with a rising oldest age means the sink is down.
 */
export function addAuditBacklogGauges(metrics: Metrics, read: () => Promise<{ backlog: number; oldestSeconds: number }>): void {
  let pending: Promise<{ backlog: number; oldestSeconds: number }> | null = null;
  // Both gauges are collected in one scrape: share one query.
  // A failed read (database down) reports NaN rather than failing the whole scrape.
  const once = () => (pending ??= read().catch(() => ({ backlog: NaN, oldestSeconds: NaN })).finally(() => setImmediate(() => (pending = null))));
  new Gauge({
    name: 'innboard_audit_backlog', help: 'Audit events written but not yet shipped to the audit sink', registers: [metrics.registry],
    async collect() { this.set((await once()).backlog); },
  });
  new Gauge({
    name: 'innboard_audit_oldest_seconds', help: 'Age of the oldest audit event not yet shipped (0 when none)', registers: [metrics.registry],
    async collect() { this.set((await once()).oldestSeconds); },
  });
}
