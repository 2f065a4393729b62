import type { MikroORM } from '@mikro-orm/postgresql';
import type { Server, Socket } from 'socket.io';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import {
  MIN_PROTOCOL_VERSION, NOTIFICATION_SOCKET_EVENTS, PROTOCOL_VERSION, notificationsReadRequest, notificationsSyncRequest, syncRequestSchema,
  type NotificationsReadResult, type NotificationsSyncResult, type Ack, type ErrorCode, type EventEnvelope, type SyncResult } from '@innboard/shared';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Dispatch } from '../pipeline/dispatch.ts';
import type { TokenService } from '../identity/tokens.ts';
import { loadAccess, membershipPropertyIds } from '../identity/authorize.ts';
import { syncProperty } from '../events/sync.ts';
import { toErrorBody } from '../pipeline/db-errors.ts';
import { toSafeError } from '../pipeline/safe-error.ts';
import { markNotificationsRead, notificationsSince, type DeliveredNotification } from '../notifications/store.ts';
import type { HandshakeInfo } from '../transport/types.ts';
import { createSyncGate, SYNC_BUSY, type SyncGateOptions } from './sync-gate.ts';
import { createCommandFlights } from './command-flights.ts';

export const propertyRoom = (propertyId: string) => `property:${propertyId}`;
export const userRoom = (userId: string) => `user:${userId}`;

interface SocketData {
  userId: string;
}

/** A socket event's listener: called with the socket as `this` and the event's arguments (the ack last). */
export type SocketListener = (this: Socket, ...args: any[]) => void;

/** The user a socket authenticated as (set by the handshake middleware before any listener runs). */
export const socketUser = (socket: Socket) => (socket.data as SocketData).userId;

export interface GatewayDeps {
  orm: MikroORM;
  tokens: TokenService;
  dispatch: Dispatch;
  logger: Logger;
  metrics: Metrics;
  commandsPerSecond: number;
  heartbeatMs: number;
  /** A command still running after this is answered UNAVAILABLE; the work goes on (see handleCommand). */
  commandDeadlineMs: number;
  /** Keyed by user; shared across nodes when Redis is configured. */
  /** Per-user budget, shared across nodes when Redis is configured. */
  userLimiter?: RateLimiterAbstract;
  /** Permission lookup (Redis-cached when configured). */
  loadAccess?: typeof loadAccess;
  /** More socket events beside the gateway's own, by name (the collaborative `doc` channel's). */
  events?: Record<string, SocketListener>;
  /** Connections per client address (see CONNECTIONS_PER_ADDRESS in config.ts); none: not limited. */
  connectionLimiter?: RateLimiterAbstract;
  /** The client's address of a handshake (the transport's rule: peer, or X-Forwarded-For behind trusted proxies). */
  clientAddress?: (handshake: HandshakeInfo) => string;
  /** Admission for `sync` (see sync-gate.ts). */
  syncs?: SyncGateOptions;
}

const SLOW_DATABASE = { code: 'UNAVAILABLE', message: 'The database is not answering in time; the board will show the change if it went through' } as const;

/** A database outage is answered UNAVAILABLE and the board retries: an expected state (warn), unlike a bug (error). */
export function logFailure(logger: Logger, err: unknown, message: string) {
  const body = toErrorBody(err);
  logger[body !== 'DUPLICATE_COMMAND' && body.code === 'UNAVAILABLE' ? 'warn' : 'error']({ err: toSafeError(err) }, message);
}

function refusal(code: ErrorCode, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}

/** Wires the contract's socket events (`command`, `sync`, `event`, `heartbeat`) onto a Socket.IO server. */
export function attachGateway(io: Server, deps: GatewayDeps) {
  const { orm, tokens, dispatch, logger, metrics } = deps;
  // Per socket (the contract's limit: a burst as big as the budget passes, so an offline queue can
  // replay at once), then per user across every socket and node.
  const socketLimiter = new RateLimiterMemory({ keyPrefix: 'cmd', points: deps.commandsPerSecond, duration: 1 });
  const userLimiter = deps.userLimiter ?? new RateLimiterMemory({ keyPrefix: 'cmd_user', points: deps.commandsPerSecond * 5, duration: 1 });
  const consume = (socketId: string, userId: string) =>
    socketLimiter.consume(socketId).then(() => userLimiter.consume(userId)).then(() => true, () => false);
  const access = deps.loadAccess ?? loadAccess;
  const flights = createCommandFlights<Awaited<ReturnType<Dispatch>>>();
  const syncs = createSyncGate((propertyId, since) => syncProperty(orm, propertyId, since), deps.syncs ?? { concurrency: 4, perSocket: 2 });
  /** 0 when the address may connect now, else the ms until it may; a limiter that fails lets it in. */
  const connectWait = async (address: string): Promise<number> => {
    if (!deps.connectionLimiter) return 0;
    try {
      await deps.connectionLimiter.consume(address);
      return 0;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, res.msBeforeNext);
      logger.warn({ err: toSafeError(res) }, 'connection limiter failed; connection let in');
      return 0;
    }
  };
  // Commands and syncs being worked on, so a graceful stop can let them finish and answer.
  const inFlight = new Set<Promise<void>>();
  let draining = false;
  const track = (work: Promise<void>) => {
    const tracked: Promise<void> = work.catch((err) => logger.error({ err: toSafeError(err) }, 'socket handler failed')).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  // One copy of each user id and room name for all sockets: each socket would otherwise hold its own in
  // socket.data and in the adapter (~60 B per string and idle board). Every string comes from a verified
  // token or a membership row, so the map is bounded by users and properties.
  const strings = new Map<string, string>();
  const interned = (value: string) => {
    const known = strings.get(value);
    if (known !== undefined) return known;
    strings.set(value, value);
    return value;
  };

  io.use(async (socket, next) => {
    // First, before any token or database work: a flood from one address costs a counter per connection.
    const address = deps.clientAddress?.(socket.handshake) ?? socket.handshake.address;
    const wait = await connectWait(address);
    if (wait) return next(refusal('RATE_LIMITED', `Too many connections from your address; retry in ${Math.ceil(wait / 1000)} s`));
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; protocolVersion?: unknown };
    if (auth.protocolVersion !== undefined) {
      const v = Number(auth.protocolVersion);
      if (!Number.isInteger(v) || v < MIN_PROTOCOL_VERSION) return next(refusal('PROTOCOL_VERSION', `Client protocol ${String(auth.protocolVersion)} is too old; this server speaks ${MIN_PROTOCOL_VERSION}-${PROTOCOL_VERSION}. Reload the board.`));
      if (v > PROTOCOL_VERSION) return next(refusal('PROTOCOL_VERSION', `Client protocol ${v} is newer than this server (${PROTOCOL_VERSION}); retry shortly.`));
    }
    try {
      const claims = await tokens.verifyAccess(auth.token);
      if (!claims) return next(refusal('UNAUTHORIZED', 'Missing, invalid or expired access token'));
      // Not kept once verified: a bearer credential would sit in every heap dump, and ~260 B on every idle board.
      auth.token = undefined;
      (socket.data as SocketData).userId = interned(claims.userId);
      next();
    } catch (err) {
      logger.error({ err: toSafeError(err) }, 'handshake failed');
      next(refusal('UNAVAILABLE', 'Server is unable to accept connections right now'));
    }
  });

  io.on('connection', (socket: Socket) => {
    void onConnection(socket).catch((err) => {
      logger.error({ err: toSafeError(err) }, 'connection setup failed');
      socket.disconnect(true);
    });
  });

  // The same listener functions for every socket, called with the socket as `this`, not closures made per
  // socket: each closure and its context cost every idle board ~100 B (docs/benchmarks.md, scenario 5).
  function onCommand(this: Socket, raw: unknown, ack?: (a: Ack) => void) {
    // Stopping: not started here means not done here; the client retries on another node.
    if (draining) return void (typeof ack === 'function' && ack({ ok: false, error: { code: 'UNAVAILABLE', message: 'This server is restarting; retry in a moment' } }));
    track(handleCommand(this, socketUser(this), raw, ack));
  }
  function onSync(this: Socket, raw: unknown, ack?: (r: SyncResult) => void) {
    track(handleSync(this, socketUser(this), raw, ack));
  }
  function onNotificationSync(this: Socket, raw: unknown, ack?: (r: NotificationsSyncResult) => void) {
    track(handleNotificationSync(socketUser(this), raw, ack));
  }
  function onNotificationRead(this: Socket, raw: unknown, ack?: (r: NotificationsReadResult) => void) {
    track(handleNotificationRead(socketUser(this), raw, ack));
  }
  const routes = new Map<string, SocketListener>([
    ['command', onCommand], ['sync', onSync],
    [NOTIFICATION_SOCKET_EVENTS.sync, onNotificationSync], [NOTIFICATION_SOCKET_EVENTS.read, onNotificationRead],
    ...Object.entries(deps.events ?? {}),
  ]);
  /**
   * Every incoming event goes through this one catch-all listener: a listener per event name would give each
   * socket its own table of them (~300 B per idle board). An event nobody handles would leave the sender's ack
   * waiting until its timeout: it is answered instead.
   */
  function route(this: Socket, event: unknown, ...args: unknown[]) {
    const listener = typeof event === 'string' ? routes.get(event) : undefined;
    if (listener) return listener.apply(this, args);
    const ack = args[args.length - 1];
    if (typeof ack === 'function') (ack as (a: Ack) => void)({ ok: false, error: { code: 'VALIDATION', message: `Unknown event "${String(event).slice(0, 60)}"` } });
  }
  metrics.countSocketsWith(() => io.of('/').sockets.size);

  async function onConnection(socket: Socket) {
    const userId = socketUser(socket);
    // Listen first so nothing the client sends right after connecting is lost.
    socket.onAny(route);
    // Rooms are joined here rather than in middleware (socket.io#5139 on uWS).
    const propertyIds = await membershipPropertyIds(orm.em.fork(), userId);
    if (propertyIds.length === 0) {
      socket.emit('connect_refused', { code: 'UNAUTHORIZED' });
      return void socket.disconnect(true);
    }
    socket.join([interned(userRoom(userId)), ...propertyIds.map((id) => interned(propertyRoom(id)))]);
  }

  async function handleCommand(socket: Socket, userId: string, raw: unknown, ack?: (a: Ack) => void) {
    let answered = false;
    const answer = (a: Ack) => {
      if (answered || typeof ack !== 'function') return;
      answered = true;
      ack(a);
    };
    // A database that stopped answering (frozen, overloaded) must not leave the board waiting past its
    // ack timeout. The work goes on and may still commit: the board then sees the event, and the same id
    // sent again is answered from the idempotency record (or, while this still runs on this node, joins
    // it: command-flights.ts; each copy keeps its own deadline). Never an ok before the commit.
    const deadline = setTimeout(() => answer({ ok: false, error: SLOW_DATABASE }), deps.commandDeadlineMs);
    let outcome: Awaited<ReturnType<Dispatch>>;
    const commandId = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
    try {
      outcome = await flights.run(userId, commandId, () => dispatch({ userId, consume: () => consume(socket.id, userId) }, raw));
    } finally {
      clearTimeout(deadline);
    }
    answer(outcome.ack);
    // Ids and types only (never payloads: they carry guest data); debug level keeps busy nodes quiet.
    if (logger.isLevelEnabled('debug')) {
      const env = raw && typeof raw === 'object' ? (raw as { id?: unknown; type?: unknown }) : {};
      logger.debug({ commandId: String(env.id ?? ''), type: String(env.type ?? ''), userId, outcome: outcome.ack.ok ? 'ok' : outcome.ack.error.code, seq: outcome.ack.ok ? outcome.ack.seq : undefined }, 'command');
    }
    // Events are broadcast by the dispatcher (publish below), in seq order, after this ack.
    // disconnect() (not close) queues the disconnect packet behind the ack on the same connection,
    // so the client always reads UNAUTHORIZED before it sees the socket drop.
    if (outcome.revoke) socket.disconnect();
  }

  async function handleSync(socket: Socket, userId: string, raw: unknown, ack?: (r: SyncResult) => void) {
    if (typeof ack !== 'function') return;
    const req = syncRequestSchema.safeParse(raw);
    if (!req.success) return ack({ ok: false, error: { code: 'VALIDATION', message: 'sync expects { propertyId: uuid, since?: integer }', details: req.error.issues } });
    if (!syncs.enter(socket.id)) return ack(SYNC_BUSY);
    try {
      const standing = await access(orm.em.fork(), userId, req.data.propertyId);
      // Same rule as commands: a property you are not a member of answers like one that does not exist.
      if (!standing) return ack({ ok: false, error: { code: 'NOT_FOUND', message: 'No such property' } });
      if (!standing.active) {
        ack({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Your account is no longer active' } });
        return void socket.disconnect();
      }
      ack(await syncs.run(req.data.propertyId, req.data.since));
    } catch (err) {
      const body = toErrorBody(err);
      logFailure(logger, err, 'sync failed');
      ack({ ok: false, error: body === 'DUPLICATE_COMMAND' ? { code: 'INTERNAL', message: 'Something went wrong' } : body });
    } finally {
      syncs.leave(socket.id);
    }
  }

  /** The caller's own notifications only: the user comes from the verified handshake, never the payload. */
  async function handleNotificationSync(userId: string, raw: unknown, ack?: (r: NotificationsSyncResult) => void) {
    if (typeof ack !== 'function') return;
    const req = notificationsSyncRequest.safeParse(raw ?? {});
    if (!req.success) return ack({ ok: false, error: { code: 'VALIDATION', message: 'notifications.sync expects { since?: integer }' } });
    try {
      const { seq, unread, notifications } = await notificationsSince(orm.em.fork(), userId, req.data.since);
      ack({ ok: true, seq, unread, notifications: notifications.map(({ userId: _recipient, ...n }) => n) });
    } catch (err) {
      logFailure(logger, err, 'notification sync failed');
      ack({ ok: false, error: { code: 'UNAVAILABLE', message: 'Please retry' } });
    }
  }

  async function handleNotificationRead(userId: string, raw: unknown, ack?: (r: NotificationsReadResult) => void) {
    const req = notificationsReadRequest.safeParse(raw);
    if (!req.success) return void (typeof ack === 'function' && ack({ ok: false, error: { code: 'VALIDATION', message: 'notifications.read expects { upTo } or { notificationIds }' } }));
    try {
      const unread = await markNotificationsRead(orm.em.fork(), userId, req.data, new Date());
      if (typeof ack === 'function') ack({ ok: true, unread });
    } catch (err) {
      logFailure(logger, err, 'notification read failed');
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'UNAVAILABLE', message: 'Please retry' } });
    }
  }

  /** Each notification to its recipient's room (every node, through the adapter). */
  function deliver(notifications: DeliveredNotification[]) {
    for (const { userId, ...n } of notifications) io.to(userRoom(userId)).emit(NOTIFICATION_SOCKET_EVENTS.push, n);
  }

  /** Broadcast committed events; one room per emit keeps uWS on its native publish path. */
  function publish(events: EventEnvelope[]) {
    for (const e of events) {
      io.to(propertyRoom(e.propertyId)).emit('event', e);
      metrics.events.inc({ type: e.type });
      metrics.eventLag.observe((Date.now() - Date.parse(e.at)) / 1000);
    }
  }

  // Each node tells only its own sockets (io.local), so N nodes don't send N heartbeats.
  const heartbeat = setInterval(() => {
    void orm.em.fork().execute<{ property_id: string; seq: string }[]>('select property_id, seq from property_seq').then(
      (rows) => { for (const r of rows) io.local.to(propertyRoom(r.property_id)).emit('heartbeat', { propertyId: r.property_id, seq: Number(r.seq) }); },
      (err) => logger.warn({ err }, 'heartbeat skipped'),
    );
  }, deps.heartbeatMs);
  heartbeat.unref();

  return {
    publish,
    deliver,
    /** Refuses new commands and waits (up to timeoutMs) for the ones in flight to be answered. */
    async drain(timeoutMs: number): Promise<{ unfinished: number }> {
      draining = true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.allSettled([...inFlight]), timeout]);
      clearTimeout(timer);
      return { unfinished: inFlight.size };
    },
    stop: () => clearInterval(heartbeat),
  };
}
