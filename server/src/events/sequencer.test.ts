import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@innboard/shared';
import { createEventSequencer } from './sequencer.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const ev = (propertyId: string, seq: number): EventEnvelope => ({ seq, propertyId, type: 'room.statusChanged', payload: {}, at: new Date(0).toISOString() });
const turn = () => new Promise((r) => setImmediate(r));

describe('event sequencer', () => {
  it('publishes a property\'s events in seq order when commits complete out of order', async () => {
    const published: number[] = [];
    const s = createEventSequencer((events) => published.push(...events.map((e) => e.seq)));
    s.claim([ev(A, 5)]);
    s.claim([ev(A, 6), ev(A, 7)]);
    s.committed([ev(A, 6), ev(A, 7)]);
    await turn();
    expect(published).toEqual([]);
    s.committed([ev(A, 5)]);
    await turn();
    expect(published).toEqual([5, 6, 7]);
  });

  it('stops waiting for numbers a rolled-back command gave back', async () => {
    const published: number[] = [];
    const s = createEventSequencer((events) => published.push(...events.map((e) => e.seq)));
    s.claim([ev(A, 1)]);
    s.claim([ev(A, 2)]);
    s.committed([ev(A, 2)]);
    s.abandoned([ev(A, 1)]);
    await turn();
    expect(published).toEqual([2]);
  });

  it('never holds one property\'s events for another property\'s claim, and publishes after the current turn', async () => {
    const published: string[] = [];
    const s = createEventSequencer((events) => published.push(...events.map((e) => `${e.propertyId === A ? 'A' : 'B'}${e.seq}`)));
    s.claim([ev(A, 3)]);
    s.claim([ev(B, 9)]);
    s.committed([ev(B, 9)]);
    expect(published).toEqual([]); // the ack goes out first
    await turn();
    expect(published).toEqual(['B9']);
    s.committed([ev(A, 3)]);
    await turn();
    expect(published).toEqual(['B9', 'A3']);
  });
});
