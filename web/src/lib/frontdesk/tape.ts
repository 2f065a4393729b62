import type { FrontDeskModel, Reservation, RoomBlock } from './model.ts';
import { addDays, daysBetween, nightsOf } from './dates.ts';

// The tape chart's geometry and rules, free of Svelte so they can be tested: which bars go on which
// row, where unassigned stays stack, and whether a drop would collide with a stay or a block.

export interface TapeWindow {
  from: string;
  days: number;
}

/** One piece of a stay drawn on one row: a whole stay, or one room's part of a stay that moved rooms. */
export interface Bar {
  reservation: Reservation;
  roomId: string | null;
  from: string;
  to: string;
  /** Column of the first visible night and number of visible nights. */
  start: number;
  span: number;
  /** The stay continues before / after the visible window. */
  clippedStart: boolean;
  clippedEnd: boolean;
  /** This piece ends the stay (its right edge is the departure, so dragging it extends the stay). */
  isLast: boolean;
}

export interface BlockBar {
  block: RoomBlock;
  start: number;
  span: number;
}

export interface TapeLayout {
  byRoom: ReadonlyMap<string, Bar[]>;
  blocksByRoom: ReadonlyMap<string, BlockBar[]>;
  /** Unassigned stays with the lane (row) each is drawn in, so none overlap. */
  unassigned: Array<Bar & { lane: number }>;
  lanes: number;
}

/** Statuses drawn on the chart. Cancelled and no-show stays hold no room. */
const DRAWN = new Set<Reservation['status']>(['tentative', 'confirmed', 'checked_in', 'checked_out']);

function place(window: TapeWindow, from: string, to: string): { start: number; span: number; clippedStart: boolean; clippedEnd: boolean } | null {
  const end = addDays(window.from, window.days);
  if (to <= window.from || from >= end) return null;
  const first = from < window.from ? window.from : from;
  const last = to > end ? end : to;
  return { start: daysBetween(window.from, first), span: daysBetween(first, last), clippedStart: from < window.from, clippedEnd: to > end };
}

export function layoutTape(model: FrontDeskModel, window: TapeWindow): TapeLayout {
  const byRoom = new Map<string, Bar[]>();
  const loose: Bar[] = [];
  for (const reservation of Object.values(model.reservations)) {
    if (!DRAWN.has(reservation.status)) continue;
    if (reservation.segments.length === 0) {
      const at = place(window, reservation.arrival, reservation.departure);
      if (at) loose.push({ reservation, roomId: null, from: reservation.arrival, to: reservation.departure, ...at, isLast: true });
      continue;
    }
    reservation.segments.forEach((segment, i) => {
      const at = place(window, segment.from, segment.to);
      if (!at) return;
      const bar: Bar = { reservation, roomId: segment.roomId, from: segment.from, to: segment.to, ...at, isLast: i === reservation.segments.length - 1 };
      const list = byRoom.get(segment.roomId);
      if (list) list.push(bar);
      else byRoom.set(segment.roomId, [bar]);
    });
  }
  const blocksByRoom = new Map<string, BlockBar[]>();
  for (const block of Object.values(model.roomBlocks)) {
    const at = place(window, block.from, block.to);
    if (!at || block.to <= block.from) continue;
    const list = blocksByRoom.get(block.roomId) ?? [];
    list.push({ block, start: at.start, span: at.span });
    blocksByRoom.set(block.roomId, list);
  }
  const { placed, lanes } = packLanes(loose);
  return { byRoom, blocksByRoom, unassigned: placed, lanes };
}

/** First-fit lanes by arrival: each stay goes in the first lane whose last stay has left. */
export function packLanes<T extends { from: string; to: string; reservation: { id: string } }>(items: readonly T[]): { placed: Array<T & { lane: number }>; lanes: number } {
  const sorted = [...items].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.reservation.id.localeCompare(b.reservation.id));
  const laneEnds: string[] = [];
  const placed = sorted.map((item) => {
    let lane = laneEnds.findIndex((end) => end <= item.from);
    if (lane === -1) lane = laneEnds.push(item.to) - 1;
    else laneEnds[lane] = item.to;
    return { ...item, lane };
  });
  return { placed, lanes: laneEnds.length };
}

export type NightProblem = 'occupied' | 'out_of_order' | 'out_of_service';

export interface NightCheck {
  date: string;
  problem: NightProblem | null;
  /** Who holds the night, for the tooltip. */
  detail?: string;
}

/** Out-of-service rooms stay sellable: a warning, not a conflict. */
export const isBlocking = (p: NightProblem | null): boolean => p === 'occupied' || p === 'out_of_order';

/** Whether `roomId` is free on every night of [from, to), ignoring the stay being moved. */
export function checkNights(model: FrontDeskModel, roomId: string, from: string, to: string, ignoreReservationId?: string): NightCheck[] {
  const holders = Object.values(model.reservations).filter(
    (r) => r.id !== ignoreReservationId && DRAWN.has(r.status) && r.arrival < to && r.departure > from,
  );
  const blocks = Object.values(model.roomBlocks).filter((b) => b.roomId === roomId && b.from < to && b.to > from);
  return nightsOf(from, to).map((date) => {
    const stay = holders.find((r) => r.segments.some((s) => s.roomId === roomId && s.from <= date && date < s.to));
    if (stay) return { date, problem: 'occupied', detail: stay.guest.name };
    const block = blocks.find((b) => b.from <= date && date < b.to && b.kind === 'out_of_order')
      ?? blocks.find((b) => b.from <= date && date < b.to);
    if (block) return { date, problem: block.kind, detail: block.reason };
    return { date, problem: null };
  });
}
