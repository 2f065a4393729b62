import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LoginThrottle } from './auth.service.ts';

const WINDOW_SECONDS = 15 * 60;

/**
 * Failed logins per account and per address. With Redis the limiters are shared by every node
 * (pass Redis-backed limiters); otherwise they live in this process.
 */
export function createLoginThrottle(limiters?: { perAccount: RateLimiterAbstract; perAddress: RateLimiterAbstract }): LoginThrottle {
  const perAccount = limiters?.perAccount ?? new RateLimiterMemory({ keyPrefix: 'login_acct', points: 10, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
  const perAddress = limiters?.perAddress ?? new RateLimiterMemory({ keyPrefix: 'login_addr', points: 50, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
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
