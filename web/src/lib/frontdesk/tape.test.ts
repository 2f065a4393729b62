import { describe, expect, it } from 'vitest';
import { EMPTY_FRONT_DESK, type FrontDeskModel, type Reservation, type RoomBlock } from './model.ts';
import { checkNights, layoutTape, packLanes } from './tape.ts';
import { block, reservation } from './fixtures.test-util.ts';

function model(list: Reservation[], blocks: RoomBlock[] = []): FrontDeskModel {
  return { ...EMPTY_FRONT_DESK, reservations: Object.fromEntries(list.map((r) => [r.id, r])), roomBlocks: Object.fromEntries(blocks.map((b) => [b.id, b])) };
}
const window = { from: '2026-11-20', days: 14 };

describe('tape chart layout', () => {
  it('puts each room segment on its row, clipped to the window', () => {
    const moved = reservation('m', '2026-11-18', '2026-11-24', { room: 'a', status: 'checked_in' });
    moved.segments = [{ roomId: 'a', roomTypeId: moved.roomTypeId, from: '2026-11-18', to: '2026-11-22' }, { roomId: 'b', roomTypeId: moved.roomTypeId, from: '2026-11-22', to: '2026-11-24' }];
    const layout = layoutTape(model([moved, reservation('far', '2026-12-20', '2026-12-22', { room: 'a' })]), window);
    expect(layout.byRoom.get('a')).toMatchObject([{ start: 0, span: 2, clippedStart: true, clippedEnd: false, isLast: false }]);
    expect(layout.byRoom.get('b')).toMatchObject([{ start: 2, span: 2, clippedStart: false, isLast: true }]);
  });

  it('leaves cancelled and no-show stays off the chart and stacks unassigned ones in lanes', () => {
    const layout = layoutTape(model([
      reservation('u1', '2026-11-21', '2026-11-24'),
      reservation('u2', '2026-11-22', '2026-11-23'),
      reservation('u3', '2026-11-24', '2026-11-26'),
      reservation('x', '2026-11-21', '2026-11-24', { status: 'cancelled' }),
      reservation('y', '2026-11-21', '2026-11-24', { status: 'no_show' }),
    ]), window);
    expect(layout.unassigned.map((b) => [b.reservation.id, b.lane])).toEqual([['u1', 0], ['u2', 1], ['u3', 0]]);
    expect(layout.lanes).toBe(2);
  });

  it('draws blocks on their room', () => {
    const layout = layoutTape(model([], [block('b', 'a', '2026-11-19', '2026-11-21')]), window);
    expect(layout.blocksByRoom.get('a')).toMatchObject([{ start: 0, span: 1 }]);
  });

  it('packs adjacent stays (departure = next arrival) into one lane', () => {
    const items = [reservation('a', '2026-11-20', '2026-11-22'), reservation('b', '2026-11-22', '2026-11-23')].map((r) => ({ reservation: r, from: r.arrival, to: r.departure }));
    expect(packLanes(items).lanes).toBe(1);
  });
});

describe('night checks', () => {
  const m = model(
    [reservation('holder', '2026-11-22', '2026-11-24', { room: 'a' }), reservation('me', '2026-11-20', '2026-11-23', { room: 'b' })],
    [block('ooo', 'a', '2026-11-25', '2026-11-26'), block('oos', 'a', '2026-11-26', '2026-11-27', 'out_of_service')],
  );

  it('marks nights held by another stay or a block', () => {
    expect(checkNights(m, 'a', '2026-11-21', '2026-11-27').map((n) => n.problem)).toEqual([null, 'occupied', 'occupied', null, 'out_of_order', 'out_of_service']);
    expect(checkNights(m, 'a', '2026-11-22', '2026-11-23')[0]!.detail).toBe('Guest, holder');
  });

  it('ignores the stay being moved', () => {
    expect(checkNights(m, 'b', '2026-11-20', '2026-11-23', 'me').every((n) => n.problem === null)).toBe(true);
    expect(checkNights(m, 'b', '2026-11-20', '2026-11-23').every((n) => n.problem === 'occupied')).toBe(true);
  });
});
