import { afterEach, describe, expect, it, vi } from 'vitest';
import { addDays, dateRange, daysBetween, isHotelDate, isWeekend, nightsOf, shortDate, stayLabel, weekdayLabel } from './dates.ts';

describe('hotel dates', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('adds days across month, year and DST boundaries', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('counts days and lists nights (departure exclusive)', () => {
    expect(daysBetween('2026-11-20', '2026-11-23')).toBe(3);
    expect(daysBetween('2026-11-23', '2026-11-20')).toBe(-3);
    expect(nightsOf('2026-11-30', '2026-12-02')).toEqual(['2026-11-30', '2026-12-01']);
    expect(nightsOf('2026-11-30', '2026-11-30')).toEqual([]);
    expect(dateRange('2026-11-30', 3)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
  });

  it('labels dates the same in every browser zone', () => {
    expect(weekdayLabel('2026-11-23')).toBe('Mon');
    expect(shortDate('2026-11-23')).toBe('23 Nov');
    expect(isWeekend('2026-11-22')).toBe(true);
    expect(isWeekend('2026-11-23')).toBe(false);
    expect(stayLabel('2026-11-23', '2026-11-24')).toBe('23 Nov – 24 Nov · 1 night');
  });

  it('accepts only real calendar dates', () => {
    expect(isHotelDate('2026-02-28')).toBe(true);
    expect(isHotelDate('2026-02-30')).toBe(false);
    expect(isHotelDate('26-02-01')).toBe(false);
  });
});
