// The /audit filter form as data, and how it becomes an `audit.search` payload. Pure, tested in audit.test.ts.
import type { AuditOutcome, PayloadOf, auditSearch } from '@innboard/shared';

export type AuditSearchPayload = PayloadOf<typeof auditSearch>;

/** What the form holds: strings as typed ('' = no filter). Times are wall-clock in the property's zone. */
export interface AuditFilter {
  /** `YYYY-MM-DDTHH:mm` from an <input type="datetime-local">. */
  from: string;
  to: string;
  actorId: string;
  entityType: string;
  entityId: string;
  /** A command type, or a prefix ending in `*` (`reservation.*`). */
  commandType: string;
  outcome: AuditOutcome | '';
}

export const EMPTY_FILTER: AuditFilter = { from: '', to: '', actorId: '', entityType: '', entityId: '', commandType: '', outcome: '' };

/** Page size: a screenful, with "Load more" for the rest. */
export const PAGE_SIZE = 50;

/**
 * The instant a wall-clock time has in `timeZone`, as ISO (UTC). The manager types hotel time, whatever the
 * browser's zone: guess the instant as if the wall time were UTC, then correct by the zone's offset at
 * that instant (twice, so a guess on the far side of a DST change settles).
 */
export function zonedToIso(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  let instant = wall - offsetMs(wall, timeZone);
  instant = wall - offsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`. */
function offsetMs(instant: number, timeZone: string): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    offsetFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The payload for one page. Blank fields are left out: the schema refuses empty strings. */
export function toPayload(filter: AuditFilter, propertyId: string, timeZone: string, cursor?: string | null): AuditSearchPayload {
  const payload: AuditSearchPayload = { propertyId, limit: PAGE_SIZE };
  const from = filter.from ? zonedToIso(filter.from, timeZone) : null;
  const to = filter.to ? zonedToIso(filter.to, timeZone) : null;
  if (from) payload.from = from;
  if (to) payload.to = to;
  const text = (v: string) => v.trim() || undefined;
  const actorId = text(filter.actorId);
  const entityType = text(filter.entityType);
  const entityId = text(filter.entityId);
  const commandType = text(filter.commandType);
  if (actorId) payload.actorId = actorId;
  if (entityType) payload.entityType = entityType;
  if (entityId) payload.entityId = entityId;
  if (commandType) payload.commandType = commandType;
  if (filter.outcome) payload.outcome = filter.outcome;
  if (cursor) payload.cursor = cursor;
  return payload;
}
