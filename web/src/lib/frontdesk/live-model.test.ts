// The front desk's events reach the board's one read model (lib/live/read-model.ts).
import { describe, expect, it } from 'vitest';
import type { PropertySnapshotBase } from '@innboard/shared';
import { applyEvent, fromSnapshot } from '#lib/live/read-model.ts';
import { P, reservation } from './fixtures.test-util.ts';

const snapshot: PropertySnapshotBase = {
  property: { id: P, name: 'Demo', timeZone: 'Europe/Berlin', businessDate: '2026-11-21', currency: 'EUR' },
  rooms: [],
  roomTypes: [],
  reservations: [reservation('r1', '2026-11-21', '2026-11-22')],
};

describe('board read model with the front desk', () => {
  it('takes reservations from the snapshot and from events, moving seq', () => {
    const before = fromSnapshot(snapshot, 3);
    expect(Object.keys(before.frontDesk.reservations)).toEqual(['r1']);
    const r2 = reservation('r2', '2026-11-22', '2026-11-24', { room: 'x' });
    const after = applyEvent(before, { seq: 4, propertyId: P, type: 'reservation.created', payload: { reservation: r2 }, at: '2026-11-21T10:00:00Z' });
    expect(after.frontDesk.reservations.r2).toEqual(r2);
    expect(after.seq).toBe(4);
    expect(before.frontDesk.reservations.r2).toBeUndefined();
    expect(after.rooms).toBe(before.rooms);
  });
});
