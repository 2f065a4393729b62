import { describe, expect, it } from 'vitest';
import { ROOM_STATUSES, type EventEnvelope, type PropertySnapshotBase, type RoomStatus } from '@innboard/shared';
import { applyEvent, countByStatus, fromSnapshot, roomsByFloor, type Room } from './read-model.ts';
import { settle, withOptimistic, type Optimistic } from './optimistic.ts';
import { withRoomStatus } from './read-model.ts';

const P = '00000000-0000-4000-8000-000000000001';
const T = '00000000-0000-4000-8000-0000000000a1';

function room(id: string, number: string, floor: number, status: RoomStatus = 'clean'): PropertySnapshotBase['rooms'][number] {
  return { id, number, floor, roomTypeId: T, status, features: [], version: 1 };
}

const snapshot: PropertySnapshotBase = {
  property: { id: P, name: 'Innboard Harbor', timeZone: 'Europe/Lisbon', businessDate: '2026-11-21', currency: 'EUR' },
  rooms: [room('r101', '101', 1), room('r102', '102', 1, 'dirty'), room('r201', '201', 2, 'inspected')],
  roomTypes: [{ id: T, code: 'DBL', name: 'Double', maxAdults: 2, maxChildren: 1, description: '', amenities: [] }],
};

function event(seq: number, type: string, payload: unknown): EventEnvelope {
  return { seq, propertyId: P, type, payload, at: '2026-11-21T09:00:00Z' };
}

describe('read model', () => {
  it('is built from a snapshot', () => {
    const m = fromSnapshot(snapshot, 10);
    expect(m.seq).toBe(10);
    expect(Object.keys(m.rooms)).toEqual(['r101', 'r102', 'r201']);
    expect(m.roomTypes[T].code).toBe('DBL');
  });

  it('applies room.statusChanged without touching the previous model', () => {
    const before = fromSnapshot(snapshot, 10);
    const after = applyEvent(before, event(11, 'room.statusChanged', { roomId: 'r101', status: 'dirty', previousStatus: 'clean' }));
    expect(after.rooms.r101.status).toBe('dirty');
    expect(after.seq).toBe(11);
    expect(before.rooms.r101.status).toBe('clean');
    expect(after.rooms.r102).toBe(before.rooms.r102);
  });

  it('applies room.created and room.updated', () => {
    let m = fromSnapshot(snapshot, 1);
    m = applyEvent(m, event(2, 'room.created', { ...room('r301', '301', 3), propertyId: P }));
    expect(m.rooms.r301.number).toBe('301');
    m = applyEvent(m, event(3, 'room.updated', { ...room('r301', '301A', 3, 'dirty'), propertyId: P, version: 2 }));
    expect(m.rooms.r301).toMatchObject({ number: '301A', status: 'dirty', version: 2 });
    expect(m.rooms.r301).not.toHaveProperty('propertyId');
  });

  it('ignores event types it does not know, but moves seq forward', () => {
    const before = fromSnapshot(snapshot, 4);
    const after = applyEvent(before, event(5, 'pos.orderPlaced', { id: 'x' }));
    expect(after.rooms).toBe(before.rooms);
    expect(after.seq).toBe(5);
  });

  it('ignores a status change for a room it does not have', () => {
    const before = fromSnapshot(snapshot, 4);
    const after = applyEvent(before, event(5, 'room.statusChanged', { roomId: 'nope', status: 'dirty', previousStatus: 'clean' }));
    expect(after.rooms).toBe(before.rooms);
  });

  it('groups rooms by floor in natural number order and counts statuses', () => {
    const rooms: Room[] = [
      { ...room('a', '110', 1), status: 'clean' },
      { ...room('b', '102', 1), status: 'dirty' },
      { ...room('c', '9', 0), status: 'dirty' },
      { ...room('d', '1001', 10), status: 'out_of_order' },
    ] as Room[];
    expect(roomsByFloor(rooms).map((f) => [f.floor, f.rooms.map((r) => r.number)])).toEqual([
      [0, ['9']],
      [1, ['102', '110']],
      [10, ['1001']],
    ]);
    expect(countByStatus(rooms, ROOM_STATUSES)).toEqual({
      clean: 1,
      dirty: 2,
      inspected: 0,
      out_of_order: 1,
      out_of_service: 0,
    });
  });
});

describe('optimistic changes', () => {
  const base = fromSnapshot(snapshot, 10);
  const toDirty: Optimistic = { commandId: 'c1', targets: ['r101'], apply: (m) => withRoomStatus(m, 'r101', 'dirty') };

  it('show on top of the confirmed model', () => {
    expect(withOptimistic(base, [toDirty]).rooms.r101.status).toBe('dirty');
    expect(base.rooms.r101.status).toBe('clean');
  });

  it('stay until the confirmed model reaches the seq of their ack', () => {
    const acked = { ...toDirty, settleAtSeq: 12 };
    expect(settle([acked], 11)).toEqual([acked]);
    expect(settle([acked], 12)).toEqual([]);
  });

  it('without an ack seq stay until dropped by the caller', () => {
    const pending = [toDirty];
    expect(settle(pending, 999)).toBe(pending);
  });
});
