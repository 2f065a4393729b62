// How an audit entry reads on screen: time in the property's zone, before→after lines, entity names.
// Pure, tested in audit.test.ts.
import type { AuditItem } from '@innboard/shared';

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "21 Nov 2026, 14:03:07" on the hotel's clock (a manager abroad still reads hotel time). */
export function hotelTime(iso: string, timeZone: string): string {
  let f = timeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    timeFormats.set(timeZone, f);
  }
  return f.format(new Date(iso));
}

export interface FieldChange {
  field: string;
  /** Display text; null when the side is absent (created / removed). */
  before: string | null;
  after: string | null;
}

export interface ChangeView {
  type: string;
  id: string;
  kind: 'created' | 'removed' | 'changed';
  fields: FieldChange[];
}

/** A value as one short line: masked PII stays as the server wrote it, objects compact. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const text = typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v);
  // A long note or object would stretch the row; the full record stays in the trail.
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/**
 * One change record as field lines. The server stores only changed fields, but a field may appear on
 * both sides with the same value (e.g. a key re-sent): those are dropped so the diff shows real moves.
 */
export function changeView(c: AuditItem['changes'][number]): ChangeView {
  const kind = !c.before ? 'created' : !c.after ? 'removed' : 'changed';
  const keys = [...new Set([...Object.keys(c.before ?? {}), ...Object.keys(c.after ?? {})])];
  const fields: FieldChange[] = [];
  for (const field of keys) {
    const b = c.before && field in c.before ? valueText(c.before[field]) : null;
    const a = c.after && field in c.after ? valueText(c.after[field]) : null;
    if (kind === 'changed' && a === b) continue;
    // A new or removed record lists every column; the empty ones say nothing.
    if (kind !== 'changed' && (a ?? b) === '—') continue;
    fields.push({ field, before: b, after: a });
  }
  return { type: c.type, id: c.id, kind, fields };
}

/** `roomId` → "room id", `checkInOverride` → "check in override". */
export function fieldLabel(field: string): string {
  return field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

/** An id field's value as the name the board knows (`roomId` → the room number), else as is. */
export function fieldValue(field: string, text: string | null, names?: EntityNames): string | null {
  if (text === null || !names) return text;
  if (field === 'roomId') return names.room(text) ?? text;
  if (field === 'reservationId') return names.reservation(text) ?? text;
  return text;
}

/** Names the board knows for entities (rooms by number, reservations by guest); ids otherwise. */
export interface EntityNames {
  room(id: string): string | undefined;
  reservation(id: string): string | undefined;
}

export function entityLabel(ref: { type: string; id: string }, names?: EntityNames): string {
  const known = ref.type === 'room' ? names?.room(ref.id) : ref.type === 'reservation' ? names?.reservation(ref.id) : undefined;
  return known ? `${ref.type} ${known}` : `${ref.type} ${ref.id.slice(0, 8)}`;
}

export const OUTCOME_LABEL: Record<AuditItem['outcome'], string> = { ok: 'Done', denied: 'Denied', failed: 'Failed' };

/** "front_desk" → "Front desk"; a system action has no role. */
export function roleLabel(role: string | null): string {
  if (!role) return 'system';
  const s = role.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
