import { refreshDelay, saveSession, toSession, type AuthApi, type Session } from './auth.ts';
import { LiveError } from './errors.ts';

export interface SessionTokensOptions {
  auth: AuthApi;
  storage: Storage | undefined;
  session: Session | null;
  /** New tokens are in (e.g. reopen a socket refused for its old token). */
  onRotated(): void;
  /** The server refused the refresh token: the session is over. */
  onExpired(): void;
  onChange(): void;
}

/** After a refresh the server did not answer (unreachable), try again this much later. */
const REFRESH_RETRY_MS = 6_000;

/** This tab's session: kept in storage, its access token rotated before it expires. */
export class SessionTokens {
  readonly #o: SessionTokensOptions;
  #session: Session | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<boolean> | null = null;

  constructor(options: SessionTokensOptions) {
    this.#o = options;
    this.#session = options.session;
  }

  get current(): Session | null {
    return this.#session;
  }

  set(session: Session | null): void {
    this.#session = session;
    saveSession(this.#o.storage, session);
    this.#o.onChange();
  }

  /** Rotate tokens. One refresh at a time; false when the session is over or the server is unreachable. */
  refresh(): Promise<boolean> {
    this.#refreshing ??= this.#rotate().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /** The access token is (nearly) expired, e.g. after a laptop slept through the timer. */
  get due(): boolean {
    return this.#session !== null && refreshDelay(this.#session) === 0;
  }

  /** Refresh shortly before the access token expires (or after `delay`). */
  schedule(delay?: number): void {
    clearTimeout(this.#timer);
    const session = this.#session;
    if (!session) return;
    this.#timer = setTimeout(() => void this.refresh(), delay ?? refreshDelay(session));
  }

  unschedule(): void {
    clearTimeout(this.#timer);
  }

  async #rotate(): Promise<boolean> {
    const session = this.#session;
    if (!session) return false;
    try {
      const response = await this.#o.auth.refresh(session.refreshToken);
      if (this.#session !== session) return false; // signed out meanwhile
      this.set(toSession(response));
      this.schedule();
      this.#o.onRotated();
      return true;
    } catch (error) {
      if (error instanceof LiveError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')) {
        this.#o.onExpired();
      } else {
        this.schedule(REFRESH_RETRY_MS);
      }
      return false;
    }
  }
}
