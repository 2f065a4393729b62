// Starts due audits. Every node polls; the audit lock makes exactly one of them run a property's audit,
// and a node that finds the lock taken just tries again at its next poll (which also resumes a run
// whose node died). A business date several days behind is caught up one day per run.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../logger.ts';
import { CommandError } from '../../pipeline/errors.ts';
import { toSafeError } from '../../pipeline/safe-error.ts';
import type { NightAuditRunner } from './runner.ts';
import { isAuditDue } from './schedule.ts';

export interface SchedulerOptions {
  orm: MikroORM;
  runner: NightAuditRunner;
  logger: Logger;
  pollMs: number;
  /** NIGHT_AUDIT_TIME: the audit time of properties without their own. */
  defaultTime: string;
}

interface PropertyClock {
  id: string;
  business_date: string;
  time_zone: string;
  time: string | null;
  automatic: boolean;
}

/** The properties whose audit is due now (automatic, local time past their audit time), with the business date due. */
export async function dueProperties(orm: MikroORM, defaultTime: string, now: Date): Promise<Array<{ propertyId: string; businessDate: string }>> {
  const rows = await orm.em.fork().execute<PropertyClock[]>(
    `select p.id, p.business_date, p.time_zone, s.time, coalesce(s.automatic, true) as automatic
       from property p left join night_audit_setting s on s.property_id = p.id order by p.id`,
  );
  return rows.filter((r) => r.automatic && isAuditDue(r.business_date, r.time ?? defaultTime, r.time_zone, now))
    .map((r) => ({ propertyId: r.id, businessDate: r.business_date }));
}

export function startNightAuditScheduler(opts: SchedulerOptions): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let polling: Promise<void> = Promise.resolve();

  async function poll() {
    for (const { propertyId, businessDate: due } of await dueProperties(opts.orm, opts.defaultTime, new Date())) {
      if (stopped) return;
      try {
        // The date seen due, not whatever the hotel's date is once the lock is ours: another node may have
        // closed it meanwhile, and the next day must wait for its own audit time.
        const { businessDate } = await opts.runner.start(propertyId, null, due);
        opts.logger.info({ propertyId, businessDate }, 'night audit started by the schedule');
      } catch (err) {
        // CONFLICT: another node runs it or already closed that date; anything else is retried next poll.
        if (err instanceof CommandError && err.code === 'CONFLICT') continue;
        opts.logger.warn({ err: toSafeError(err), propertyId }, 'scheduled night audit could not start');
      }
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      polling = poll()
        .catch((err) => opts.logger.warn({ err: toSafeError(err) }, 'night audit schedule poll failed'))
        .finally(schedule);
    }, opts.pollMs);
    timer.unref();
  }
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await polling;
    },
  };
}
