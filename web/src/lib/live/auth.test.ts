import { describe, expect, it } from 'vitest';
import type { LoginResponse } from '@innboard/shared';
import { memoryStorage } from '../testing/fixtures.ts';
import { loadSession, refreshDelay, saveSession, toSession } from './auth.ts';
import { describeError } from './errors.ts';

const response: LoginResponse = {
  accessToken: 'a.b.c',
  refreshToken: 'refresh-token-1',
  expiresIn: 900,
  user: { id: 'u1', email: 'frontdesk@innboard.demo', name: 'Frida', memberships: [] },
};

describe('session', () => {
  it('refreshes a minute before a long-lived token expires', () => {
    const s = toSession(response, 0);
    expect(s.expiresAt).toBe(900_000);
    expect(refreshDelay(s, 0)).toBe(840_000);
  });

  it('refreshes at 80% of a short lifetime, and at once when overdue', () => {
    const s = toSession({ ...response, expiresIn: 10 }, 0);
    expect(refreshDelay(s, 0)).toBe(8_000);
    expect(refreshDelay(s, 20_000)).toBe(0);
  });

  it('round-trips through storage and tolerates garbage', () => {
    const storage = memoryStorage();
    const s = toSession(response, 0);
    saveSession(storage, s);
    expect(loadSession(storage)).toEqual(s);
    storage.setItem('innboard.session', '{not json');
    expect(loadSession(storage)).toBeNull();
    saveSession(storage, null);
    expect(loadSession(storage)).toBeNull();
  });
});

describe('describeError', () => {
  it("prefers the server's message and falls back to one per code", () => {
    expect(describeError({ code: 'CONFLICT', message: 'Room 101 is occupied' })).toBe('Room 101 is occupied');
    expect(describeError({ code: 'RATE_LIMITED', message: '' })).toMatch(/Wait a moment/);
  });
});
