import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { NIGHT_AUDIT_RUN_STATUSES, NIGHT_AUDIT_STEPS } from '@innboard/shared';
import { Property } from '../property/entities.ts';

// The night audit's tables. A run row per (property, business date): a resumed run keeps its row, so
// the unique key is what makes "one audit per day" hold even if two nodes raced past the lock.

const NightAuditRunSchema = defineEntity({
  name: 'NightAuditRun',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    property: () => p.manyToOne(Property),
    businessDate: p.date(),
    status: p.enum(NIGHT_AUDIT_RUN_STATUSES),
    step: p.enum(NIGHT_AUDIT_STEPS),
    done: p.integer().default(0),
    total: p.integer().default(0),
    attempts: p.integer().default(1),
    /** Null when the scheduler started the latest attempt. */
    startedBy: p.uuid().nullable(),
    startedAt: p.datetime(),
    finishedAt: p.datetime().nullable(),
    error: p.string().length(500).nullable(),
  },
  uniques: [{ properties: ['property', 'businessDate'] }],
});
export class NightAuditRun extends NightAuditRunSchema.class {}
NightAuditRunSchema.setClass(NightAuditRun);

/** A closed day's figures; written once by the run that closes the date (upserted, so a replay changes nothing). */
const DailyStatisticsSchema = defineEntity({
  name: 'DailyStatistics',
  properties: {
    property: () => p.manyToOne(Property).primary(),
    businessDate: p.date().primary(),
    currency: p.string().length(3),
    roomsAvailable: p.integer(),
    roomsOutOfOrder: p.integer(),
    roomsSold: p.integer(),
    /** Percent with one decimal, as the report shows it. */
    occupancy: p.double(),
    roomRevenue: p.integer(),
    adr: p.integer(),
    revpar: p.integer(),
    arrivals: p.integer(),
    departures: p.integer(),
    noShows: p.integer(),
    revenueByDepartment: p.json<Record<string, number>>(),
    paymentsByMethod: p.json<Record<string, number>>(),
    runId: p.uuid(),
    createdAt: p.datetime(),
  },
});
export class DailyStatistics extends DailyStatisticsSchema.class {}
DailyStatisticsSchema.setClass(DailyStatistics);

/** A property's own audit time; without a row the server default (NIGHT_AUDIT_TIME) applies, automatically. */
const NightAuditSettingSchema = defineEntity({
  name: 'NightAuditSetting',
  properties: {
    property: () => p.manyToOne(Property).primary(),
    /** HH:MM local; null: the server default. */
    time: p.string().length(5).nullable(),
    automatic: p.boolean().default(true),
  },
});
export class NightAuditSetting extends NightAuditSettingSchema.class {}
NightAuditSettingSchema.setClass(NightAuditSetting);

export const nightAuditEntities = [NightAuditRun, DailyStatistics, NightAuditSetting];
