import { describe, expect, it } from 'vitest';
import type { PropertySnapshotBase } from '@innboard/shared';
import { applyEvent, fromSnapshot, MAX_NOTIFICATIONS, withTask } from './read-model.ts';
import { HUGO, P, SARA, T, event, room, task, ticket } from '#lib/testing/fixtures.ts';

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

function notification(id: string, recipient: string) {
  return { notificationId: id, userId: recipient, recipientUserId: recipient, kind: 'task_assigned', title: 'Room 101 is on your list', body: '', ref: { type: 'task', id: 't1' } };
}

describe('read model: housekeeping', () => {
  it('works without the housekeeping part of the snapshot', () => {
    const m = fromSnapshot(base, 1);
    expect(m.tasks).toEqual({});
    expect(m.tickets).toEqual({});
    expect(m.staff).toEqual([]);
    expect(m.occupancy).toBeNull();
    expect(m.notifications).toEqual([]);
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

  it("keeps only the viewer's notifications, newest first, without duplicates", () => {
    let m = fromSnapshot(withHousekeeping, 5, { viewerId: HUGO });
    m = applyEvent(m, event(6, 'notification.created', notification('n1', HUGO)));
    m = applyEvent(m, event(7, 'notification.created', notification('n2', SARA)));
    m = applyEvent(m, event(8, 'notification.created', notification('n3', HUGO)));
    m = applyEvent(m, event(9, 'notification.created', notification('n3', HUGO)));
    expect(m.notifications.map((n) => [n.notificationId, n.seq])).toEqual([['n3', 8], ['n1', 6]]);
    expect(m.seq).toBe(9);
  });

  it('caps the notification list', () => {
    let m = fromSnapshot(base, 0, { viewerId: HUGO });
    for (let i = 1; i <= MAX_NOTIFICATIONS + 5; i++) m = applyEvent(m, event(i, 'notification.created', notification(`n${i}`, HUGO)));
    expect(m.notifications).toHaveLength(MAX_NOTIFICATIONS);
    expect(m.notifications[0].notificationId).toBe(`n${MAX_NOTIFICATIONS + 5}`);
  });

  it('carries notifications over a new snapshot for the same viewer only', () => {
    let m = fromSnapshot(base, 0, { viewerId: HUGO });
    m = applyEvent(m, event(1, 'notification.created', notification('n1', HUGO)));
    expect(fromSnapshot(withHousekeeping, 10, { viewerId: HUGO, previous: m }).notifications).toHaveLength(1);
    expect(fromSnapshot(withHousekeeping, 10, { viewerId: SARA, previous: m }).notifications).toHaveLength(0);
  });

  it('patches a task for an optimistic change, and ignores unknown tasks', () => {
    const m = fromSnapshot(withHousekeeping, 5);
    expect(withTask(m, 't1', { status: 'done' }).tasks.t1.status).toBe('done');
    expect(withTask(m, 'nope', { status: 'done' })).toBe(m);
  });
});
