import { describe, expect, it } from 'vitest';
import { amountInput, parseAmount } from './amount.ts';

describe('parseAmount', () => {
  it('reads decimals exactly into minor units', () => {
    expect(parseAmount('12.50', 'EUR')).toBe(1250);
    expect(parseAmount('12,5', 'EUR')).toBe(1250);
    expect(parseAmount(' 1 234.05 ', 'EUR')).toBe(123405);
    expect(parseAmount('0.29', 'EUR')).toBe(29);
    expect(parseAmount('19.99', 'EUR')).toBe(1999);
    expect(parseAmount('7', 'EUR')).toBe(700);
  });

  it('follows the currency decimals', () => {
    expect(parseAmount('1500', 'JPY')).toBe(1500);
    expect(parseAmount('1500.5', 'JPY')).toBeNull();
    expect(parseAmount('1.234', 'KWD')).toBe(1234);
  });

  it('refuses what is not a positive amount', () => {
    for (const bad of ['', 'abc', '-5', '0', '0.00', '1.234', '1.2.3', '1e3']) expect(parseAmount(bad, 'EUR'), bad).toBeNull();
  });
});

describe('amountInput', () => {
  it('writes minor units as a person would type them', () => {
    expect(amountInput(1250, 'EUR')).toBe('12.50');
    expect(amountInput(5, 'EUR')).toBe('0.05');
    expect(amountInput(-305, 'EUR')).toBe('-3.05');
    expect(amountInput(1500, 'JPY')).toBe('1500');
    expect(parseAmount(amountInput(98765, 'EUR'), 'EUR')).toBe(98765);
  });
});
