// Money typed by a person into minor units, exactly: "12.5" is 1250 cents, never 1249.9999.

const digitsCache = new Map<string, number>();

/** How many decimals the currency has (EUR 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

/**
 * "12.50", "12,5", "1 234.00" to minor units; null when it is not a positive amount with at most the
 * currency's decimals. String arithmetic, so no float rounding on the way.
 */
export function parseAmount(text: string, currency: string): number | null {
  const cleaned = text.trim().replace(/[\s\u00a0']/g, '').replace(',', '.');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const digits = currencyDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

/** Minor units back to what a person types ("12.50"), e.g. to prefill a refund with the paid amount. */
export function amountInput(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, '0')}`;
}
