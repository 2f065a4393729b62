import type { FrontDeskModel, Reservation, RoomBlock } from './model.ts';
import { dateRange } from './dates.ts';

// The manager's numbers, computed from the live model so they move the moment an event lands. The
// definitions mirror the server's report.occupancy: a sold room-night is a night of a tentative,
// confirmed, in-house or departed stay; rooms out of order that night are not available.

const SELLING = new Set<Reservation['status']>(['tentative', 'confirmed', 'checked_in', 'checked_out']);

export interface OccupancyPoint {
  date: string;
  available: number;
  outOfOrder: number;
  sold: number;
  /** sold / available x 100, one decimal. */
  occupancy: number;
}

export interface TodayCounts extends OccupancyPoint {
  arrivalsExpected: number;
  arrivalsCheckedIn: number;
  departuresExpected: number;
  departuresCheckedOut: number;
  inHouse: number;
}

export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

export function isSelling(r: Reservation): boolean {
  return SELLING.has(r.status);
}

function outOfOrderOn(blocks: readonly RoomBlock[], date: string): number {
  const rooms = new Set<string>();
  for (const b of blocks) if (b.kind === 'out_of_order' && b.from <= date && date < b.to) rooms.add(b.roomId);
  return rooms.size;
}

/** Occupancy per night from `from` for `days` nights. */
export function occupancyForecast(model: FrontDeskModel, roomCount: number, from: string, days: number): OccupancyPoint[] {
  const dates = dateRange(from, days);
  const sold = new Map(dates.map((d) => [d, 0]));
  const last = dates[dates.length - 1] ?? from;
  for (const r of Object.values(model.reservations)) {
    if (!isSelling(r) || r.departure <= from || r.arrival > last) continue;
    for (const d of dates) if (r.arrival <= d && d < r.departure) sold.set(d, sold.get(d)! + 1);
  }
  const blocks = Object.values(model.roomBlocks);
  return dates.map((date) => {
    const outOfOrder = outOfOrderOn(blocks, date);
    const available = Math.max(0, roomCount - outOfOrder);
    const n = sold.get(date)!;
    return { date, available, outOfOrder, sold: n, occupancy: percent(n, available) };
  });
}

/** The business date's front-desk counts. */
export function todayCounts(model: FrontDeskModel, roomCount: number, today: string): TodayCounts {
  const [point] = occupancyForecast(model, roomCount, today, 1);
  const counts = { arrivalsExpected: 0, arrivalsCheckedIn: 0, departuresExpected: 0, departuresCheckedOut: 0, inHouse: 0 };
  for (const r of Object.values(model.reservations)) {
    if (r.arrival > today) continue;
    const arrivingToday = r.arrival === today;
    if (arrivingToday && (r.status === 'tentative' || r.status === 'confirmed')) counts.arrivalsExpected++;
    if (arrivingToday && (r.status === 'checked_in' || r.status === 'checked_out')) counts.arrivalsCheckedIn++;
    if (r.status === 'checked_in' && r.departure <= today) counts.departuresExpected++;
    if (r.status === 'checked_out' && r.departure === today) counts.departuresCheckedOut++;
    if (r.status === 'checked_in') counts.inHouse++;
  }
  return { ...point!, ...counts };
}
