// When a property's audit is due, in its own wall-clock time. Pure functions: the scheduler and the
// status screen share them, and time-zone tests run them without a server.

// One formatter per time zone: constructing an Intl.DateTimeFormat costs far more than formatting with it,
// and the scheduler asks for every property on every tick (2.4 % of a busy server's profile, issue 12).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The property's local date and time now, as 'YYYY-MM-DD HH:MM' (sortable as text). */
export function localDateTime(timeZone: string, now: Date): string {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/**
 * The local moment the audit closing `businessDate` is due. An audit time before noon belongs to the
 * night after the business day (02:00 on the next calendar day); from noon on, to the evening of the
 * day itself (23:30).
 */
export function auditDueAt(businessDate: string, time: string): string {
  if (time >= '12:00') return `${businessDate} ${time}`;
  const next = new Date(`${businessDate}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return `${next.toISOString().slice(0, 10)} ${time}`;
}

/** True once the property's clock has passed the audit time of its business date (and stays true while it is not closed). */
export function isAuditDue(businessDate: string, time: string, timeZone: string, now: Date): boolean {
  return localDateTime(timeZone, now) >= auditDueAt(businessDate, time);
}
