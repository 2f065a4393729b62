import type { AuditOutcome } from '@innboard/shared';
import type { EntityChange } from '../pipeline/types.ts';

/** One audit event as shipped from the outbox to a sink (PII already masked by the writer). */
export interface AuditRecord {
  id: string;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  propertyId: string | null;
  commandType: string;
  commandId: string | null;
  entities: Array<{ type: string; id: string }>;
  changes: EntityChange[];
  outcome: AuditOutcome;
  errorCode: string | null;
}

export interface AuditQuery {
  propertyId: string;
  from?: Date;
  to?: Date;
  actorId?: string;
  entityType?: string;
  entityId?: string;
  /** Exact, or a prefix when it ends with `*`. */
  commandType?: string;
  outcome?: AuditOutcome;
  /** Keyset position: return records strictly older than this (at desc, id desc). */
  before?: { at: Date; id: string };
  limit: number;
}

/**
 * Where audit events end up. Every implementation must pass audit/sink.contract.ts.
 * `write` is idempotent by record id: the relay ships at least once, the sink stores exactly once.
 */
export interface AuditSink {
  readonly kind: 'postgres' | 'mongo';
  write(records: AuditRecord[]): Promise<void>;
  /** Newest first (at desc, id desc), at most `limit` records. */
  search(query: AuditQuery): Promise<AuditRecord[]>;
  /** Throws when the sink cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The read side handed to the audit.search command. */
export type AuditReader = Pick<AuditSink, 'kind' | 'search'>;

/** Cursors are opaque to clients: base64url of "<iso time>|<id>". */
export function encodeCursor(record: Pick<AuditRecord, 'at' | 'id'>): string {
  return Buffer.from(`${record.at.toISOString()}|${record.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  if (!id || Number.isNaN(at.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  return { at, id };
}

/** `reservation.*` -> prefix "reservation."; anything else matches exactly. */
export function commandTypeMatch(pattern: string): { exact: string } | { prefix: string } {
  return pattern.endsWith('*') ? { prefix: pattern.slice(0, -1) } : { exact: pattern };
}

/** booking_logs in Mongo: the reservation history, one collection the booking screens can read. */
export const isBookingRecord = (r: Pick<AuditRecord, 'commandType'>) => r.commandType.startsWith('reservation.');

/** An audit row as Postgres returns it (outbox and audit_log share the columns). */
export interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  property_id: string | null;
  command_type: string;
  command_id: string | null;
  entities: AuditRecord['entities'];
  changes: AuditRecord['changes'];
  outcome: AuditRecord['outcome'];
  error_code: string | null;
}

export const auditRowToRecord = (r: AuditRow): AuditRecord => ({
  id: r.id, at: new Date(r.at), actorId: r.actor_id, actorRole: r.actor_role, propertyId: r.property_id, commandType: r.command_type,
  commandId: r.command_id, entities: r.entities, changes: r.changes, outcome: r.outcome, errorCode: r.error_code,
});
