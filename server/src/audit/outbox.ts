import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityChange } from '../pipeline/types.ts';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  propertyId: string | null;
  commandType: string;
  commandId: string | null;
  changes: EntityChange[];
  outcome: AuditOutcome;
  errorCode?: string;
}

/** Field names whose values are personal data; masked before the row is written. */
const PII_KEYS = new Set(['firstName', 'lastName', 'fullName', 'guestName', 'email', 'phone', 'documentNumber', 'document', 'address', 'dateOfBirth']);

export function maskValue(value: unknown): unknown {
  if (typeof value !== 'string') return value === null || value === undefined ? value : '***';
  if (value.includes('@')) {
    const [local, domain] = value.split('@');
    return `${local!.slice(0, 1)}***@${domain}`;
  }
  return value.length <= 2 ? '***' : `${value.slice(0, 1)}***${value.slice(-1)}`;
}

export function maskPii(value: unknown, key?: string): unknown {
  if (key && PII_KEYS.has(key)) return maskValue(value);
  if (Array.isArray(value)) return value.map((v) => maskPii(v));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPii(v, k)]));
  }
  return value;
}

/** The insert of one audit row (PII masked), as SQL with `?` placeholders and its parameters. */
export function auditInsert(entry: AuditEntry): { sql: string; params: unknown[] } {
  const entities = entry.changes.map((c) => ({ type: c.type, id: c.id }));
  return {
    sql: `insert into audit_outbox (id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)`,
    params: [
      randomUUID(), entry.at, entry.actorId, entry.actorRole, entry.propertyId, entry.commandType, entry.commandId,
      JSON.stringify(entities), JSON.stringify(maskPii(entry.changes)), entry.outcome, entry.errorCode ?? null,
    ],
  };
}

/** Writes one audit row through `em` (inside the command's transaction, or its own for denials). */
export async function writeAudit(em: EntityManager, entry: AuditEntry): Promise<void> {
  const { sql, params } = auditInsert(entry);
  await em.execute(sql, params, 'run');
}
