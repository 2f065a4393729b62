// The units of work of one night audit run. Each is called through runSystem (one transaction each),
// so each commits its changes, progress and audit row together; the runner decides the order.
import { LockMode } from '@mikro-orm/core';
import { nightAuditCompleted, nightAuditFailed, nightAuditProgress, nightAuditStarted, type NightAuditStep } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict } from '../../pipeline/errors.ts';
import { Property } from '../property/entities.ts';
import { addDays, hotelToday } from '../property/hotel-date.ts';
import { markNoShow } from '../reservations/cancellation.service.ts';
import { dailyStatisticsOf, storeDailyStatistics } from './statistics.ts';

export interface OpenedRun {
  runId: string;
  businessDate: string;
  resumed: boolean;
}

/**
 * Opens the run of the property's business date, or reopens the unfinished one (same row, one more
 * attempt). Refused while the business date is ahead of the property's calendar: a day is closed at
 * the earliest on its own evening. With `dueDate` (the schedule's), refused once the hotel is past that date:
 * another node closed it between this node's look at the clock and its turn at the lock, and the next day
 * is not due yet.
 */
export async function openRun(ctx: CommandContext, startedBy: string | null, dueDate?: string): Promise<OpenedRun> {
  const property = await ctx.em.findOneOrFail(Property, ctx.propertyId, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const businessDate = property.businessDate;
  if (dueDate !== undefined && businessDate !== dueDate) {
    throw conflict(`The audit of ${dueDate} already ran; the business date is ${businessDate}`);
  }
  const calendar = hotelToday(property.timeZone, ctx.now);
  if (businessDate > calendar) {
    throw conflict(`The business date ${businessDate} has not begun yet in ${property.timeZone} (today is ${calendar}); its audit can run from then on`);
  }
  const [row] = await ctx.em.execute<{ id: string; attempts: number }[]>(
    `insert into night_audit_run (id, property_id, business_date, status, step, done, total, attempts, started_by, started_at)
     values (gen_random_uuid(), ?, ?, 'running', 'no_shows', 0, 0, 1, ?, ?)
     on conflict (property_id, business_date) do update
       set status = 'running', attempts = night_audit_run.attempts + 1, started_by = excluded.started_by,
           started_at = excluded.started_at, finished_at = null, error = null
     returning id, attempts`,
    [ctx.propertyId, businessDate, startedBy, ctx.now],
  );
  const resumed = row!.attempts > 1;
  ctx.recordChange({ type: 'night_audit_run', id: row!.id, after: { businessDate, status: 'running', attempt: row!.attempts } });
  ctx.emit(nightAuditStarted, { runId: row!.id, businessDate, startedBy, resumed });
  return { runId: row!.id, businessDate, resumed };
}

export async function reportProgress(ctx: CommandContext, run: OpenedRun, step: NightAuditStep, done: number, total: number): Promise<void> {
  await ctx.em.execute('update night_audit_run set step = ?, done = ?, total = ? where id = ?', [step, done, total, run.runId], 'run');
  ctx.emit(nightAuditProgress, { step, done, total, runId: run.runId, businessDate: run.businessDate });
}

/** Stays that should have arrived by the business date and did not: booked or tentative, arrival on or before it. */
export async function noShowCandidates(ctx: Pick<CommandContext, 'em' | 'propertyId'>, businessDate: string): Promise<string[]> {
  const rows = await ctx.em.execute<{ id: string }[]>(
    `select id from reservation where property_id = ? and status in ('tentative', 'confirmed') and arrival <= ? order by id`,
    [ctx.propertyId, businessDate],
  );
  return rows.map((r) => r.id);
}

/**
 * Marks a batch as no-shows through the front desk's own rule (fee by policy, nights back on sale).
 * A stay checked in or cancelled since the list was read is left alone: the row lock decides.
 */
export async function markNoShows(ctx: CommandContext, businessDate: string, ids: string[]): Promise<number> {
  const still = await ctx.em.execute<{ id: string }[]>(
    `select id from reservation where id = any(?::uuid[]) and property_id = ? and status in ('tentative', 'confirmed') and arrival <= ?
     order by id for update`,
    [`{${ids.join(',')}}`, ctx.propertyId, businessDate],
  );
  for (const { id } of still) await markNoShow(ctx, { reservationId: id });
  return still.length;
}

/**
 * Closes the day in one transaction: stores its statistics, rolls the business date and completes
 * the run, so "completed" always means both happened. CONFLICT when someone moved the date meanwhile.
 */
export async function closeDay(ctx: CommandContext, run: OpenedRun): Promise<{ nextBusinessDate: string }> {
  const property = await ctx.em.findOneOrFail(Property, ctx.propertyId, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (property.businessDate !== run.businessDate) throw conflict(`The business date moved to ${property.businessDate} while the audit of ${run.businessDate} ran`);
  const statistics = await dailyStatisticsOf(ctx.em, ctx.propertyId, run.businessDate, property.currency);
  await storeDailyStatistics(ctx.em, ctx.propertyId, run.runId, statistics, ctx.now);
  const nextBusinessDate = addDays(run.businessDate, 1);
  property.businessDate = nextBusinessDate;
  await ctx.em.execute(
    `update night_audit_run set status = 'completed', step = 'close_day', done = 1, total = 1, finished_at = ? where id = ?`,
    [ctx.now, run.runId], 'run',
  );
  ctx.recordChange({ type: 'property', id: ctx.propertyId, before: { businessDate: run.businessDate }, after: { businessDate: nextBusinessDate } });
  ctx.recordChange({ type: 'night_audit_run', id: run.runId, after: { status: 'completed' } });
  ctx.emit(nightAuditProgress, { step: 'close_day', done: 1, total: 1, runId: run.runId, businessDate: run.businessDate });
  ctx.emit(nightAuditCompleted, { businessDate: run.businessDate, nextBusinessDate, runId: run.runId, statistics });
  return { nextBusinessDate };
}

/** Records why a run stopped; what it committed stays and the next start resumes the same row. */
export async function failRun(ctx: CommandContext, run: OpenedRun, step: NightAuditStep, message: string): Promise<void> {
  await ctx.em.execute(
    `update night_audit_run set status = 'failed', error = ?, finished_at = ? where id = ? and status = 'running'`,
    [message.slice(0, 500), ctx.now, run.runId], 'run',
  );
  ctx.recordChange({ type: 'night_audit_run', id: run.runId, after: { status: 'failed', step, error: message.slice(0, 500) } });
  ctx.emit(nightAuditFailed, { runId: run.runId, businessDate: run.businessDate, step, message: message.slice(0, 500) });
}
