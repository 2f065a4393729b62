import { describe, expect, it } from 'vitest';
import { entityRefs, maskChange, maskPii, maskText, maskValue } from './outbox.ts';

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

  it('masks passport and ID document numbers inside free text', () => {
    expect(maskText('Passport C01X00T47 checked; spouse PX99887766, DNI 12345678Z')).toBe('Passport C***7 checked; spouse P***6, DNI 1***Z');
    expect(maskText('ID card no. 123456 copied, Reisepass: L01X00T47. Licence nr 5678901')).toBe('ID card no. 1***6 copied, Reisepass: L***7. Licence nr 5***1');
    expect(maskText('scan of 12AB34567 attached')).toBe('scan of 1***7 attached');
  });

  it('masks a document number written in groups after a document word, and nothing after it', () => {
    expect(maskText('passport C01 X00 T47 on file')).toBe('passport C***7 on file');
    expect(maskText('ID card no. 1234-5678-90, licence: AB 12 34 56 C')).toBe('ID card no. 1***0, licence: A***6 C');
    expect(maskText('Ausweis 123 456 copied; document AB-123-456 for room 1204')).toBe('Ausweis 1***6 copied; document A***6 for room 1204');
    expect(maskText('licence 12 34 56 4F53A8B0 at 18:00, passport for 12 345 678')).toBe('licence 1***6 4F53A8B0 at 18:00, passport for 1***8');
  });

  it('keeps dates, times, amounts and short numbers after a document word readable', () => {
    const text = 'passport expires 2026-12-06; passport 2026-12-06 seen; ID card 10.03.2027 18:00; licence 12 250 000.00 paid; '
      + 'passport on file; document 12 34; ID card 1 of 2; licence fee EUR 1 250.00';
    expect(maskText(text)).toBe(text);
  });

  // Each input is a long run built to make a backtracking pattern retry from every position (quadratic or worse).
  // Linear, they take well under a second each even on a loaded machine; quadratic, each would take minutes, so the
  // test's timeout is the guard (a wide one on purpose: no time is asserted).
  it('masks long adversarial text in linear time', { timeout: 60_000 }, () => {
    const n = 200_000;
    const inputs = [
      '1.'.repeat(n), 'a1'.repeat(n), '1-'.repeat(n), '1 '.repeat(n), 'a@'.repeat(n), '@a.'.repeat(n), '+('.repeat(n),
      `passport ${'1 '.repeat(n)}`, `passport${' '.repeat(n)}1`, 'passport 1 '.repeat(n / 5), `passport ${'a1-'.repeat(n)}`,
      'ID no. '.repeat(n / 3), 'passport 12:'.repeat(n / 6), 'passport ab '.repeat(n / 6), 'passport 2026-12-06 '.repeat(n / 10),
      'licence 1 250 000.00 1 '.repeat(n / 12), 'id card '.repeat(n / 4), `ID card no.${':'.repeat(n)}`,
    ];
    for (const text of inputs) expect(maskText(text).length).toBeGreaterThan(0);
    expect(maskText(`passport ${'C01 '.repeat(n)}on file`)).toMatch(/^passport C\*\*\*1 C01 /);
  });

  it('keeps ids, dates, amounts, rooms, codes and booking references readable', () => {
    const text = 'Booking 4F53A8B0 (1f26a8b0-4f53-8529-48c2-9f8e7d6c5b4a) moved to room 1204 / 12B, 2027-03-10 to 10.03.2027 18:00; '
      + 'deposit EUR 12500.00 of 1 250 000.00, invoice INV-000123, credit CN-000042, offer WELCOME10 or SUMMER2027, ADV15; booking ID 4F53A8B0; '
      + 'at file:///srv/node_modules/.pnpm/pg-pool@3.10.1_pg@8.23.0/node_modules/kysely@0.29.6/dist/kysely.js:535:16';
    expect(maskText(text)).toBe(text);
    expect(maskPii({ note: text, reservationId: '1f26a8b0-4f53-8529-48c2-9f8e7d6c5b4a' })).toEqual({ note: text, reservationId: '1f26a8b0-4f53-8529-48c2-9f8e7d6c5b4a' });
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
