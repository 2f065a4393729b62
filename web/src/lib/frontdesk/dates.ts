// Hotel dates are calendar dates (YYYY-MM-DD) in the property's zone, never instants: all arithmetic is
// done at UTC midnight so the browser's own time zone and DST can never shift a night.

const DAY_MS = 86_400_000;

function toUtc(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function addDays(date: string, days: number): string {
  return new Date(toUtc(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** `count` consecutive dates starting at `from`. */
export function dateRange(from: string, count: number): string[] {
  return Array.from({ length: Math.max(0, count) }, (_, i) => addDays(from, i));
}

/** The nights of a stay: arrival up to, not including, departure. */
export function nightsOf(arrival: string, departure: string): string[] {
  return dateRange(arrival, daysBetween(arrival, departure));
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(date: string): number {
  return new Date(toUtc(date)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const d = weekdayOf(date);
  return d === 0 || d === 6;
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' });
const shortFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const longFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "Mon" */
export function weekdayLabel(date: string): string {
  return dayFormat.format(toUtc(date));
}

/** "24 Nov" */
export function shortDate(date: string): string {
  return shortFormat.format(toUtc(date));
}

/** "Mon, 24 Nov 2026" */
export function longDate(date: string): string {
  return longFormat.format(toUtc(date));
}

/** "24 Nov – 27 Nov · 3 nights" */
export function stayLabel(arrival: string, departure: string): string {
  const n = daysBetween(arrival, departure);
  return `${shortDate(arrival)} – ${shortDate(departure)} · ${n} night${n === 1 ? '' : 's'}`;
}

export function isHotelDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(toUtc(value)) && addDays(value, 0) === value;
}
