import type { MikroORM } from '@mikro-orm/postgresql';
import type { Server, Socket } from 'socket.io';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, syncRequestSchema, type Ack, type ErrorCode, type EventEnvelope, type SyncResult } from '@innboard/shared';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Dispatch } from '../pipeline/dispatch.ts';
import type { TokenService } from '../identity/tokens.ts';
import { loadAccess, membershipPropertyIds } from '../identity/authorize.ts';
import { syncProperty } from '../events/sync.ts';
import { toErrorBody } from '../pipeline/db-errors.ts';

export const propertyRoom = (propertyId: string) => `property:${propertyId}`;
export const userRoom = (userId: string) => `user:${userId}`;

interface SocketData {
  userId: string;
}

export interface GatewayDeps {
  orm: MikroORM;
  tokens: TokenService;
  dispatch: Dispatch;
  logger: Logger;
  metrics: Metrics;
  commandsPerSecond: number;
  heartbeatMs: number;
  /** Shared across nodes when Redis is configured. */
  limiter?: RateLimiterAbstract;
}

function refusal(code: ErrorCode, message: string): Error {
  return Object.assign(new Error(message), { data: { code } });
}

/** Wires the contract's socket events (`command`, `sync`, `event`, `heartbeat`) onto a Socket.IO server. */
export function attachGateway(io: Server, deps: GatewayDeps) {
  const { orm, tokens, dispatch, logger, metrics } = deps;
  const limiter = deps.limiter ?? new RateLimiterMemory({ keyPrefix: 'cmd', points: deps.commandsPerSecond, duration: 1 });

  io.use(async (socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; protocolVersion?: unknown };
    if (auth.protocolVersion !== undefined) {
      const v = Number(auth.protocolVersion);
      if (!Number.isInteger(v) || v < MIN_PROTOCOL_VERSION) return next(refusal('PROTOCOL_VERSION', `Client protocol ${String(auth.protocolVersion)} is too old; this server speaks ${MIN_PROTOCOL_VERSION}-${PROTOCOL_VERSION}. Reload the board.`));
      if (v > PROTOCOL_VERSION) return next(refusal('PROTOCOL_VERSION', `Client protocol ${v} is newer than this server (${PROTOCOL_VERSION}); retry shortly.`));
    }
    try {
      const claims = await tokens.verifyAccess(auth.token);
      if (!claims) return next(refusal('UNAUTHORIZED', 'Missing, invalid or expired access token'));
      (socket.data as SocketData).userId = claims.userId;
      next();
    } catch (err) {
      logger.error({ err }, 'handshake failed');
      next(refusal('UNAVAILABLE', 'Server is unable to accept connections right now'));
    }
  });

  io.on('connection', (socket: Socket) => {
    void onConnection(socket).catch((err) => {
      logger.error({ err }, 'connection setup failed');
      socket.disconnect(true);
    });
  });

  async function onConnection(socket: Socket) {
    const { userId } = socket.data as SocketData;
    // Register handlers first so nothing the client sends right after connecting is lost.
    socket.on('command', (raw: unknown, ack?: (a: Ack) => void) => void handleCommand(socket, userId, raw, ack));
    socket.on('sync', (raw: unknown, ack?: (r: SyncResult) => void) => void handleSync(userId, raw, ack));
    metrics.sockets.inc();
    socket.on('disconnect', () => metrics.sockets.dec());
    // Rooms are joined here rather than in middleware (socket.io#5139 on uWS).
    const propertyIds = await membershipPropertyIds(orm.em.fork(), userId);
    if (propertyIds.length === 0) {
      socket.emit('connect_refused', { code: 'UNAUTHORIZED' });
      return void socket.disconnect(true);
    }
    socket.join([userRoom(userId), ...propertyIds.map(propertyRoom)]);
  }

  async function handleCommand(socket: Socket, userId: string, raw: unknown, ack?: (a: Ack) => void) {
    const outcome = await dispatch(
      { userId, consume: () => limiter.consume(socket.id).then(() => true, () => false) },
      raw,
    );
    if (typeof ack === 'function') ack(outcome.ack);
    // Events are broadcast by the dispatcher (publish below), in seq order, after this ack.
    if (outcome.revoke) socket.disconnect(true);
  }

  async function handleSync(userId: string, raw: unknown, ack?: (r: SyncResult) => void) {
    if (typeof ack !== 'function') return;
    const req = syncRequestSchema.safeParse(raw);
    if (!req.success) return ack({ ok: false, error: { code: 'VALIDATION', message: 'sync expects { propertyId: uuid, since?: integer }', details: req.error.issues } });
    try {
      const access = await loadAccess(orm.em.fork(), userId, req.data.propertyId);
      if (!access || !access.active) return ack({ ok: false, error: { code: 'FORBIDDEN', message: 'You are not a member of that property' } });
      ack(await syncProperty(orm, req.data.propertyId, req.data.since));
    } catch (err) {
      const body = toErrorBody(err);
      logger.error({ err }, 'sync failed');
      ack({ ok: false, error: body === 'DUPLICATE_COMMAND' ? { code: 'INTERNAL', message: 'Something went wrong' } : body });
    }
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

  return { publish, stop: () => clearInterval(heartbeat) };
}
