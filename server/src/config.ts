import { z } from 'zod';
import { DEFAULT_POOL_SIZE } from './db/orm.ts';
import { DEFAULT_WRITES_PER_PROPERTY } from './pipeline/property-gate.ts';

const DEV_JWT_SECRET = 'innboard-dev-only-secret-change-me-0123456789';

const DEV_GUEST_LINK_SECRET = 'innboard-dev-only-guest-link-secret-0123456789';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  TRANSPORT: z.enum(['uws', 'node']).default('uws'),
  DATABASE_URL: z.string().optional(),
  /** Where embedded Postgres keeps its data when DATABASE_URL is not set. */
  PG_DATA_DIR: z.string().default('.data/postgres'),
  PG_PORT: z.coerce.number().int().default(54329),
  /**
   * Connections the node's commands and reads use at most (besides them the audit relay keeps one, and a running
   * night audit one per property, for their advisory locks). Each is a backend process on the database host; past a
   * few per core they only take turns on its CPU and its WAL lock (docs/benchmarks.md, sixteenth session: 6 did
   * better than 20 on a 2-core host running both), so size it to the database host's cores. The default suits a
   * database on a host of its own with a few more.
   */
  DB_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(DEFAULT_POOL_SIZE),
  /** Set it to run several nodes: Socket.IO fan-out, permission cache and rate limits go through Redis. */
  REDIS_URL: z.string().optional(),
  /** Prefix for every Redis key and channel, so several deployments can share one Redis. */
  REDIS_PREFIX: z.string().default('innboard'),
  /** Audit sink: MongoDB when set (collections audit_logs, booking_logs), else Postgres table audit_log. */
  MONGO_URL: z.string().optional(),
  /** How often the relay looks for unshipped audit rows when idle. */
  AUDIT_RELAY_INTERVAL_MS: z.coerce.number().int().min(10).default(1000),
  AUDIT_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** Retry backoff after a sink failure: doubles from the first value up to the max. */
  AUDIT_BACKOFF_INITIAL_MS: z.coerce.number().int().min(10).default(500),
  AUDIT_BACKOFF_MAX_MS: z.coerce.number().int().min(10).default(60_000),
  /** Shipped outbox rows are deleted after this many days (the sink keeps the trail). */
  AUDIT_OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).default(7),
  /** SIGTERM: how long in-flight commands and the audit flush may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  /**
   * Single statements of one property on their way to PostgreSQL at once; more wait in the node, in order. They all
   * queue on the property's counter row anyway, and waiting inside PostgreSQL costs its CPU (pipeline/property-gate.ts).
   */
  WRITES_PER_PROPERTY: z.coerce.number().int().min(1).max(64).default(DEFAULT_WRITES_PER_PROPERTY),
  /** A command not finished by then is answered UNAVAILABLE (it may still commit; the same id again tells). Below the board's 10 s ack timeout. */
  COMMAND_DEADLINE_MS: z.coerce.number().int().min(100).default(8000),
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(60 * 60 * 24 * 14),
  /** Per socket: the contract's limit (a burst of this size passes, for offline replays). */
  COMMANDS_PER_SECOND: z.coerce.number().int().min(1).default(200),
  /** One budget per user across all their sockets and nodes (shared through Redis when configured). */
  USER_COMMANDS_PER_SECOND: z.coerce.number().int().min(1).default(1000),
  /**
   * Socket.IO connections one client address may open per window (shared across nodes through Redis when
   * configured); more are refused RATE_LIMITED before any token or database work, and the board retries in
   * 3 s. A 10 s window of 600 (60/s on average) takes a burst: 2,000 boards behind one hotel's NAT
   * reconnecting at once, retrying in step every 3 s, are all in after four windows (see docs/reliability.md).
   */
  CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(600),
  CONNECTIONS_WINDOW_SECONDS: z.coerce.number().int().min(1).default(10),
  /** Proxies of ours in front that append the client to X-Forwarded-For (1 behind deploy/haproxy.cfg); 0 trusts no header. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Socket.IO sessions that have not sent CONNECT by then are closed (sockets that never send); the board sends it at once. */
  SOCKET_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
  /**
   * `sync` reads (snapshots and replays) running at once on a node; identical ones (same property and
   * `since`) share one read. Beyond this, and beyond SYNCS_PER_SOCKET open on one socket, a sync is answered
   * RATE_LIMITED at once instead of queueing (the board retries in 3 s).
   */
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).default(4),
  SYNCS_PER_SOCKET: z.coerce.number().int().min(1).default(2),
  /** HMAC secret of the guest site's manage-booking links (32+ chars; required in production). */
  GUEST_LINK_SECRET: z.string().min(32).optional(),
  /** Guest site, per remote address: every request, and bookings/cancellations. */
  PUBLIC_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  PUBLIC_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  WEB_BUILD_DIR: z.string().default('web/build'),
  HEARTBEAT_MS: z.coerce.number().int().min(100).default(5000),
  /** Local time (HH:MM, property's zone) the night audit runs at for properties without their own setting. */
  NIGHT_AUDIT_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24 h').default('03:00'),
  /** How often this node looks for due audits; 0 turns its scheduler off. Default 60000, and 0 when NODE_ENV=test. */
  NIGHT_AUDIT_POLL_MS: z.coerce.number().int().min(0).optional(),
  /** Stays per unit of work (one transaction, one progress event). */
  NIGHT_AUDIT_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /** Collaborative documents: largest single yjs update, and largest document (snapshot + pending updates). */
  COLLAB_MAX_UPDATE_BYTES: z.coerce.number().int().min(256).default(64 * 1024),
  COLLAB_MAX_DOCUMENT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Benchmarks only: exposes GET /debug/memory (heap after GC). Refused in production. */
  BENCH_DEBUG: z.enum(['0', '1']).default('0'),
  /** Bearer token a scraper presents for GET /metrics. In production /metrics answers 404 without one configured. */
  METRICS_TOKEN: z.string().min(32).optional(),
});

export type Config = Omit<z.infer<typeof envSchema>, 'JWT_SECRET' | 'GUEST_LINK_SECRET' | 'SEED_DEMO' | 'BENCH_DEBUG' | 'NIGHT_AUDIT_POLL_MS'> & { JWT_SECRET: string; GUEST_LINK_SECRET: string; SEED_DEMO: boolean; BENCH_DEBUG: boolean; NIGHT_AUDIT_POLL_MS: number };

/** Reads the environment once. Production refuses to start without real secrets. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production' && !cfg.JWT_SECRET) {
    throw new Error('JWT_SECRET (32+ characters) is required when NODE_ENV=production');
  }
  if (cfg.NODE_ENV === 'production' && !cfg.GUEST_LINK_SECRET) {
    throw new Error('GUEST_LINK_SECRET (32+ characters) is required when NODE_ENV=production');
  }
  if (cfg.NODE_ENV === 'production' && cfg.BENCH_DEBUG === '1') {
    throw new Error('BENCH_DEBUG=1 is for benchmarks only and is refused when NODE_ENV=production');
  }
  return {
    ...cfg, JWT_SECRET: cfg.JWT_SECRET ?? DEV_JWT_SECRET, GUEST_LINK_SECRET: cfg.GUEST_LINK_SECRET ?? DEV_GUEST_LINK_SECRET, SEED_DEMO: cfg.SEED_DEMO === 'true', BENCH_DEBUG: cfg.BENCH_DEBUG === '1',
    // Test servers share a clock with the tests: an audit rolling their dates on its own would break them.
    NIGHT_AUDIT_POLL_MS: cfg.NIGHT_AUDIT_POLL_MS ?? (cfg.NODE_ENV === 'test' ? 0 : 60_000),
  };
}
