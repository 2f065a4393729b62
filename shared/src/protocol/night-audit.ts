import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { currency, hotelDate, id, minorUnits } from './common.ts';

// Contract of the night audit (issue 9): closes a property's business date. One run per property at a
// time across all nodes; a run that died is resumed by the next one without posting anything twice.
// Started by a manager (`nightAudit.run`) or by the scheduler at the property's local audit time.

/** The steps in order: no-shows, room and tax charges of in-house stays, then statistics + date roll (one transaction). */
export const NIGHT_AUDIT_STEPS = ['no_shows', 'room_charges', 'close_day'] as const;
export const nightAuditStep = z.enum(NIGHT_AUDIT_STEPS);
export type NightAuditStep = z.infer<typeof nightAuditStep>;

export const NIGHT_AUDIT_RUN_STATUSES = ['running', 'completed', 'failed'] as const;
export const nightAuditRunStatus = z.enum(NIGHT_AUDIT_RUN_STATUSES);
export type NightAuditRunStatus = z.infer<typeof nightAuditRunStatus>;

/** Local wall-clock time in the property's zone, 24 h. */
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24 h');

/** One audit of one business date; a resumed run keeps its row (attempts counts the starts). */
export const nightAuditRun = z.object({
  runId: id,
  /** The business date this run closes. */
  businessDate: hotelDate,
  status: nightAuditRunStatus,
  step: nightAuditStep,
  done: z.number().int(),
  total: z.number().int(),
  attempts: z.number().int(),
  /** The manager who started the latest attempt; null when the scheduler did. */
  startedBy: id.nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  /** Why the latest attempt stopped (plain words), null unless failed. */
  error: z.string().nullable(),
});
export type NightAuditRun = z.infer<typeof nightAuditRun>;

/** A closed day's figures, stored by the run that closed it. */
export const dailyStatistics = z.object({
  businessDate: hotelDate,
  currency,
  /** Rooms of the property minus rooms out of order that night. */
  roomsAvailable: z.number().int(),
  roomsOutOfOrder: z.number().int(),
  /** Room-nights sold for the night of the date (in-house and departed-later stays). */
  roomsSold: z.number().int(),
  /** roomsSold / roomsAvailable x 100, one decimal. */
  occupancy: z.number(),
  /** Room revenue of the night (net of tax), the base of ADR and RevPAR. */
  roomRevenue: minorUnits,
  /** roomRevenue / roomsSold. */
  adr: minorUnits,
  /** roomRevenue / roomsAvailable. */
  revpar: minorUnits,
  arrivals: z.number().int(),
  departures: z.number().int(),
  noShows: z.number().int(),
  /** Net charges posted on the date by department (room, tax, fnb, minibar, ...). */
  revenueByDepartment: z.record(z.string(), minorUnits),
  /** Payments taken on the date by method (cash, card, bank_transfer); refunds reduce them. */
  paymentsByMethod: z.record(z.string(), minorUnits),
});
export type DailyStatistics = z.infer<typeof dailyStatistics>;

export const nightAuditSchedule = z.object({
  /** The property's local time the scheduler starts the audit (HH:MM). */
  time: localTime,
  /** False: only a manager starts it. */
  automatic: z.boolean(),
  /** True when the time is the server default (NIGHT_AUDIT_TIME), not a property setting. */
  isDefault: z.boolean(),
});
export type NightAuditSchedule = z.infer<typeof nightAuditSchedule>;

export const nightAuditStatusResult = z.object({
  businessDate: hotelDate,
  timeZone: z.string(),
  /** Today's calendar date in the property's zone: a business date after it cannot be closed yet. */
  calendarDate: hotelDate,
  schedule: nightAuditSchedule,
  /** The run in progress or the latest unfinished one (failed runs resume on the next start). */
  current: nightAuditRun.nullable(),
  /** The latest completed run. */
  lastCompleted: nightAuditRun.nullable(),
});
export type NightAuditStatusResult = z.infer<typeof nightAuditStatusResult>;

// ---------- commands ----------

export const nightAuditRunCommand = defineCommand('nightAudit.run', {
  permission: 'nightAudit.run',
  description: 'Starts (or resumes) the night audit of the property\'s business date. Acks { runId, businessDate } once the run holds the property\'s audit lock; CONFLICT while another run holds it or when the business date is already ahead of the calendar. Progress follows as nightAudit.* events.',
  payload: z.object({ propertyId: id }),
});
export const nightAuditRunResult = z.object({ runId: id, businessDate: hotelDate });
export type NightAuditRunResult = z.infer<typeof nightAuditRunResult>;

export const nightAuditStatus = defineCommand('nightAudit.status', {
  permission: 'report.read',
  description: 'The business date, the audit schedule, the current or failed run and the last completed run. Emits no event.',
  payload: z.object({ propertyId: id }),
});

export const nightAuditHistory = defineCommand('nightAudit.history', {
  permission: 'report.read',
  description: 'Past night audit runs, newest first. Emits no event.',
  payload: z.object({ propertyId: id, limit: z.number().int().min(1).max(366).default(30) }),
});
export const nightAuditHistoryResult = z.object({ runs: z.array(nightAuditRun) });
export type NightAuditHistoryResult = z.infer<typeof nightAuditHistoryResult>;

export const nightAuditConfigure = defineCommand('nightAudit.configure', {
  permission: 'nightAudit.run',
  description: 'Sets the property\'s audit time (null: the server default) and whether the scheduler runs it. Emits nightAudit.scheduleChanged.',
  payload: z.object({ propertyId: id, time: localTime.nullable(), automatic: z.boolean() }),
});

export const reportDaily = defineCommand('report.daily', {
  permission: 'report.read',
  description: 'The stored statistics of closed business dates in [from, to] (inclusive), oldest first: occupancy, ADR, RevPAR, revenue by department, payments by method. Emits no event; boards refetch on nightAudit.completed.',
  payload: z.object({ propertyId: id, from: hotelDate, to: hotelDate }),
});
export const reportDailyResult = z.object({ currency, days: z.array(dailyStatistics) });
export type ReportDailyResult = z.infer<typeof reportDailyResult>;

// ---------- events ----------

export const nightAuditStarted = defineEvent('nightAudit.started', {
  description: 'A run of the night audit started or resumed (resumed: an earlier attempt of the same date stopped half-way).',
  payload: z.object({ runId: id, businessDate: hotelDate, startedBy: id.nullable(), resumed: z.boolean() }),
});

export const nightAuditProgress = defineEvent('nightAudit.progress', {
  description: 'The run got further: `done` of `total` items of `step` are through (committed).',
  payload: z.object({ step: nightAuditStep, done: z.number().int(), total: z.number().int(), runId: id, businessDate: hotelDate }),
});

export const nightAuditCompleted = defineEvent('nightAudit.completed', {
  description: 'The business date is closed: its statistics are stored and the property\'s business date is now nextBusinessDate.',
  payload: z.object({ businessDate: hotelDate, nextBusinessDate: hotelDate, runId: id, statistics: dailyStatistics }),
});

export const nightAuditFailed = defineEvent('nightAudit.failed', {
  description: 'A run stopped before closing the date; what it committed stays, and the next start resumes it.',
  payload: z.object({ runId: id, businessDate: hotelDate, step: nightAuditStep, message: z.string() }),
});

export const nightAuditScheduleChanged = defineEvent('nightAudit.scheduleChanged', {
  description: 'The property\'s audit time or automatic flag changed.',
  payload: nightAuditSchedule,
});

export const nightAuditCommands = [nightAuditRunCommand, nightAuditStatus, nightAuditHistory, nightAuditConfigure, reportDaily] as const;
export const nightAuditEvents = [nightAuditStarted, nightAuditProgress, nightAuditCompleted, nightAuditFailed, nightAuditScheduleChanged] as const;
