import { describe, expect, it } from 'vitest';
import { ROOM_STATUSES, type RoomStatus } from '@innboard/shared';
import { checkManualTransition, statusAfter } from './room-status.ts';

const attendant = { canInspect: false,  };
const supervisor = { canInspect: true,  };

describe('room status machine: by hand', () => {
  it('lets anyone with room.setStatus do the everyday moves', () => {
    const everyday: Array<[RoomStatus, RoomStatus]> = [
      ['dirty', 'clean'], ['clean', 'dirty'], ['clean', 'inspected'], ['inspected', 'dirty'], ['inspected', 'clean'],
      ['clean', 'out_of_service'], ['out_of_service', 'dirty'], ['out_of_service', 'clean'],
    ];
    for (const [from, to] of everyday) expect(checkManualTransition(from, to, attendant, '101'), `${from} -> ${to}`).toEqual({ ok: true });
  });

  it('keeps a dirty room from being marked inspected without cleaning, unless an inspector does it', () => {
    expect(checkManualTransition('dirty', 'inspected', attendant, '205')).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('cleaned') });
    expect(checkManualTransition('out_of_service', 'inspected', attendant, '205')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(checkManualTransition('dirty', 'inspected', { canInspect: true,  }, '205')).toEqual({ ok: true });
  });

  it('lets anyone with room.setStatus flag a room out of order and return it (tickets hold rooms separately)', () => {
    for (const from of ROOM_STATUSES.filter((s) => s !== 'out_of_order')) {
      expect(checkManualTransition(from, 'out_of_order', attendant, '310')).toEqual({ ok: true });
    }
    for (const to of ROOM_STATUSES.filter((s) => s !== 'out_of_order' && s !== 'inspected')) {
      expect(checkManualTransition('out_of_order', to, attendant, '310')).toEqual({ ok: true });
    }
    // Straight from out of order to inspected skips the cleaning: an inspector's call.
    expect(checkManualTransition('out_of_order', 'inspected', attendant, '310')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(checkManualTransition('out_of_order', 'inspected', supervisor, '310')).toEqual({ ok: true });
  });
});

describe('room status machine: consequences of work', () => {
  it('a departure makes the room dirty, unless it is held out of order or service', () => {
    expect(statusAfter('clean', 'guest_departed')).toBe('dirty');
    expect(statusAfter('inspected', 'guest_departed')).toBe('dirty');
    expect(statusAfter('dirty', 'guest_departed')).toBeNull();
    expect(statusAfter('out_of_order', 'guest_departed')).toBeNull();
    expect(statusAfter('out_of_service', 'guest_departed')).toBeNull();
  });

  it('finished cleaning turns only a dirty room clean', () => {
    expect(statusAfter('dirty', 'task_done')).toBe('clean');
    expect(statusAfter('clean', 'task_done')).toBeNull();
    expect(statusAfter('inspected', 'task_done')).toBeNull();
    expect(statusAfter('out_of_order', 'task_done')).toBeNull();
  });

  it('inspection: passed -> inspected, failed -> dirty', () => {
    expect(statusAfter('clean', 'inspection_passed')).toBe('inspected');
    expect(statusAfter('dirty', 'inspection_passed')).toBe('inspected');
    expect(statusAfter('inspected', 'inspection_passed')).toBeNull();
    expect(statusAfter('clean', 'inspection_failed')).toBe('dirty');
    expect(statusAfter('out_of_service', 'inspection_failed')).toBeNull();
  });

  it('maintenance takes the room out of order and hands it back dirty', () => {
    for (const from of ['clean', 'dirty', 'inspected', 'out_of_service'] as const) expect(statusAfter(from, 'maintenance_started')).toBe('out_of_order');
    expect(statusAfter('out_of_order', 'maintenance_started')).toBeNull();
    expect(statusAfter('out_of_order', 'maintenance_finished')).toBe('dirty');
    expect(statusAfter('clean', 'maintenance_finished')).toBeNull();
  });
});
