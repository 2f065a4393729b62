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

export const auditEntities = [AuditOutbox];
