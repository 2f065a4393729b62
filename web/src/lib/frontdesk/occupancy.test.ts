import { describe, expect, it } from 'vitest';
import { EMPTY_FRONT_DESK, type FrontDeskModel, type Reservation } from './model.ts';
import { occupancyForecast, percent, todayCounts } from './occupancy.ts';
import { block, reservation } from './fixtures.test-util.ts';

const TODAY = '2026-11-21';

function model(list: Reservation[], blocks = [block('b1', 'room-9', '2026-11-22', '2026-11-24')]): FrontDeskModel {
  return { ...EMPTY_FRONT_DESK, reservations: Object.fromEntries(list.map((r) => [r.id, r])), roomBlocks: Object.fromEntries(blocks.map((b) => [b.id, b])) };
}

describe('occupancy from the live model', () => {
  const stays = [
    reservation('due', TODAY, '2026-11-23', { room: 'room-1' }),
    reservation('arrived', TODAY, '2026-11-22', { room: 'room-2', status: 'checked_in' }),
    reservation('staying', '2026-11-19', '2026-11-25', { room: 'room-3', status: 'checked_in' }),
    reservation('leaving', '2026-11-18', TODAY, { room: 'room-4', status: 'checked_in' }),
    reservation('left', '2026-11-19', TODAY, { room: 'room-5', status: 'checked_out' }),
    reservation('gone', TODAY, '2026-11-24', { status: 'cancelled' }),
    reservation('later', '2026-11-23', '2026-11-24'),
  ];

  it('counts sold nights, leaving out cancelled stays and out-of-order rooms', () => {
    const days = occupancyForecast(model(stays), 10, TODAY, 4);
    expect(days.map((d) => [d.date, d.sold, d.available])).toEqual([
      ['2026-11-21', 3, 10],
      ['2026-11-22', 2, 9],
      ['2026-11-23', 2, 9],
      ['2026-11-24', 1, 10],
    ]);
    expect(days[0]!.occupancy).toBe(30);
  });

  it("gives today's front-desk counts as the server defines them", () => {
    expect(todayCounts(model(stays), 10, TODAY)).toMatchObject({
      sold: 3, available: 10, occupancy: 30,
      arrivalsExpected: 1, arrivalsCheckedIn: 1, departuresExpected: 1, departuresCheckedOut: 1, inHouse: 3,
    });
  });

  it('rounds to one decimal and never divides by zero', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(1, 0)).toBe(0);
  });
});
