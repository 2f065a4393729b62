import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenService } from './tokens.ts';

const SECRET = 'tokens-test-secret-0123456789-0123456789';

describe('access token verification', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a token it verified before from memory only until the token expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const tokens = createTokenService(SECRET, 30);
    const token = await tokens.signAccess('user-1');
    expect(await tokens.verifyAccess(token)).toEqual({ userId: 'user-1' });
    expect(await tokens.verifyAccess(token)).toEqual({ userId: 'user-1' });
    vi.setSystemTime(Date.now() + 31_000);
    expect(await tokens.verifyAccess(token)).toBeNull();
  });

  it('verifies in full a token that differs from a remembered one in any byte', async () => {
    const tokens = createTokenService(SECRET, 900);
    const token = await tokens.signAccess('user-1');
    expect(await tokens.verifyAccess(token)).toEqual({ userId: 'user-1' });
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'admin' })).toString('base64url');
    expect(await tokens.verifyAccess(`${header}.${forged}.${signature}`)).toBeNull();
    const flipped = signature!.slice(0, -2) + (signature!.at(-2) === 'A' ? 'B' : 'A') + signature!.at(-1);
    expect(await tokens.verifyAccess(`${header}.${payload}.${flipped}`)).toBeNull();
    // Another service's memory is its own: a token of another secret is refused there even once verified here.
    expect(await createTokenService(`${SECRET}-other`, 900).verifyAccess(token)).toBeNull();
  });
});
