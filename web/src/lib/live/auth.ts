import type { ErrorBody, ErrorCode, LoginResponse, SessionUser } from '@innboard/shared';
import { LiveError } from './errors.ts';

/** The signed-in user of this tab. Kept in sessionStorage so two tabs can be two different people. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms at which the access token expires. */
  expiresAt: number;
  /** Lifetime of the access token in ms, to pick when to refresh it. */
  lifetime: number;
  user: SessionUser;
}

const SESSION_KEY = 'innboard.session';

export function toSession(response: LoginResponse, now = Date.now()): Session {
  const lifetime = Math.max(0, response.expiresIn) * 1000;
  return {
    accessToken: response.accessToken,
    refreshToken: response.refreshToken,
    expiresAt: now + lifetime,
    lifetime,
    user: response.user,
  };
}

export function loadSession(storage: Storage | undefined): Session | null {
  try {
    const raw = storage?.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' && s.user ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(storage: Storage | undefined, session: Session | null): void {
  try {
    if (session) storage?.setItem(SESSION_KEY, JSON.stringify(session));
    else storage?.removeItem(SESSION_KEY);
  } catch {
    // Storage full or blocked: the session still lives in memory for this page.
  }
}

/** When to refresh: a minute before expiry, or at 80% of a short lifetime. */
export function refreshDelay(session: Session, now = Date.now()): number {
  const lead = Math.min(60_000, session.lifetime * 0.2);
  return Math.max(0, session.expiresAt - lead - now);
}

export class AuthApi {
  readonly #origin: string;

  constructor(origin: string) {
    this.#origin = origin;
  }

  login(email: string, password: string): Promise<LoginResponse> {
    return this.#post<LoginResponse>('/api/auth/login', { email, password }, {
      401: 'Email or password is incorrect.',
    });
  }

  refresh(refreshToken: string): Promise<LoginResponse> {
    return this.#post<LoginResponse>('/api/auth/refresh', { refreshToken }, {
      401: 'Your session has ended. Please sign in again.',
    });
  }

  async logout(refreshToken: string): Promise<void> {
    await this.#post<unknown>('/api/auth/logout', { refreshToken }, {});
  }

  async #post<T>(path: string, body: unknown, messages: Record<number, string>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.#origin), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new LiveError({ code: 'UNAVAILABLE', message: 'Cannot reach the Innboard server. Check the network and try again.' });
    }
    const data: unknown = await response.json().catch(() => undefined);
    if (response.ok) return data as T;
    const error = errorBodyOf(data);
    const code = error?.code ?? codeForStatus(response.status);
    throw new LiveError({ code, message: messages[response.status] ?? error?.message ?? '', details: error?.details });
  }
}

function errorBodyOf(data: unknown): Partial<ErrorBody> | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as { error?: unknown; code?: unknown; message?: unknown };
  if (d.error && typeof d.error === 'object') return d.error as Partial<ErrorBody>;
  if (typeof d.error === 'string') return { message: d.error };
  return { code: d.code as ErrorCode | undefined, message: typeof d.message === 'string' ? d.message : undefined };
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'VALIDATION';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503 || status === 502 || status === 504) return 'UNAVAILABLE';
  return 'INTERNAL';
}
