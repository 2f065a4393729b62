import { describe, expect, it } from 'vitest';
import { allocate, computeTotals, evenShares, includedTax } from './totals.ts';
import { isOpenAt } from './opening-hours.ts';

describe('order totals', () => {
  it('takes the tax included in gross prices, per rate', () => {
    expect(includedTax(1190, 1900)).toBe(190);
    expect(includedTax(1070, 700)).toBe(70);
    const t = computeTotals([{ taxRate: 700, amount: 3200, lineDiscount: 0 }, { taxRate: 1900, amount: 1350, lineDiscount: 0 }], null, 0, 0);
    expect(t).toEqual({ subtotal: 4550, discount: 0, total: 4550, tax: 209 + 216, paid: 0, tips: 0, due: 4550 });
  });

  it('spreads an order discount over the rates so the tax shrinks with it', () => {
    const t = computeTotals([{ taxRate: 700, amount: 3200, lineDiscount: 0 }, { taxRate: 1900, amount: 1350, lineDiscount: 350 }], { percent: 10, amount: null }, 1000, 200);
    // After the line discount 4200; 10 % = 420 split 320 / 100.
    expect(t).toEqual({ subtotal: 4550, discount: 350 + 420, total: 3780, tax: includedTax(2880, 700) + includedTax(900, 1900), paid: 1000, tips: 200, due: 2780 });
  });

  it('never discounts more than the order is worth', () => {
    const t = computeTotals([{ taxRate: 700, amount: 500, lineDiscount: 0 }], { percent: null, amount: 9999 }, 0, 0);
    expect(t).toMatchObject({ discount: 500, total: 0, tax: 0, due: 0 });
  });

  it('allocates by largest remainder and splits evenly with the odd cents first', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [0, 0])).toEqual([0, 0]);
    expect(evenShares(1001, 4)).toEqual([251, 250, 250, 250]);
    expect(evenShares(1001, 4).reduce((a, b) => a + b, 0)).toBe(1001);
  });
});

describe('opening hours', () => {
  // Saturday 2026-12-05 in Berlin (UTC+1).
  const at = (utc: string) => new Date(utc);
  const bar = [{ days: [5, 6], opens: '18:00', closes: '02:00' }];

  it('opens and closes on the property wall clock, past midnight included', () => {
    expect(isOpenAt(null, 'Europe/Berlin', at('2026-12-05T03:00:00Z'))).toBe(true);
    expect(isOpenAt(bar, 'Europe/Berlin', at('2026-12-05T16:59:00Z'))).toBe(false);
    expect(isOpenAt(bar, 'Europe/Berlin', at('2026-12-05T17:00:00Z'))).toBe(true);
    // Sunday 01:30 Berlin: still Saturday's night.
    expect(isOpenAt(bar, 'Europe/Berlin', at('2026-12-06T00:30:00Z'))).toBe(true);
    expect(isOpenAt(bar, 'Europe/Berlin', at('2026-12-06T01:00:00Z'))).toBe(false);
    // Thursday night is not a bar night.
    expect(isOpenAt(bar, 'Europe/Berlin', at('2026-12-03T20:00:00Z'))).toBe(false);
    expect(isOpenAt([{ days: [0, 1, 2, 3, 4, 5, 6], opens: '07:00', closes: '10:30' }], 'America/New_York', at('2026-12-05T12:00:00Z'))).toBe(true);
  });
});
