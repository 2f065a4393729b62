import type { Server } from 'socket.io';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import type { RedisHub } from '../redis/connection.ts';

/**
 * Fan-out between nodes. We use the SHARDED adapter (Redis 7 SPUBLISH/SSUBSCRIBE) rather than the
 * classic one (PUBLISH + one PSUBSCRIBE on everything):
 * - with subscriptionMode 'dynamic' each room (`property:<id>`, `user:<id>`) gets its own channel and
 *   a node subscribes only to the rooms its sockets are in, so a node hosting Harbor Inn boards never
 *   receives Demo Hotel traffic; the classic adapter delivers every broadcast to every node, which
 *   then drops what it does not host (work and bandwidth grow with nodes x all traffic);
 * - sharded channels are what scale on a Redis Cluster later (classic PUBLISH is broadcast to every
 *   cluster node), with no code change here;
 * - cost: needs Redis >= 7 (docker-compose pins redis:7) and one SSUBSCRIBE per room a node starts
 *   hosting, which is cheap next to the broadcasts it saves.
 * Both adapters recover the same way after an outage: ioredis resubscribes its channels, and boards
 * fill what they missed from the event log by seq.
 */
export function useRedisAdapter(io: Server, redis: RedisHub): void {
  io.adapter(createShardedAdapter(redis.pub, redis.sub, { channelPrefix: redis.key('socket.io'), subscriptionMode: 'dynamic' }));
}
