import { describe, expect, it } from 'vitest';
import type { LoginResponse } from '@innboard/shared';
import { memoryStorage } from '../testing/fixtures.ts';
import { loadSession, toSession, type AuthApi } from './auth.ts';
import { LiveError } from './errors.ts';
import { SessionTokens } from './session-tokens.ts';

const user = { id: 'u1', email: 'frontdesk@innboard.demo', name: 'Frida', memberships: [] };
const issued = (n: number): LoginResponse => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 900, user });

function tokens(refresh: (token: string) => Promise<LoginResponse>) {
  const calls = { rotated: 0, expired: 0, refreshed: [] as string[] };
  const storage = memoryStorage();
  const auth = { refresh: (token: string) => (calls.refreshed.push(token), refresh(token)) } as unknown as AuthApi;
  const keeper = new SessionTokens({
    auth, storage, session: toSession(issued(1)),
    onRotated: () => calls.rotated++, onExpired: () => calls.expired++, onChange: () => undefined,
  });
  return { keeper, calls, storage };
}

describe('SessionTokens', () => {
  it('rotates with the refresh token, stores the new session and says so; one refresh at a time', async () => {
    const { keeper, calls, storage } = tokens(async () => issued(2));
    const [a, b] = [keeper.refresh(), keeper.refresh()];
    expect(await a).toBe(true);
    expect(await b).toBe(true);
    expect(calls.refreshed).toEqual(['refresh-1']);
    expect(keeper.current?.accessToken).toBe('access-2');
    expect(loadSession(storage)?.refreshToken).toBe('refresh-2');
    expect(calls.rotated).toBe(1);
    keeper.unschedule();
  });

  it('ends the session when the server refuses the refresh token, and keeps it when the server is unreachable', async () => {
    const refused = tokens(async () => {
      throw new LiveError({ code: 'UNAUTHORIZED', message: 'Your session has ended.' });
    });
    expect(await refused.keeper.refresh()).toBe(false);
    expect(refused.calls.expired).toBe(1);

    const unreachable = tokens(async () => {
      throw new LiveError({ code: 'UNAVAILABLE', message: 'Cannot reach the server.' });
    });
    expect(await unreachable.keeper.refresh()).toBe(false);
    expect(unreachable.calls.expired).toBe(0);
    expect(unreachable.keeper.current?.accessToken).toBe('access-1');
    unreachable.keeper.unschedule();
  });
});
