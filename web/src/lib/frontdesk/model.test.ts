import { describe, expect, it } from 'vitest';
import type { PropertySnapshotBase } from '@innboard/shared';
import { applyFrontDeskEvent, frontDeskFromSnapshot, type FrontDeskEvent } from './model.ts';
import { P, STD, block, reservation } from './fixtures.test-util.ts';

const base: PropertySnapshotBase = {
  property: { id: P, name: 'Demo', timeZone: 'Europe/Berlin', businessDate: '2026-11-21', currency: 'EUR' },
  rooms: [],
  roomTypes: [],
};

function ev(type: string, payload: unknown): FrontDeskEvent {
  return { seq: 1, propertyId: P, type, payload, at: '2026-11-21T10:00:00Z' } as FrontDeskEvent;
}

describe('front desk read model', () => {
  it('reads the snapshot part, and an empty one from a server without it', () => {
    const r = reservation('r1', '2026-11-21', '2026-11-23', { room: 'room-1' });
    const m = frontDeskFromSnapshot({ ...base, reservationWindow: { from: '2026-11-14', to: '2027-01-20' }, reservations: [r], ratePlans: [], offers: [], roomBlocks: [block('b1', 'room-2', '2026-11-21', '2026-11-25')], groups: [] });
    expect(m.reservations.r1).toBe(r);
    expect(m.guests['g-r1']).toEqual(r.guest);
    expect(m.roomBlocks.b1.roomId).toBe('room-2');
    expect(m.window).toEqual({ from: '2026-11-14', to: '2027-01-20' });
    expect(frontDeskFromSnapshot(base)).toMatchObject({ window: null, reservations: {} });
  });

  it('upserts reservations from created, updated, cancelled and checkedIn events', () => {
    let m = frontDeskFromSnapshot(base);
    const r = reservation('r1', '2026-11-21', '2026-11-23');
    m = applyFrontDeskEvent(m, ev('reservation.created', { reservation: r }));
    expect(m.reservations.r1.status).toBe('confirmed');
    m = applyFrontDeskEvent(m, ev('reservation.updated', { reservation: { ...r, roomId: 'x', version: 2 }, change: 'room_assigned' }));
    expect(m.reservations.r1).toMatchObject({ roomId: 'x', version: 2 });
    m = applyFrontDeskEvent(m, ev('reservation.checkedIn', { reservation: { ...r, status: 'checked_in', version: 3 }, roomId: 'x', override: null }));
    expect(m.reservations.r1.status).toBe('checked_in');
    const before = m;
    m = applyFrontDeskEvent(m, ev('reservation.checkedOut', { reservationId: 'r1', roomId: 'x', departure: '2026-11-23', early: false }));
    expect(m).toBe(before);
    m = applyFrontDeskEvent(m, ev('reservation.cancelled', { reservation: { ...r, status: 'cancelled', version: 4 }, reason: 'x', fee: 0, currency: 'EUR' }));
    expect(m.reservations.r1.status).toBe('cancelled');
  });

  it('renames a guest on every reservation, leaving others untouched', () => {
    const a = reservation('a', '2026-11-21', '2026-11-22');
    const b = reservation('b', '2026-11-21', '2026-11-22');
    let m = applyFrontDeskEvent(frontDeskFromSnapshot({ ...base, reservations: [a, b] }), ev('guest.updated', { guest: { id: 'g-a', name: 'Smith, Ann', vip: true } }));
    expect(m.reservations.a.guest.name).toBe('Smith, Ann');
    expect(m.reservations.b).toBe(b);
    m = applyFrontDeskEvent(m, ev('guest.created', { guest: { id: 'g-new', name: 'New, Guest', vip: false } }));
    expect(m.guests['g-new'].name).toBe('New, Guest');
  });

  it('keeps blocks, rate plans, offers and groups by id', () => {
    let m = frontDeskFromSnapshot(base);
    m = applyFrontDeskEvent(m, ev('room.blocked', { block: block('b1', 'room-1', '2026-11-21', '2026-11-24') }));
    m = applyFrontDeskEvent(m, ev('room.unblocked', { block: { ...block('b1', 'room-1', '2026-11-21', '2026-11-22'), released: true } }));
    expect(m.roomBlocks.b1).toMatchObject({ to: '2026-11-22', released: true });
    const plan = { id: 'p1', code: 'BAR', name: 'Best rate', description: '', roomTypeIds: [STD], currency: 'EUR', derivedFrom: null, cancellationPolicy: { freeUntilDaysBefore: 1, penalty: 'first_night' }, inclusions: [], isDefault: true, active: true, version: 1 };
    m = applyFrontDeskEvent(m, ev('ratePlan.created', { ratePlan: plan }));
    expect(m.ratePlans.p1.name).toBe('Best rate');
    const same = applyFrontDeskEvent(m, ev('ratePlan.ratesChanged', { ratePlanId: 'p1', roomTypeIds: [STD], from: '2026-11-21', to: '2026-11-22', what: 'prices' }));
    expect(same).toBe(m);
  });
});
