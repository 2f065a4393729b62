import { describe, expect, it } from 'vitest';
import { EMPTY_FRONT_DESK, type FrontDeskModel, type Reservation } from './model.ts';
import { clampDeparture, planMove, planResize } from './moves.ts';
import { DLX, STD, block, reservation } from './fixtures.test-util.ts';

const TODAY = '2026-11-21';
const typeName = (id: string) => (id === STD ? 'Standard' : 'Deluxe');
const rooms = { a: { id: 'a', number: '101', roomTypeId: STD }, b: { id: 'b', number: '102', roomTypeId: STD }, d: { id: 'd', number: '103', roomTypeId: DLX } };

function model(list: Reservation[]): FrontDeskModel {
  return { ...EMPTY_FRONT_DESK, reservations: Object.fromEntries(list.map((r) => [r.id, r])), roomBlocks: { ooo: block('ooo', 'b', '2026-11-30', '2026-12-02') } };
}

describe('planning a move', () => {
  const booked = reservation('booked', '2026-11-22', '2026-11-25', { room: 'a' });
  const loose = reservation('loose', '2026-11-22', '2026-11-24');
  const holder = reservation('holder', '2026-11-24', '2026-11-26', { room: 'b' });
  const m = model([booked, loose, holder]);

  it('assigns a booked stay to a free room of its type', () => {
    expect(planMove(m, loose, rooms.a, TODAY, typeName)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('taken by Guest, booked') });
    expect(planMove(m, loose, rooms.b, TODAY, typeName)).toMatchObject({ kind: 'assign', roomId: 'b' });
  });

  it('refuses a room taken on one of the nights, and says by whom and when', () => {
    const plan = planMove(m, booked, rooms.b, TODAY, typeName);
    expect(plan).toMatchObject({ kind: 'refused', reason: 'Room 102 is taken by Guest, holder on 2026-11-24' });
    expect(plan.kind === 'refused' && plan.nights.map((n) => n.problem)).toEqual([null, null, 'occupied']);
  });

  it('refuses another room type before check-in, but moves an in-house guest anywhere free', () => {
    expect(planMove(m, loose, rooms.d, TODAY, typeName)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('Deluxe') });
    const inHouse = reservation('in', '2026-11-19', '2026-11-23', { room: 'a', status: 'checked_in' });
    const plan = planMove(model([inHouse]), inHouse, rooms.d, TODAY, typeName);
    expect(plan).toMatchObject({ kind: 'move', roomId: 'd' });
    // Only the nights from today on are checked.
    expect(plan.kind === 'move' && plan.nights.map((n) => n.date)).toEqual(['2026-11-21', '2026-11-22']);
  });

  it('does nothing when dropped on its own room, and refuses finished stays', () => {
    expect(planMove(m, booked, rooms.a, TODAY, typeName)).toEqual({ kind: 'none' });
    expect(planMove(m, { ...booked, status: 'checked_out' }, rooms.b, TODAY, typeName).kind).toBe('refused');
  });
});

describe('planning a resize', () => {
  const booked = reservation('booked', '2026-11-22', '2026-11-25', { room: 'b' });
  const m = model([booked, reservation('next', '2026-11-27', '2026-11-28', { room: 'b' })]);

  it('extends into free nights and refuses taken or out-of-order ones', () => {
    expect(planResize(m, booked, '2026-11-27')).toMatchObject({ kind: 'extend', departure: '2026-11-27' });
    expect(planResize(m, booked, '2026-11-28')).toMatchObject({ kind: 'refused', reason: 'The room is taken by Guest, next on 2026-11-27' });
  });

  it('shortens a booked stay but not an in-house one', () => {
    expect(planResize(m, booked, '2026-11-24')).toMatchObject({ kind: 'shorten' });
    expect(planResize(m, { ...booked, status: 'checked_in' }, '2026-11-24').kind).toBe('refused');
    expect(planResize(m, booked, '2026-11-22').kind).toBe('refused');
  });

  it('keeps at least one night', () => {
    expect(clampDeparture(booked, '2026-11-20')).toBe('2026-11-23');
  });
});
