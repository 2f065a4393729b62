import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, PAGE_SIZE, toPayload, zonedToIso } from './query.ts';
import { changeView, entityLabel, fieldValue, fieldLabel, hotelTime, roleLabel, valueText } from './format.ts';

const P = '00000000-0000-4000-8000-000000000001';

describe('audit filter → audit.search payload', () => {
  it('reads typed times on the hotel clock, across zones and DST', () => {
    expect(zonedToIso('2026-11-21T14:00', 'Europe/Lisbon')).toBe('2026-11-21T14:00:00.000Z'); // winter: UTC+0
    expect(zonedToIso('2026-07-01T14:00', 'Europe/Lisbon')).toBe('2026-07-01T13:00:00.000Z'); // summer: UTC+1
    expect(zonedToIso('2026-11-21T09:30', 'America/New_York')).toBe('2026-11-21T14:30:00.000Z');
    expect(zonedToIso('2026-11-21T09:30', 'Asia/Tokyo')).toBe('2026-11-21T00:30:00.000Z');
    expect(zonedToIso('not a time', 'UTC')).toBeNull();
  });

  it('leaves blank fields out and keeps the cursor', () => {
    expect(toPayload(EMPTY_FILTER, P, 'UTC')).toEqual({ propertyId: P, limit: PAGE_SIZE });
    const filter = { ...EMPTY_FILTER, from: '2026-11-21T00:00', actorId: ' u1 ', entityType: 'reservation', entityId: 'r1', commandType: 'reservation.*', outcome: 'denied' as const };
    expect(toPayload(filter, P, 'UTC', 'next')).toEqual({
      propertyId: P, limit: PAGE_SIZE, from: '2026-11-21T00:00:00.000Z', actorId: 'u1', entityType: 'reservation', entityId: 'r1',
      commandType: 'reservation.*', outcome: 'denied', cursor: 'next',
    });
  });
});

describe('audit entry formatting', () => {
  it('shows the time on the hotel clock', () => {
    expect(hotelTime('2026-11-21T14:03:07Z', 'America/New_York')).toBe('21 Nov 2026, 09:03:07');
  });

  it('turns a change into before→after lines, dropping fields that did not move', () => {
    const v = changeView({ type: 'room', id: 'r1', before: { status: 'clean', floor: 1 }, after: { status: 'dirty', floor: 1, reason: 'Spill' } });
    expect(v.kind).toBe('changed');
    expect(v.fields).toEqual([
      { field: 'status', before: 'clean', after: 'dirty' },
      { field: 'reason', before: null, after: 'Spill' },
    ]);
  });

  it('marks creations and removals and keeps masked values as written', () => {
    const created = changeView({ type: 'guest', id: 'g1', after: { email: 'a***@example.com', phone: null, tags: ['vip'] } });
    expect(created.kind).toBe('created');
    expect(created.fields).toEqual([
      { field: 'email', before: null, after: 'a***@example.com' },
      { field: 'tags', before: null, after: '["vip"]' },
    ]);
    expect(changeView({ type: 'task', id: 't1', before: { status: 'open' } }).kind).toBe('removed');
  });

  it('labels values, fields, roles and entities', () => {
    expect(valueText(null)).toBe('—');
    expect(valueText(false)).toBe('false');
    expect(valueText('x'.repeat(200)).length).toBeLessThanOrEqual(120);
    expect(fieldLabel('checkInOverride')).toBe('check in override');
    expect(roleLabel('front_desk')).toBe('Front desk');
    expect(roleLabel(null)).toBe('system');
    const names = { room: (id: string) => (id === 'r1' ? '101' : undefined), reservation: () => undefined };
    expect(entityLabel({ type: 'room', id: 'r1' }, names)).toBe('room 101');
    expect(fieldValue('roomId', 'r1', names)).toBe('101');
    expect(fieldValue('guestId', 'r1', names)).toBe('r1');
    expect(entityLabel({ type: 'reservation', id: 'abcdef123456' }, names)).toBe('reservation abcdef12');
  });
});
