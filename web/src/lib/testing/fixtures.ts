// Builders for unit tests of the read model and the views on it. Not shipped: only *.test.ts import it.
import type { EventEnvelope, PropertySnapshotBase, RoomStatus, TaskView, TicketView } from '@innboard/shared';

export const P = '00000000-0000-4000-8000-000000000001';
export const T = '00000000-0000-4000-8000-0000000000a1';
export const HUGO = '00000000-0000-4000-8000-00000000000b';
export const SARA = '00000000-0000-4000-8000-00000000000c';

export function room(id: string, number: string, floor: number, status: RoomStatus = 'clean'): PropertySnapshotBase['rooms'][number] {
  return { id, number, floor, roomTypeId: T, status, features: [], version: 1 };
}

export function task(taskId: string, roomId: string, over: Partial<TaskView> = {}): TaskView {
  const number = over.roomNumber ?? roomId.replace(/^r/, '');
  return {
    taskId,
    propertyId: P,
    roomId,
    roomNumber: number,
    floor: Number(number[0] ?? 1),
    type: 'departure_clean',
    status: 'open',
    priority: 'normal',
    estimatedMinutes: 35,
    serviceDate: '2026-11-21',
    assigneeId: null,
    note: null,
    inspectionNote: null,
    skipReason: null,
    doNotDisturb: false,
    reservationId: null,
    startedAt: null,
    completedAt: null,
    inspectedAt: null,
    createdAt: '2026-11-21T07:00:00.000Z',
    updatedAt: '2026-11-21T07:00:00.000Z',
    version: 1,
    ...over,
  };
}

export function ticket(ticketId: string, over: Partial<TicketView> = {}): TicketView {
  return {
    ticketId,
    propertyId: P,
    roomId: null,
    roomNumber: null,
    category: 'plumbing',
    priority: 'normal',
    description: 'Leaking tap',
    status: 'open',
    assigneeId: null,
    reporterId: HUGO,
    source: 'staff',
    outOfOrder: false,
    resolution: null,
    resolvedAt: null,
    createdAt: '2026-11-21T08:00:00.000Z',
    updatedAt: '2026-11-21T08:00:00.000Z',
    version: 1,
    comments: [],
    ...over,
  };
}

export function event(seq: number, type: string, payload: unknown): EventEnvelope {
  return { seq, propertyId: P, type, payload, at: '2026-11-21T09:00:00Z' };
}

/** A localStorage stand-in (the unit tests run in Node, which has none). */
export function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}
