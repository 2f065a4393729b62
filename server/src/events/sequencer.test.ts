import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@innboard/shared';
import { createEventSequencer } from './sequencer.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const ev = (propertyId: string, seq: number): EventEnvelope => ({ seq, propertyId, type: 'room.statusChanged', payload: {}, at: new Date(0).toISOString() });
const turn = () => new Promise((r) => setImmediate(r));
const recorder = () => {
  const published: string[] = [];
  const s = createEventSequencer((events) => published.push(...events.map((e) => `${e.propertyId === A ? 'A' : 'B'}${e.seq}`)));
  return { s, published };
};

describe('event sequencer', () => {
  it('publishes a property\'s events in seq order when writes complete out of order', async () => {
    const { s, published } = recorder();
    const first = s.issue([A]);
    const second = s.issue([A]);
    // The second write committed seq 6-7 but its reply is handled first: the first may hold seq 5.
    s.settle(second, [ev(A, 6), ev(A, 7)]);
    await turn();
    expect(published).toEqual([]);
    s.settle(first, [ev(A, 5)]);
    await turn();
    expect(published).toEqual(['A5', 'A6', 'A7']);
  });

  it('stops waiting for a write that rolled back or failed', async () => {
    const { s, published } = recorder();
    const failed = s.issue([A]);
    const done = s.issue([A]);
    s.settle(done, [ev(A, 1)]);
    await turn();
    expect(published).toEqual([]);
    s.settle(failed, []);
    await turn();
    expect(published).toEqual(['A1']);
  });

  it('does not hold a batch for a write sent after its reply arrived (that write gets a higher seq)', async () => {
    const { s, published } = recorder();
    const t1 = s.issue([A]);
    const t2 = s.issue([A]);
    s.settle(t1, [ev(A, 1)]);
    await turn();
    expect(published).toEqual([]); // t2 was in flight before t1's reply: it might hold a lower seq
    const t3 = s.issue([A]);
    s.settle(t2, [ev(A, 2)]);
    await turn();
    // A1's horizon (t2) is clear; A2's horizon includes t3, still in flight.
    expect(published).toEqual(['A1']);
    s.settle(t3, [ev(A, 3)]);
    await turn();
    expect(published).toEqual(['A1', 'A2', 'A3']);
  });

  it('releases a lower batch with a later horizon once a higher batch\'s horizon is clear', async () => {
    const { s, published } = recorder();
    const t1 = s.issue([A]);
    const t2 = s.issue([A]);
    s.settle(t2, [ev(A, 6)]); // horizon t2: waits for t1
    const t3 = s.issue([A]);
    s.settle(t1, [ev(A, 5)]); // horizon t3
    await turn();
    // A6's horizon is clear, so every lower seq committed here is settled: A5 goes too, although t3 is open.
    expect(published).toEqual(['A5', 'A6']);
    s.settle(t3, []);
    await turn();
    expect(published).toEqual(['A5', 'A6']);
  });

  it('never holds one property\'s events for another property\'s write, and publishes after the current turn', async () => {
    const { s, published } = recorder();
    const a = s.issue([A]);
    const b = s.issue([B]);
    s.settle(b, [ev(B, 9)]);
    expect(published).toEqual([]); // the ack goes out first
    await turn();
    expect(published).toEqual(['B9']);
    s.settle(a, [ev(A, 3)]);
    await turn();
    expect(published).toEqual(['B9', 'A3']);
  });

  it('orders a write that numbers events of several properties in each of them', async () => {
    const { s, published } = recorder();
    const both = s.issue([A, B]);
    const onlyB = s.issue([B]);
    s.settle(onlyB, [ev(B, 4)]);
    await turn();
    expect(published).toEqual([]);
    s.settle(both, [ev(A, 7), ev(B, 3)]);
    await turn();
    expect(published).toEqual(['A7', 'B3', 'B4']);
  });
});
