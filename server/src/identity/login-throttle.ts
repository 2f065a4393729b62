import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LoginThrottle } from './auth.service.ts';
import type { RedisHub } from '../redis/connection.ts';
import { createLimiter } from '../redis/limiters.ts';

const WINDOW_SECONDS = 15 * 60;

/** Seconds until a limiter's key frees up when `consume` refused it; 0 when it let the attempt through. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (res) {
    if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw res;
  }
}

/**
 * Failed logins per account and per address. With Redis the counters are shared by every node, so
 * spreading guesses over the load balancer's nodes gains an attacker nothing; while Redis is down
 * each node counts on its own (insurance limiter) rather than locking everyone out.
 *
 * Every attempt takes its point BEFORE the password is hashed (a success gives it back): counting
 * only after the ~100 ms hash let a burst of parallel guesses all pass the check before the first
 * failure was counted.
 */
export function createLoginThrottle(redis: RedisHub | null = null): LoginThrottle {
  const perAccount: RateLimiterAbstract = createLimiter(redis, { keyPrefix: 'login_acct', points: 10, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
  const perAddress: RateLimiterAbstract = createLimiter(redis, { keyPrefix: 'login_addr', points: 50, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
  return {
    async attempt(email, address) {
      const [a, b] = await Promise.all([take(perAccount, email), take(perAddress, address)]);
      return Math.max(a, b);
    },
    async succeeded(email, address) {
      // The account starts over; the address only gets this attempt's point back (others may be guessing from it).
      await Promise.allSettled([perAccount.delete(email), perAddress.reward(address, 1)]);
    },
  };
}
