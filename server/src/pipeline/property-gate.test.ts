import { describe, expect, it } from 'vitest';
import { createPropertyGate } from './property-gate.ts';

const flushed = () => new Promise((r) => setImmediate(r));

describe('property gate', () => {
  it('lets `slots` statements of a property through and queues the rest in order', async () => {
    const gate = createPropertyGate(2);
    expect(gate.acquire('p')).toBeNull();
    expect(gate.acquire('p')).toBeNull();
    const order: number[] = [];
    void gate.acquire('p')!.then(() => order.push(3));
    void gate.acquire('p')!.then(() => order.push(4));
    await flushed();
    expect(order).toEqual([]);
    gate.release('p');
    await flushed();
    expect(order).toEqual([3]);
    gate.release('p');
    await flushed();
    expect(order).toEqual([3, 4]);
    // Both handed-over slots are still taken: a fifth waits.
    let fifth = false;
    void gate.acquire('p')!.then(() => (fifth = true));
    await flushed();
    expect(fifth).toBe(false);
  });

  it('never holds one property back for another, and frees a property whose statements are all over', () => {
    const gate = createPropertyGate(1);
    expect(gate.acquire('a')).toBeNull();
    expect(gate.acquire('a')).not.toBeNull();
    expect(gate.acquire('b')).toBeNull();
    gate.release('b');
    expect(gate.acquire('b')).toBeNull();
    gate.release('b');
    gate.release('a'); // to the waiter
    gate.release('a'); // the waiter's statement is over
    expect(gate.acquire('a')).toBeNull();
  });
});
