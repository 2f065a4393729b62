import { describe, expect, it } from 'vitest';
import { toMajorText, toMinor } from './amount.ts';

describe('amounts typed at the till', () => {
  it('reads what a cashier types into minor units, by the currency\'s digits', () => {
    expect(toMinor('12.5', 'EUR')).toBe(1250);
    expect(toMinor('12,50', 'EUR')).toBe(1250);
    expect(toMinor('7', 'EUR')).toBe(700);
    expect(toMinor('0.07', 'EUR')).toBe(7);
    expect(toMinor('1200', 'JPY')).toBe(1200);
    expect(toMinor('1.005', 'EUR')).toBeNull();
    expect(toMinor('-3', 'EUR')).toBeNull();
    expect(toMinor('abc', 'EUR')).toBeNull();
    expect(toMajorText(1250, 'EUR')).toBe('12.50');
  });
});
