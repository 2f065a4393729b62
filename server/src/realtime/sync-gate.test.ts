import { describe, expect, it } from 'vitest';
import type { SyncResult } from '@innboard/shared';
import { createSyncGate, SYNC_BUSY } from './sync-gate.ts';

const P = '00000000-0000-4000-8000-000000000001';
const Q = '00000000-0000-4000-8000-000000000002';

/** A read that stays open until the test finishes it, counting how often it really ran. */
function controlledRead() {
  const calls: Array<{ propertyId: string; since: number | undefined; finish: (r: SyncResult) => void; fail: (e: Error) => void }> = [];
  const read = (propertyId: string, since: number | undefined) =>
    new Promise<SyncResult>((finish, fail) => calls.push({ propertyId, since, finish, fail }));
  return { calls, read };
}

describe('sync gate', () => {
  it('shares one read among identical requests running at once, and reads again once it finished', async () => {
    const { calls, read } = controlledRead();
    const gate = createSyncGate(read, { concurrency: 1, perSocket: 1 });
    const a = gate.run(P, undefined);
    const b = gate.run(P, undefined);
    expect(calls).toHaveLength(1);
    const answer: SyncResult = { ok: true, seq: 7, events: [] };
    calls[0]!.finish(answer);
    expect(await a).toBe(answer);
    expect(await b).toBe(answer);
    const c = gate.run(P, undefined);
    expect(calls).toHaveLength(2);
    calls[1]!.finish(answer);
    await c;
  });

  it('refuses a distinct read RATE_LIMITED while the node is full, without starting it', async () => {
    const { calls, read } = controlledRead();
    const gate = createSyncGate(read, { concurrency: 2, perSocket: 5 });
    const first = gate.run(P, undefined);
    const second = gate.run(P, 10);
    expect(await gate.run(Q, undefined)).toEqual(SYNC_BUSY);
    expect(SYNC_BUSY).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // Joining a read that is running costs nothing, so it is let in even now.
    const joined = gate.run(P, 10);
    expect(calls.map((c) => [c.propertyId, c.since])).toEqual([[P, undefined], [P, 10]]);
    calls[1]!.fail(new Error('database gone'));
    await expect(second).rejects.toThrow('database gone');
    await expect(joined).rejects.toThrow('database gone');
    // A failed read frees its place like a finished one.
    const third = gate.run(Q, undefined);
    expect(calls).toHaveLength(3);
    calls[0]!.finish({ ok: true, seq: 1, events: [] });
    calls[2]!.finish({ ok: true, seq: 1, events: [] });
    await Promise.all([first, third]);
  });

  it('gives each socket a fixed number of places, returned when it leaves', () => {
    const gate = createSyncGate(controlledRead().read, { concurrency: 4, perSocket: 2 });
    expect([gate.enter('s1'), gate.enter('s1'), gate.enter('s1')]).toEqual([true, true, false]);
    expect(gate.enter('s2')).toBe(true);
    gate.leave('s1');
    expect(gate.enter('s1')).toBe(true);
    expect(gate.enter('s1')).toBe(false);
  });
});
