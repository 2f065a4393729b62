import { describe, expect, it } from 'vitest';
import type { PropertySnapshotBase } from '@innboard/shared';
import { applyEvent, fromSnapshot, withTask } from './read-model.ts';
import { HUGO, P, T, event, room, task, ticket } from '#lib/testing/fixtures.ts';

const base: PropertySnapshotBase = {
  property: { id: P, name: 'Innboard Harbor', timeZone: 'Europe/Lisbon', businessDate: '2026-11-21', currency: 'EUR' },
  rooms: [room('r101', '101', 1, 'dirty'), room('r102', '102', 1)],
  roomTypes: [{ id: T, code: 'DBL', name: 'Double', maxAdults: 2, maxChildren: 1, description: '', amenities: [] }],
};

const withHousekeeping: PropertySnapshotBase = {
  ...base,
  tasks: [task('t1', 'r101')],
  tickets: [ticket('k1', { roomId: 'r102', roomNumber: '102' })],
  staff: [{ userId: HUGO, name: 'Hugo', role: 'housekeeper' }],
  occupancy: { date: '2026-11-21', inHouse: ['r102'], arrivals: ['r101'], departures: [] },
};

describe('read model: housekeeping', () => {
  it('works without the housekeeping part of the snapshot', () => {
    const m = fromSnapshot(base, 1);
    expect(m.tasks).toEqual({});
    expect(m.tickets).toEqual({});
    expect(m.staff).toEqual([]);
    expect(m.occupancy).toBeNull();
  });

  it('takes tasks, tickets, staff and occupancy from the snapshot', () => {
    const m = fromSnapshot(withHousekeeping, 5);
    expect(m.tasks.t1.roomId).toBe('r101');
    expect(m.tickets.k1.roomNumber).toBe('102');
    expect(m.staff.map((s) => s.name)).toEqual(['Hugo']);
    expect(m.occupancy?.arrivals.has('r101')).toBe(true);
    expect(m.occupancy?.inHouse.has('r101')).toBe(false);
  });

  it('adds and replaces tasks from task.created / task.updated', () => {
    let m = fromSnapshot(withHousekeeping, 5);
    const before = m;
    m = applyEvent(m, event(6, 'task.created', task('t2', 'r102', { type: 'touch_up' })));
    m = applyEvent(m, event(7, 'task.updated', task('t1', 'r101', { status: 'in_progress', assigneeId: HUGO })));
    expect(Object.keys(m.tasks).sort()).toEqual(['t1', 't2']);
    expect(m.tasks.t1).toMatchObject({ status: 'in_progress', assigneeId: HUGO });
    expect(m.seq).toBe(7);
    expect(before.tasks.t1.status).toBe('open');
  });

  it('adds and replaces tickets, keeping resolved ones the board has seen', () => {
    let m = fromSnapshot(withHousekeeping, 5);
    m = applyEvent(m, event(6, 'ticket.created', ticket('k2', { category: 'hvac' })));
    m = applyEvent(m, event(7, 'ticket.updated', ticket('k1', { status: 'resolved', resolution: 'New washer' })));
    expect(m.tickets.k2.category).toBe('hvac');
    expect(m.tickets.k1).toMatchObject({ status: 'resolved', resolution: 'New washer' });
  });

  it('patches a task for an optimistic change, and ignores unknown tasks', () => {
    const m = fromSnapshot(withHousekeeping, 5);
    expect(withTask(m, 't1', { status: 'done' }).tasks.t1.status).toBe('done');
    expect(withTask(m, 'nope', { status: 'done' })).toBe(m);
  });
});
