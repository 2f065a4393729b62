import { describe, expect, it } from 'vitest';
import { deskList, matches } from './lists.ts';
import { reservation } from './fixtures.test-util.ts';

const TODAY = '2026-11-21';

describe('front desk lists', () => {
  const list = [
    reservation('due', TODAY, '2026-11-23', { room: 'a' }),
    reservation('in', TODAY, '2026-11-23', { room: 'b', status: 'checked_in' }),
    reservation('out', '2026-11-19', TODAY, { room: 'c', status: 'checked_in' }),
    reservation('overdue', '2026-11-18', '2026-11-20', { room: 'd', status: 'checked_in' }),
    reservation('left', '2026-11-19', TODAY, { room: 'e', status: 'checked_out' }),
    reservation('cancelled', TODAY, '2026-11-22', { status: 'cancelled' }),
  ];

  it('lists arrivals still to check in first', () => {
    expect(deskList(list, 'arrivals', TODAY).map((r) => r.id)).toEqual(['due', 'in']);
  });

  it('lists departures due or overdue, then those who left', () => {
    expect(deskList(list, 'departures', TODAY).map((r) => r.id)).toEqual(['overdue', 'out', 'left']);
  });

  it('lists everyone in house', () => {
    expect(deskList(list, 'inHouse', TODAY).map((r) => r.id).sort()).toEqual(['in', 'out', 'overdue']);
  });

  it('searches name, room and reference, ignoring case and accents', () => {
    const r = { ...list[0]!, guest: { id: 'g', name: 'Müller, José', vip: false } };
    const room = (id: string | null) => (id === 'a' ? '204' : null);
    expect(matches(r, 'muller jose', room)).toBe(true);
    expect(matches(r, '204', room)).toBe(true);
    expect(matches(r, 'smith', room)).toBe(false);
    expect(matches(r, '  ', room)).toBe(true);
  });
});
