import { z } from 'zod';
import { defineCommand } from './define.ts';
import { id } from './common.ts';

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;
export const auditOutcome = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof auditOutcome>;

export const auditSearch = defineCommand('audit.search', {
  permission: 'audit.read',
  description:
    'Search this property\'s audit trail, newest first. Filters combine with AND; `commandType` ending in `*` matches a prefix ' +
    '(`reservation.*`). Pass the returned `nextCursor` as `cursor` for the next page (null: no more). A read: no event, no seq. ' +
    'Entries appear once the audit relay has shipped them (normally within a second).',
  payload: z.object({
    propertyId: id,
    /** Inclusive lower bound, ISO timestamp. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** Exclusive upper bound, ISO timestamp. */
    to: z.iso.datetime({ offset: true }).optional(),
    actorId: id.optional(),
    entityType: z.string().trim().min(1).max(50).optional(),
    entityId: z.string().trim().min(1).max(100).optional(),
    commandType: z.string().trim().min(1).max(100).optional(),
    outcome: auditOutcome.optional(),
    cursor: z.string().min(1).max(200).optional(),
    limit: z.number().int().min(1).max(200).optional(),
  }),
});

export const auditEntityRef = z.object({ type: z.string(), id: z.string() });
export const auditChange = z.object({
  type: z.string(),
  id: z.string(),
  before: z.record(z.string(), z.unknown()).optional(),
  after: z.record(z.string(), z.unknown()).optional(),
});

/** One audit entry as the board shows it. PII in `changes` is already masked. */
export const auditItem = z.object({
  id,
  at: z.string(),
  actor: z.object({ id: id.nullable(), name: z.string().optional(), role: z.string().nullable() }),
  propertyId: id.nullable(),
  commandType: z.string(),
  commandId: id.nullable(),
  entities: z.array(auditEntityRef),
  changes: z.array(auditChange),
  outcome: auditOutcome,
  errorCode: z.string().nullable(),
});
export type AuditItem = z.infer<typeof auditItem>;

export const auditSearchResult = z.object({ items: z.array(auditItem), nextCursor: z.string().nullable() });
export type AuditSearchResult = z.infer<typeof auditSearchResult>;

export const auditCommands = [auditSearch] as const;
