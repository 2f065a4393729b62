// The board's reads of the night audit (status, history, stored daily statistics) and its schedule setting.
import {
  nightAuditScheduleChanged,
  type NightAuditRun, type NightAuditSchedule, type NightAuditStatusResult, type PayloadOf, type ReportDailyResult,
  type nightAuditConfigure, type nightAuditHistory, type reportDaily,
} from '@innboard/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommandContext } from '../../pipeline/types.ts';
import { invalid } from '../../pipeline/errors.ts';
import { Property } from '../property/entities.ts';
import { hotelToday } from '../property/hotel-date.ts';
import { DailyStatistics, NightAuditRun as RunRow, NightAuditSetting } from './entities.ts';

const MAX_REPORT_DAYS = 366;

export function toRunView(r: RunRow): NightAuditRun {
  return {
    runId: r.id, businessDate: r.businessDate, status: r.status, step: r.step, done: r.done, total: r.total, attempts: r.attempts,
    startedBy: r.startedBy ?? null, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null, error: r.error ?? null,
  };
}

export async function scheduleOf(em: EntityManager, propertyId: string, defaultTime: string): Promise<NightAuditSchedule> {
  const setting = await em.findOne(NightAuditSetting, { property: propertyId });
  return { time: setting?.time ?? defaultTime, automatic: setting?.automatic ?? true, isDefault: !setting?.time };
}

export async function nightAuditStatus(ctx: CommandContext, defaultTime: string): Promise<NightAuditStatusResult> {
  const property = await ctx.em.findOneOrFail(Property, ctx.propertyId);
  const [current] = await ctx.em.find(RunRow, { property: ctx.propertyId, status: { $ne: 'completed' } }, { orderBy: { businessDate: 'desc' }, limit: 1 });
  const [lastCompleted] = await ctx.em.find(RunRow, { property: ctx.propertyId, status: 'completed' }, { orderBy: { businessDate: 'desc' }, limit: 1 });
  return {
    businessDate: property.businessDate, timeZone: property.timeZone, calendarDate: hotelToday(property.timeZone, ctx.now),
    schedule: await scheduleOf(ctx.em, ctx.propertyId, defaultTime),
    current: current ? toRunView(current) : null, lastCompleted: lastCompleted ? toRunView(lastCompleted) : null,
  };
}

export async function nightAuditRuns(ctx: CommandContext, input: PayloadOf<typeof nightAuditHistory>): Promise<{ runs: NightAuditRun[] }> {
  const runs = await ctx.em.find(RunRow, { property: ctx.propertyId }, { orderBy: { businessDate: 'desc' }, limit: input.limit });
  return { runs: runs.map(toRunView) };
}

export async function configureSchedule(ctx: CommandContext, input: PayloadOf<typeof nightAuditConfigure>, defaultTime: string): Promise<NightAuditSchedule> {
  const before = await scheduleOf(ctx.em, ctx.propertyId, defaultTime);
  await ctx.em.execute(
    `insert into night_audit_setting (property_id, time, automatic) values (?, ?, ?)
     on conflict (property_id) do update set time = excluded.time, automatic = excluded.automatic`,
    [ctx.propertyId, input.time, input.automatic], 'run',
  );
  const after = { time: input.time ?? defaultTime, automatic: input.automatic, isDefault: input.time === null };
  if (JSON.stringify(before) === JSON.stringify(after)) return after;
  ctx.recordChange({ type: 'night_audit_setting', id: ctx.propertyId, before: { ...before }, after: { ...after } });
  ctx.emit(nightAuditScheduleChanged, after);
  return after;
}

export async function dailyReport(ctx: CommandContext, input: PayloadOf<typeof reportDaily>): Promise<ReportDailyResult> {
  if (input.to < input.from) throw invalid('The report must end on or after its first day');
  if ((Date.parse(input.to) - Date.parse(input.from)) / 86_400_000 >= MAX_REPORT_DAYS) throw invalid(`A report covers at most ${MAX_REPORT_DAYS} days`);
  const property = await ctx.em.findOneOrFail(Property, ctx.propertyId);
  const rows = await ctx.em.find(DailyStatistics, { property: ctx.propertyId, businessDate: { $gte: input.from, $lte: input.to } }, { orderBy: { businessDate: 'asc' } });
  return {
    currency: property.currency,
    days: rows.map((r) => ({
      businessDate: r.businessDate, currency: r.currency, roomsAvailable: r.roomsAvailable, roomsOutOfOrder: r.roomsOutOfOrder, roomsSold: r.roomsSold,
      occupancy: Number(r.occupancy), roomRevenue: r.roomRevenue, adr: r.adr, revpar: r.revpar, arrivals: r.arrivals, departures: r.departures,
      noShows: r.noShows, revenueByDepartment: r.revenueByDepartment, paymentsByMethod: r.paymentsByMethod,
    })),
  };
}
