import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, errors } from 'jose';

export interface AccessClaims {
  userId: string;
}

const ISSUER = 'innboard';
const AUDIENCE = 'innboard-board';
/**
 * A verified token is remembered this long, never past its own expiry: an HMAC through WebCrypto costs
 * ~0.45 ms of the main thread, 13 % of a node's CPU in the 2,000-connection flood, and boards reconnecting
 * (or a flood) present the same token again and again. Keyed by the whole token string, so a token
 * differing in any byte is verified in full; only successes are kept. Whether the user is still active is
 * not a token question: the handshake and every command read it from the database.
 */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** HS256 access tokens. Verification pins the algorithm, so `alg: none` or RS/HS confusion is refused. */
export function createTokenService(secret: string, accessTtlSeconds: number) {
  const key = new TextEncoder().encode(secret);
  const verified = new Map<string, { claims: AccessClaims; until: number }>();
  const remember = (token: string, claims: AccessClaims, exp: number | undefined) => {
    // Insertion order is age: past the cap the oldest entry goes.
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, { claims, until: Math.min(Date.now() + VERIFIED_TTL_MS, (exp ?? 0) * 1000) });
  };
  return {
    accessTtlSeconds,
    async signAccess(userId: string): Promise<string> {
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${accessTtlSeconds}s`)
        .sign(key);
    },
    /** Returns null for any invalid token: expired, tampered, wrong algorithm or audience. */
    async verifyAccess(token: unknown): Promise<AccessClaims | null> {
      if (typeof token !== 'string' || token.length > 4096) return null;
      const known = verified.get(token);
      if (known && Date.now() < known.until) return known.claims;
      if (known) verified.delete(token);
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
        if (!payload.sub) return null;
        const claims = Object.freeze({ userId: payload.sub });
        remember(token, claims, payload.exp);
        return claims;
      } catch (err) {
        if (err instanceof errors.JOSEError) return null;
        throw err;
      }
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;

/** Refresh tokens are opaque random strings; only their SHA-256 is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
