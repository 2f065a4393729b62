import { defineEntity, p } from '@mikro-orm/core';

/**
 * The transactional outbox: one row per command attempt, written in the command's own transaction
 * (denials in their own), shipped to the audit sink by the relay. PII is masked before insert.
 */
const AuditOutboxSchema = defineEntity({
  name: 'AuditOutbox',
  properties: {
    id: p.uuid().primary(),
    at: p.datetime().index(),
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
    shippedAt: p.datetime().nullable().index(),
    attempts: p.integer().default(0),
  },
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
