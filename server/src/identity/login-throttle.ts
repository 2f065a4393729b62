import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { LoginThrottle } from './auth.service.ts';
import type { RedisHub } from '../redis/connection.ts';
import { createLimiter } from '../redis/limiters.ts';

const WINDOW_SECONDS = 15 * 60;

/**
 * Failed logins per account and per address. With Redis the counters are shared by every node, so
 * spreading guesses over the load balancer's nodes gains an attacker nothing; while Redis is down
 * each node counts on its own (insurance limiter) rather than locking everyone out.
 */
export function createLoginThrottle(redis: RedisHub | null = null): LoginThrottle {
  const perAccount: RateLimiterAbstract = createLimiter(redis, { keyPrefix: 'login_acct', points: 10, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
  const perAddress: RateLimiterAbstract = createLimiter(redis, { keyPrefix: 'login_addr', points: 50, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
  const secondsLeft = (res: RateLimiterRes | null, points: number) =>
    res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
  return {
    async blockedFor(email, address) {
      const [a, b] = await Promise.all([perAccount.get(email), perAddress.get(address)]);
      return Math.max(secondsLeft(a, perAccount.points), secondsLeft(b, perAddress.points));
    },
    async recordFailure(email, address) {
      // A rejection here only means the key is now blocked, which blockedFor reports next time.
      await Promise.allSettled([perAccount.consume(email), perAddress.consume(address)]);
    },
    async reset(email) {
      await perAccount.delete(email);
    },
  };
}
