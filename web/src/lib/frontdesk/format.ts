import type { ReservationStatus } from '@innboard/shared';

export const RESERVATION_STATUS_LABEL: Record<ReservationStatus, string> = {
  tentative: 'Tentative',
  confirmed: 'Confirmed',
  checked_in: 'In house',
  checked_out: 'Departed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Minor units to "€1,234.50"; the currency decides how many decimals it has (JPY none). */
export function money(minor: number, currency: string): string {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
    moneyFormats.set(currency, f);
  }
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

/** "2 adults, 1 child" */
export function party(adults: number, children: number): string {
  const a = `${adults} adult${adults === 1 ? '' : 's'}`;
  return children ? `${a}, ${children} child${children === 1 ? '' : 'ren'}` : a;
}

/** A short booking reference for people to read out on the phone. */
export function shortRef(id: string): string {
  return id.slice(0, 8).toUpperCase();
}
