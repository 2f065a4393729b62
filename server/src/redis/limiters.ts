import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisHub } from './connection.ts';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration?: number;
}

/**
 * A limiter shared by every node through Redis, with an in-memory insurance limiter: while Redis is
 * unreachable each node limits on its own instead of refusing logins and commands. Without Redis,
 * the in-memory limiter alone.
 */
export function createLimiter(redis: RedisHub | null, opts: LimiterOptions): RateLimiterAbstract {
  const memory = new RateLimiterMemory(opts);
  if (!redis) return memory;
  return new RateLimiterRedis({
    ...opts,
    keyPrefix: redis.key('rl', opts.keyPrefix),
    storeClient: redis.command,
    // Not 'ready' (reconnecting): go straight to the insurance limiter instead of waiting for a timeout.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}
