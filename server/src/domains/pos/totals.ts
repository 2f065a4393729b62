// How an order adds up. Prices are gross (tax included); the order discount is spread over the tax
// rates in proportion to their amounts, so the included tax shrinks with it.
import type { OrderTotals } from '@innboard/shared';

/** Live (not voided) lines of one tax rate: their amounts and their own discounts. */
export interface RateGroup {
  taxRate: number;
  amount: number;
  lineDiscount: number;
}

export interface OrderDiscountRule {
  percent: number | null;
  amount: number | null;
}

/** Tax included in a gross amount at a rate in basis points, rounded half up. */
export function includedTax(gross: number, taxRate: number): number {
  return Math.round((gross * taxRate) / (10_000 + taxRate));
}

/** The order discount on what the lines come to after their own discounts (never more than that). */
export function orderDiscountOf(rule: OrderDiscountRule | null, afterLines: number): number {
  if (!rule || afterLines <= 0) return 0;
  if (rule.percent !== null) return Math.round((afterLines * rule.percent) / 100);
  return Math.min(rule.amount ?? 0, afterLines);
}

/** Splits `total` over weights by largest remainder, so the parts always sum to `total`. */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

export function computeTotals(groups: readonly RateGroup[], rule: OrderDiscountRule | null, paid: number, tips: number): OrderTotals {
  const subtotal = groups.reduce((s, g) => s + g.amount, 0);
  const lineDiscount = groups.reduce((s, g) => s + g.lineDiscount, 0);
  const nets = groups.map((g) => g.amount - g.lineDiscount);
  const afterLines = subtotal - lineDiscount;
  const orderDiscount = orderDiscountOf(rule, afterLines);
  const spread = allocate(orderDiscount, nets);
  const tax = groups.reduce((s, g, i) => s + includedTax(nets[i]! - spread[i]!, g.taxRate), 0);
  const total = afterLines - orderDiscount;
  return { subtotal, discount: lineDiscount + orderDiscount, total, tax, paid, tips, due: Math.max(0, total - paid) };
}

/** Equal shares of `amount`, the first ones taking the odd cents. */
export function evenShares(amount: number, parts: number): number[] {
  return allocate(amount, Array.from({ length: parts }, () => 1));
}
