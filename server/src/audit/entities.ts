import { defineEntity, p } from '@mikro-orm/core';

/**
 * The transactional outbox: one row per command attempt, written in the command's own transaction
 * (denials in their own), shipped to the audit sink by the relay. PII is masked before insert.
 */
const AuditOutboxSchema = defineEntity({
  name: 'AuditOutbox',
  properties: {
    id: p.uuid().primary(),
    at: p.datetime(),
    actorId: p.uuid().nullable(),
    actorRole: p.string().length(50).nullable(),
    propertyId: p.uuid().nullable(),
    commandType: p.string().length(100),
    commandId: p.uuid().nullable(),
    /** [{ type, id }] of the entities the command touched. */
    entities: p.json().default([]),
    /** [{ type, id, before, after }] of the changed fields only. */
    changes: p.json().default([]),
    outcome: p.string().length(10),
    errorCode: p.string().length(30).nullable(),
    shippedAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
  },
  // Both partial: a row is in the first until the relay ships it, then in the second. Every command inserts a
  // row and the relay marks it shipped, so each full index here cost two more btree entries per command (one at
  // insert, one for the row's new version at the mark). The pending one is what the relay's batch, /health and
  // /metrics read (order by at, id); it stays as small as the backlog. The shipped one is the hourly prune's.
  indexes: [
    { name: 'audit_outbox_pending_index', properties: ['at', 'id'], where: 'shipped_at is null' },
    { name: 'audit_outbox_shipped_index', properties: ['shippedAt'], where: 'shipped_at is not null' },
  ],
});
export class AuditOutbox extends AuditOutboxSchema.class {}
AuditOutboxSchema.setClass(AuditOutbox);

/**
 * The audit trail when no MONGO_URL is set (the default sink). Append-only; rows arrive from the
 * outbox through the relay, keyed by the outbox id so a re-shipped row is stored once.
 */
const AuditLogSchema = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: p.uuid().primary(),
    at: p.datetime(),
    actorId: p.uuid().nullable(),
    actorRole: p.string().length(50).nullable(),
    propertyId: p.uuid().nullable(),
    commandType: p.string().length(100),
    commandId: p.uuid().nullable(),
    entities: p.json().default([]),
    changes: p.json().default([]),
    outcome: p.string().length(10),
    errorCode: p.string().length(30).nullable(),
    shippedAt: p.datetime(),
  },
  // audit.search always filters by property and pages by (at, id), newest first.
  indexes: [{ properties: ['propertyId', 'at', 'id'] }, { properties: ['actorId', 'at'] }],
});
export class AuditLog extends AuditLogSchema.class {}
AuditLogSchema.setClass(AuditLog);

export const auditEntities = [AuditOutbox, AuditLog];
