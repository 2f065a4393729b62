import { describe, expect, it } from 'vitest';
import { EMPTY_FRONT_DESK, type FrontDeskModel, type Reservation } from '#lib/frontdesk/model.ts';
import { reservation } from '#lib/frontdesk/fixtures.test-util.ts';
import type { Occupancy, PropertyInfo } from '#lib/live/read-model.ts';
import { roomFlags } from './model.ts';
import { currentOccupancy, occupancyFromReservations } from './occupancy.ts';

const TODAY = '2026-11-21';
const property = { businessDate: TODAY } as PropertyInfo;

function desk(...list: Reservation[]): FrontDeskModel {
  return { ...EMPTY_FRONT_DESK, window: { from: '2026-11-14', to: '2026-12-21' }, reservations: Object.fromEntries(list.map((r) => [r.id, r])) };
}

const sorted = (o: Occupancy) => ({ inHouse: [...o.inHouse].sort(), arrivals: [...o.arrivals].sort(), departures: [...o.departures].sort() });

describe('occupancy badges from live reservations', () => {
  it('checked in = occupied, due out today = departure, assigned arrival today = arrival', () => {
    const o = occupancyFromReservations(desk(
      reservation('stay', '2026-11-19', '2026-11-23', { room: 'r101', status: 'checked_in' }),
      reservation('leaving', '2026-11-18', TODAY, { room: 'r102', status: 'checked_in' }),
      reservation('coming', TODAY, '2026-11-22', { room: 'r103', status: 'confirmed' }),
      reservation('tentative', TODAY, '2026-11-22', { room: 'r104', status: 'tentative' }),
    ), TODAY);
    expect(sorted(o)).toEqual({ inHouse: ['r101', 'r102'], arrivals: ['r103', 'r104'], departures: ['r102'] });
  });

  it('ignores unassigned, future, cancelled, departed and already-arrived stays for the arrival badge', () => {
    const o = occupancyFromReservations(desk(
      reservation('unassigned', TODAY, '2026-11-22'),
      reservation('tomorrow', '2026-11-22', '2026-11-24', { room: 'r101' }),
      reservation('cancelled', TODAY, '2026-11-22', { room: 'r102', status: 'cancelled' }),
      reservation('noshow', TODAY, '2026-11-22', { room: 'r103', status: 'no_show' }),
      reservation('gone', '2026-11-19', TODAY, { room: 'r104', status: 'checked_out' }),
      reservation('in', TODAY, '2026-11-23', { room: 'r105', status: 'checked_in' }),
    ), TODAY);
    expect(sorted(o)).toEqual({ inHouse: ['r105'], arrivals: [], departures: [] });
  });

  it('counts an overdue stay still in house as a departure, like the desk list', () => {
    const o = occupancyFromReservations(desk(reservation('late', '2026-11-18', '2026-11-20', { room: 'r101', status: 'checked_in' })), TODAY);
    expect(sorted(o).departures).toEqual(['r101']);
  });

  it('prefers live reservations over the snapshot picture, and follows changes', () => {
    const snapshot: Occupancy = { date: TODAY, inHouse: new Set(['r101']), arrivals: new Set(), departures: new Set() };
    const before = desk(reservation('a', TODAY, '2026-11-22', { room: 'r102' }));
    expect(roomFlags({ occupancy: snapshot, frontDesk: before, property }, 'r101')).toEqual({ occupied: false, arrival: false, departure: false });
    expect(roomFlags({ occupancy: snapshot, frontDesk: before, property }, 'r102')).toEqual({ occupied: false, arrival: true, departure: false });
    // The check-in event replaces the reservation (and the front-desk model): the tile flips to occupied.
    const after = desk(reservation('a', TODAY, '2026-11-22', { room: 'r102', status: 'checked_in' }));
    expect(roomFlags({ occupancy: snapshot, frontDesk: after, property }, 'r102')).toEqual({ occupied: true, arrival: false, departure: false });
  });

  it('falls back to the snapshot occupancy when the server sent no reservations', () => {
    const snapshot: Occupancy = { date: TODAY, inHouse: new Set(['r101']), arrivals: new Set(), departures: new Set() };
    expect(currentOccupancy({ occupancy: snapshot, frontDesk: EMPTY_FRONT_DESK, property })).toBe(snapshot);
    expect(currentOccupancy({ occupancy: null, frontDesk: EMPTY_FRONT_DESK, property })).toBeNull();
  });
});
