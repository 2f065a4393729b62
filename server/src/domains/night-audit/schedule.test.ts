// When the audit of a business date is due, in the property's own clock (small tests, no server).
import { describe, expect, it } from 'vitest';
import { auditDueAt, isAuditDue, localDateTime } from './schedule.ts';

describe('night audit schedule', () => {
  it('reads the local wall clock of the property, across the date line and DST', () => {
    const at = new Date('2026-12-05T21:30:00Z');
    expect(localDateTime('Europe/Berlin', at)).toBe('2026-12-05 22:30');
    expect(localDateTime('Pacific/Auckland', at)).toBe('2026-12-06 10:30');
    expect(localDateTime('America/New_York', at)).toBe('2026-12-05 16:30');
    // Summer time: Berlin is UTC+2 in July, New York UTC-4.
    expect(localDateTime('Europe/Berlin', new Date('2026-07-01T22:15:00Z'))).toBe('2026-07-02 00:15');
    expect(localDateTime('America/New_York', new Date('2026-07-01T03:59:00Z'))).toBe('2026-06-30 23:59');
  });

  it('puts a morning audit time in the night after the business day and an evening one on the day itself', () => {
    expect(auditDueAt('2026-12-05', '03:00')).toBe('2026-12-06 03:00');
    expect(auditDueAt('2026-12-31', '00:00')).toBe('2027-01-01 00:00');
    expect(auditDueAt('2026-12-05', '23:30')).toBe('2026-12-05 23:30');
    expect(auditDueAt('2026-12-05', '12:00')).toBe('2026-12-05 12:00');
  });

  it('is due once the local clock passes the audit time, and stays due while the date is not closed', () => {
    // 02:00 UTC on Dec 6 is 03:00 in Berlin: due exactly then, not a minute before.
    expect(isAuditDue('2026-12-05', '03:00', 'Europe/Berlin', new Date('2026-12-06T01:59:00Z'))).toBe(false);
    expect(isAuditDue('2026-12-05', '03:00', 'Europe/Berlin', new Date('2026-12-06T02:00:00Z'))).toBe(true);
    // The same instant is not yet 03:00 in New York (21:00 on Dec 5).
    expect(isAuditDue('2026-12-05', '03:00', 'America/New_York', new Date('2026-12-06T02:00:00Z'))).toBe(false);
    // Auckland (UTC+13) reaches 03:00 on Dec 6 at 14:00 UTC on Dec 5.
    expect(isAuditDue('2026-12-05', '03:00', 'Pacific/Auckland', new Date('2026-12-05T13:59:00Z'))).toBe(false);
    expect(isAuditDue('2026-12-05', '03:00', 'Pacific/Auckland', new Date('2026-12-05T14:00:00Z'))).toBe(true);
    // A business date days behind is due (the scheduler catches up one day per run).
    expect(isAuditDue('2026-12-01', '03:00', 'Europe/Berlin', new Date('2026-12-05T12:00:00Z'))).toBe(true);
    // An evening audit: 23:30 Berlin on Dec 5 is 22:30 UTC.
    expect(isAuditDue('2026-12-05', '23:30', 'Europe/Berlin', new Date('2026-12-05T22:29:00Z'))).toBe(false);
    expect(isAuditDue('2026-12-05', '23:30', 'Europe/Berlin', new Date('2026-12-05T22:30:00Z'))).toBe(true);
  });

  it('keeps the audit time on the local clock when the clocks change (the night of the DST switch)', () => {
    // Berlin leaves summer time on 2026-10-25 at 03:00 local (01:00 UTC): 03:00 local that night is 02:00 UTC.
    expect(isAuditDue('2026-10-24', '03:00', 'Europe/Berlin', new Date('2026-10-25T01:59:00Z'))).toBe(false);
    expect(isAuditDue('2026-10-24', '03:00', 'Europe/Berlin', new Date('2026-10-25T02:00:00Z'))).toBe(true);
    // New York springs forward on 2026-03-08 (02:00 -> 03:00 local, 07:00 UTC): 03:00 local is 07:00 UTC.
    expect(isAuditDue('2026-03-07', '03:00', 'America/New_York', new Date('2026-03-08T06:59:00Z'))).toBe(false);
    expect(isAuditDue('2026-03-07', '03:00', 'America/New_York', new Date('2026-03-08T07:00:00Z'))).toBe(true);
  });
});
