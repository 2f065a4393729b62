import { describe, expect, it } from 'vitest';
import { createTargetProperties } from './target-properties.ts';

describe('createTargetProperties', () => {
  it('forgets the least recently used target beyond its capacity, and a target found gone', () => {
    const targets = createTargetProperties(2);
    targets.learn('room-a', 'p1');
    targets.learn('room-b', 'p1');
    expect(targets.get('room-a')).toBe('p1');
    targets.learn('room-c', 'p2');
    expect([targets.get('room-a'), targets.get('room-b'), targets.get('room-c'), targets.size]).toEqual(['p1', undefined, 'p2', 2]);
    targets.forget('room-a');
    expect([targets.get('room-a'), targets.size]).toEqual([undefined, 1]);
  });
});
