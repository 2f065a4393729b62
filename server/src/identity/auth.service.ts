import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { LoginResponse, Membership, Permission, RoleName, SessionUser } from '@innboard/shared';
import { DUMMY_HASH_PROMISE, verifyPassword } from './passwords.ts';
import { hashRefreshToken, newRefreshToken, type TokenService } from './tokens.ts';
import { randomUUID } from 'node:crypto';

export class AuthError extends Error {
  readonly status: 401 | 429;
  readonly retryAfterSeconds?: number;
  constructor(status: 401 | 429, message: string, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface LoginThrottle {
  /** Counts an attempt on the account and the address; seconds to wait when either is locked out, else 0. */
  attempt(email: string, address: string): Promise<number>;
  /** The attempt was genuine: it does not count against the account or the address. */
  succeeded(email: string, address: string): Promise<void>;
}

export async function loadSessionUser(em: EntityManager, userId: string): Promise<SessionUser | null> {
  const rows = await em.execute<{ id: string; email: string; name: string; active: boolean; property_id: string | null; property_name: string | null; role: RoleName | null; permissions: Permission[] | null }[]>(
    `select u.id, u.email, u.name, u.active, p.id as property_id, p.name as property_name, m.role_name as role, r.permissions
       from app_user u left join membership m on m.user_id = u.id left join property p on p.id = m.property_id
       left join role r on r.name = m.role_name
      where u.id = ? order by p.name`,
    [userId],
  );
  const first = rows[0];
  if (!first || !first.active) return null;
  const memberships: Membership[] = rows
    .filter((r) => r.property_id)
    .map((r) => ({ propertyId: r.property_id!, propertyName: r.property_name!, role: r.role!, permissions: r.permissions ?? [] }));
  return { id: first.id, email: first.email, name: first.name, memberships };
}

export function createAuthService(deps: { orm: MikroORM; tokens: TokenService; refreshTtlSeconds: number; throttle: LoginThrottle }) {
  const { orm, tokens, refreshTtlSeconds, throttle } = deps;

  async function issue(em: EntityManager, userId: string, family: string): Promise<LoginResponse> {
    const user = await loadSessionUser(em, userId);
    if (!user) throw new AuthError(401, 'Invalid credentials');
    const refresh = newRefreshToken();
    await em.execute(
      'insert into auth_session (id, user_id, family, token_hash, expires_at, created_at) values (?, ?, ?, ?, ?, ?)',
      [randomUUID(), userId, family, refresh.hash, new Date(Date.now() + refreshTtlSeconds * 1000), new Date()],
      'run',
    );
    return { accessToken: await tokens.signAccess(userId), refreshToken: refresh.token, expiresIn: tokens.accessTtlSeconds, user };
  }

  return {
    async login(email: string, password: string, address: string): Promise<LoginResponse> {
      const normalized = email.trim().toLowerCase();
      const wait = await throttle.attempt(normalized, address);
      if (wait > 0) throw new AuthError(429, 'Too many failed logins; try again later', wait);
      const em = orm.em.fork();
      const rows = await em.execute<{ id: string; password_hash: string; active: boolean }[]>(
        'select id, password_hash, active from app_user where email = ?',
        [normalized],
      );
      const row = rows[0];
      // Unknown emails cost a hash too, so timing does not reveal which accounts exist.
      const ok = await verifyPassword(password, row?.password_hash ?? (await DUMMY_HASH_PROMISE));
      if (!row || !ok || !row.active) throw new AuthError(401, 'Invalid email or password');
      await throttle.succeeded(normalized, address);
      return em.transactional((tem) => issue(tem, row.id, randomUUID()));
    },

    /** Rotates the refresh token; a reused (already rotated) token revokes its whole family. */
    async refresh(refreshToken: string): Promise<LoginResponse> {
      const em = orm.em.fork();
      const outcome = await em.transactional(async (tem) => {
        const rows = await tem.execute<{ id: string; user_id: string; family: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null }[]>(
          'select id, user_id, family, expires_at, used_at, revoked_at from auth_session where token_hash = ? for update',
          [hashRefreshToken(refreshToken)],
        );
        const s = rows[0];
        if (!s || s.revoked_at || new Date(s.expires_at) < new Date()) return null;
        if (s.used_at) {
          await tem.execute('update auth_session set revoked_at = now() where family = ? and revoked_at is null', [s.family], 'run');
          return 'reused' as const;
        }
        await tem.execute('update auth_session set used_at = now() where id = ?', [s.id], 'run');
        return issue(tem, s.user_id, s.family);
      });
      if (outcome === null) throw new AuthError(401, 'Session expired; please log in again');
      if (outcome === 'reused') throw new AuthError(401, 'This session was ended for your safety; please log in again');
      return outcome;
    },

    async logout(refreshToken: string): Promise<void> {
      await orm.em.fork().execute(
        `update auth_session set revoked_at = now() where revoked_at is null
           and family = (select family from auth_session where token_hash = ?)`,
        [hashRefreshToken(refreshToken)],
        'run',
      );
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
