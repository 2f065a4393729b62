import { describe, expect, it } from 'vitest';
import { entityRefs, maskChange, maskPii, maskValue } from './outbox.ts';

describe('PII masking before audit rows are written', () => {
  it('masks personal fields by name, whatever their spelling, at any depth', () => {
    const masked = maskPii({
      guest: { firstName: 'Johanna', last_name: 'Schmidt', EMAIL: 'johanna@example.com', phoneNumber: '+49 170 1234567', passport_number: 'C01X00T47' },
      companions: [{ fullName: 'Max Mustermann', dateOfBirth: '1990-01-01' }],
      address: { street: 'Hauptstr. 1', city: 'Berlin' },
      roomNumber: '101',
      nights: 3,
    }) as Record<string, any>;
    expect(masked.guest).toEqual({ firstName: 'J***a', last_name: 'S***t', EMAIL: 'j***@example.com', phoneNumber: '+***7', passport_number: 'C***7' });
    expect(masked.companions).toEqual([{ fullName: 'M***n', dateOfBirth: '1***1' }]);
    expect(masked.address).toBe('***');
    expect(masked.roomNumber).toBe('101');
    expect(masked.nights).toBe(3);
  });

  it('masks e-mail addresses inside free text', () => {
    expect(maskPii({ reason: 'Guest asked to send the invoice to johanna.schmidt@example.com today' })).toEqual({
      reason: 'Guest asked to send the invoice to j***@example.com today',
    });
  });

  it('masks phone numbers inside free text, not dates, times or short numbers', () => {
    expect(maskPii({ note: 'Call +49 170 5550123 or (030) 555-0199 before 2027-03-10 18:00, room 1204, 2 kids' })).toEqual({
      note: 'Call +***3 or (***9 before 2027-03-10 18:00, room 1204, 2 kids',
    });
  });

  it('masks a plain `name` only on person entities', () => {
    expect(maskChange({ type: 'guest', id: 'g1', before: { name: 'Johanna Schmidt' }, after: { name: 'Johanna Meyer' } })).toEqual({
      type: 'guest', id: 'g1', before: { name: 'J***t' }, after: { name: 'J***r' },
    });
    expect(maskChange({ type: 'roomType', id: 't1', after: { name: 'Deluxe King' } })).toEqual({ type: 'roomType', id: 't1', after: { name: 'Deluxe King' } });
  });

  it('keeps nulls and hides non-string values entirely', () => {
    expect(maskValue(null)).toBeNull();
    expect(maskValue(undefined)).toBeUndefined();
    expect(maskValue(4917012345)).toBe('***');
    expect(maskValue('ab')).toBe('***');
  });

  it('lists each touched entity once', () => {
    expect(entityRefs([
      { type: 'room', id: 'r1', after: { status: 'dirty' } },
      { type: 'task', id: 't1', after: {} },
      { type: 'room', id: 'r1', after: { status: 'clean' } },
    ])).toEqual([{ type: 'room', id: 'r1' }, { type: 'task', id: 't1' }]);
  });
});
