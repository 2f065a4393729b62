// Ships audit_outbox rows to the sink. At least once from here, exactly once in the sink (it
// upserts by id). One relay is active across all nodes: the one holding a Postgres advisory lock.
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { auditRowToRecord, type AuditRecord, type AuditRow, type AuditSink } from './sink.ts';

/** Arbitrary but fixed: every node must ask for the same lock. ("audit" in ASCII.) */
const RELAY_LOCK_KEY = 0x6175646974;

export interface RelayOptions {
  databaseUrl: string;
  sink: AuditSink;
  logger: Logger;
  intervalMs: number;
  batchSize: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  retentionDays: number;
  /**
   * For a sink in the outbox's own database: ships a batch inside the database on the relay's session and returns
   * how many rows it shipped (postgres-sink.ts `copyOutboxBatch`). Without it, each batch goes through `sink.write`.
   */
  shipInDatabase?: (client: pg.Client, batchSize: number) => Promise<number>;
}

export interface RelayStatus {
  role: 'leader' | 'standby' | 'stopped';
  /** The sink as the leader last saw it; 'unknown' on a standby. */
  sink: 'up' | 'down' | 'unknown';
  consecutiveFailures: number;
  lastError?: string;
}

export interface AuditRelay {
  status(): RelayStatus;
  /** On the active relay: ships until nothing is left, the sink fails or the time is up. */
  flush(timeoutMs: number): Promise<'drained' | 'pending' | 'not_leader'>;
  stop(): Promise<void>;
}


/** Exponential backoff with jitter, so several sinks' retries (or a restarted fleet) don't align. */
export function backoffMs(failures: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export function startAuditRelay(opts: RelayOptions): AuditRelay {
  const { sink, logger } = opts;
  // The lock lives as long as this session: a node that dies (even kill -9) drops the connection,
  // Postgres releases the lock, and a standby takes over at its next attempt. Batches are read and
  // marked on the same connection, so a leader whose connection broke cannot go on shipping.
  let client: pg.Client | null = null;
  let leader = false;
  let stopped = false;
  let failures = 0;
  let sinkState: RelayStatus['sink'] = 'unknown';
  let lastError: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let lastPrune = 0;

  async function dropConnection() {
    leader = false;
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  }

  async function acquire(): Promise<boolean> {
    if (!client) {
      const c = new pg.Client({ connectionString: opts.databaseUrl, application_name: 'innboard-audit-relay' });
      c.on('error', () => void dropConnection()); // server went away; reconnect at the next tick
      await c.connect();
      client = c;
    }
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [RELAY_LOCK_KEY]);
    if (rows[0]?.locked && !leader) logger.info('audit relay: this node is the active relay');
    leader = !!rows[0]?.locked;
    return leader;
  }

  /** One batch. Returns how many rows were shipped (0: idle or failed). */
  async function shipBatch(): Promise<number> {
    if (opts.shipInDatabase) return markSinkUp(await opts.shipInDatabase(client!, opts.batchSize));
    const { rows } = await client!.query<AuditRow>(
      `select id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code
         from audit_outbox where shipped_at is null order by at, id limit $1`,
      [opts.batchSize],
    );
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    try {
      await sink.write(rows.map(auditRowToRecord));
    } catch (err) {
      failures++;
      sinkState = 'down';
      lastError = (err as Error).message;
      if (failures === 1 || failures % 20 === 0) logger.warn({ err: lastError, failures, backlogBatch: rows.length }, 'audit sink unavailable; outbox keeps the events');
      await client!.query('update audit_outbox set attempts = attempts + 1 where id = any($1::uuid[])', [ids]);
      return 0;
    }
    // A crash between write and this update re-ships the batch; the sink's upsert absorbs it.
    await client!.query('update audit_outbox set shipped_at = now(), attempts = attempts + 1 where id = any($1::uuid[])', [ids]);
    return markSinkUp(rows.length);
  }

  function markSinkUp(shipped: number): number {
    if (failures > 0) logger.info({ afterFailures: failures }, 'audit sink is back; draining the outbox');
    failures = 0;
    sinkState = 'up';
    lastError = undefined;
    return shipped;
  }

  async function prune() {
    if (Date.now() - lastPrune < 3600_000) return;
    lastPrune = Date.now();
    await client!.query(`delete from audit_outbox where shipped_at < now() - make_interval(days => $1)`, [opts.retentionDays]);
  }

  /**
   * Ships full batches while they come back full; returns the delay before the next tick. A short batch means the
   * backlog is shipped: what commits meanwhile waits for the next tick. Chasing it instead kept the relay shipping a
   * few rows per statement back to back under steady load (docs/benchmarks.md, thirteenth session). A flush (with a
   * deadline) drains until a batch comes back empty.
   */
  async function tick(deadline = Infinity): Promise<number> {
    try {
      if (!leader && !(await acquire())) return opts.intervalMs;
      const goOnFrom = deadline === Infinity ? opts.batchSize : 1; // a batch this size may have left rows behind
      while (!stopped || deadline !== Infinity) {
        const shipped = await shipBatch();
        if (failures > 0) return backoffMs(failures, opts.backoffInitialMs, opts.backoffMaxMs);
        if (shipped < goOnFrom || Date.now() > deadline) break;
      }
      await prune();
      return opts.intervalMs;
    } catch (err) {
      // Postgres trouble on the relay connection: give up leadership, start over with a new session.
      logger.warn({ err: (err as Error).message }, 'audit relay lost its database session; retrying');
      await dropConnection();
      return opts.intervalMs;
    }
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().then(schedule);
    }, delay);
    timer.unref();
  }
  schedule(0);

  return {
    status: () => ({ role: stopped ? 'stopped' : leader ? 'leader' : 'standby', sink: leader ? sinkState : 'unknown', consecutiveFailures: failures, ...(lastError ? { lastError } : {}) }),
    async flush(timeoutMs) {
      // Pause the timer loop (a tick in progress reschedules itself when it ends: clear again).
      clearTimeout(timer);
      await running;
      clearTimeout(timer);
      try {
        if (!client || !leader) return 'not_leader';
        await tick(Date.now() + timeoutMs);
        const c = client as pg.Client | null;
        if (!c || !leader) return 'not_leader';
        const { rows } = await c.query<{ n: number }>('select count(*)::int as n from audit_outbox where shipped_at is null');
        return rows[0]!.n === 0 ? 'drained' : 'pending';
      } catch {
        return 'pending';
      } finally {
        if (!stopped) schedule(opts.intervalMs);
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await dropConnection(); // ends the session, which releases the lock for a standby
    },
  };
}

/** How far behind the sink is, read by every node for /health and /metrics. */
export async function outboxBacklog(query: (sql: string) => Promise<Array<{ backlog: number; oldest_seconds: number | null }>>): Promise<{ backlog: number; oldestSeconds: number }> {
  const [row] = await query(
    'select count(*)::int as backlog, extract(epoch from now() - min(at))::float8 as oldest_seconds from audit_outbox where shipped_at is null',
  );
  return { backlog: row?.backlog ?? 0, oldestSeconds: Math.max(0, row?.oldest_seconds ?? 0) };
}
