import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import type { NotificationKind, NotificationRef } from '@innboard/shared';

/** One notice for one user; `seq` counts per recipient in commit order (their catch-up cursor). */
const NotificationSchema = defineEntity({
  name: 'Notification',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    userId: p.uuid(),
    seq: p.integer(),
    propertyId: p.uuid(),
    kind: p.string().length(30).$type<NotificationKind>(),
    title: p.string().length(200),
    body: p.text(),
    ref: p.json<NotificationRef>(),
    createdAt: p.datetime(),
    readAt: p.datetime().nullable(),
  },
  uniques: [{ properties: ['userId', 'seq'] }],
});
export class Notification extends NotificationSchema.class {}
NotificationSchema.setClass(Notification);

/** The last seq given to a user's notifications; its row lock orders one user's notices by commit. */
const NotificationCounterSchema = defineEntity({
  name: 'NotificationCounter',
  properties: {
    userId: p.uuid().primary(),
    seq: p.integer(),
  },
});
export class NotificationCounter extends NotificationCounterSchema.class {}
NotificationCounterSchema.setClass(NotificationCounter);

/** A property's choice of what one role hears; no row means the shared defaults. */
const NotificationRuleSchema = defineEntity({
  name: 'NotificationRule',
  properties: {
    propertyId: p.uuid().primary(),
    roleName: p.string().length(50).primary(),
    kinds: p.array().$type<NotificationKind[]>(),
  },
});
export class NotificationRule extends NotificationRuleSchema.class {}
NotificationRuleSchema.setClass(NotificationRule);

export const notificationEntities = [Notification, NotificationCounter, NotificationRule];
