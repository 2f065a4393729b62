// Runs a property's night audit as a chain of system units of work (runSystem): open the run, mark
// no-shows in batches, post room and tax charges of in-house stays in batches, close the day. Between
// units nothing is held but the property's audit lock, so boards see progress live and a run that dies
// is resumed by the next start: batch ids are derived from their content (a committed batch replays),
// and billing's posting keys (per stay, per date) make a re-posted night a no-op.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { NightAuditStep } from '@innboard/shared';
import type { Logger } from '../../logger.ts';
import type { RunSystem } from '../../pipeline/dispatch.ts';
import { CommandError, conflict } from '../../pipeline/errors.ts';
import { systemCommandId } from '../../pipeline/idempotency.ts';
import { toSafeError } from '../../pipeline/safe-error.ts';
import type { Actor, CommandContext } from '../../pipeline/types.ts';
import { postStayNight } from '../billing/posting.ts';
import { tryAuditLock, type AuditLock } from './audit-lock.ts';
import { closeDay, failRun, markNoShows, noShowCandidates, openRun, reportProgress, type OpenedRun } from './run.steps.ts';

export interface NightAuditRunnerDeps {
  orm: MikroORM;
  databaseUrl: string;
  runSystem: RunSystem;
  logger: Logger;
  batchSize: number;
  /** Tests: awaited after each committed batch; throwing here stops the run half-way like a crash would. */
  afterBatch?: (step: NightAuditStep, batch: number) => Promise<void>;
}

export interface NightAuditRunner {
  /**
   * Takes the property's audit lock (CONFLICT when any node holds it), opens the run and goes on in the background.
   * `dueDate`: the business date the caller saw due (the schedule); CONFLICT when the hotel is past it by now.
   */
  start(propertyId: string, actor: Actor | null, dueDate?: string): Promise<{ runId: string; businessDate: string }>;
  /** Resolves when every run this node started has ended. */
  idle(): Promise<void>;
  /** Shutdown: running audits stop after their current unit (they resume on the next start). */
  stop(): Promise<void>;
}

interface InHouseNight {
  reservationId: string;
  amount: number;
}

const chunk = <T>(list: T[], size: number): T[][] => (list.length ? Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size)) : [[]]);

export function createNightAuditRunner(deps: NightAuditRunnerDeps): NightAuditRunner {
  const { orm, runSystem, logger, batchSize } = deps;
  const running = new Set<Promise<void>>();
  let stopping = false;

  /**
   * One unit of the run; its failure (as an ack) becomes an exception that ends the run. `last`: the run ends with
   * it, so the lock is released before its events go out (whoever hears the run ended may start the next at once).
   */
  async function unit<R>(lock: AuditLock, propertyId: string, type: string, commandId: string | undefined, fn: (ctx: CommandContext) => Promise<R>, last = false): Promise<R> {
    if (stopping) throw new CommandError('UNAVAILABLE', 'The server is shutting down; start the audit again to resume');
    if (!lock.held()) throw new CommandError('UNAVAILABLE', 'The audit lost its database session; start it again to resume');
    const out = await runSystem({ propertyId, type, commandId, ...(last ? { afterCommit: () => lock.release() } : {}) }, fn);
    if (!out.ack.ok) throw new CommandError(out.ack.error.code, out.ack.error.message);
    return out.ack.result;
  }

  async function inHouseNights(propertyId: string, date: string): Promise<InHouseNight[]> {
    const rows = await orm.em.fork().execute<{ id: string; amount: number }[]>(
      `select r.id, n.amount from reservation r join reservation_night n on n.reservation_id = r.id and n.date = ?
        where r.property_id = ? and r.status = 'checked_in' order by r.id`,
      [date, propertyId],
    );
    return rows.map((r) => ({ reservationId: r.id, amount: Number(r.amount) }));
  }

  async function execute(propertyId: string, run: OpenedRun, lock: AuditLock): Promise<void> {
    const date = run.businessDate;
    let step: NightAuditStep = 'no_shows';
    const batchId = (ids: string[]) => systemCommandId('nightAudit', propertyId, date, step, ...ids);
    try {
      const noShows = await noShowCandidates({ em: orm.em.fork(), propertyId }, date);
      let done = 0;
      for (const [i, ids] of chunk(noShows, batchSize).entries()) {
        await unit(lock, propertyId, 'nightAudit.markNoShows', batchId(ids), async (ctx) => {
          await markNoShows(ctx, date, ids);
          await reportProgress(ctx, run, 'no_shows', done + ids.length, noShows.length);
        });
        done += ids.length;
        await deps.afterBatch?.(step, i);
      }

      step = 'room_charges';
      const nights = await inHouseNights(propertyId, date);
      done = 0;
      for (const [i, batch] of chunk(nights, batchSize).entries()) {
        await unit(lock, propertyId, 'nightAudit.postRoomCharges', batchId(batch.map((n) => n.reservationId)), async (ctx) => {
          // Postings carry no staff name: the audit posted them (postedBy null).
          for (const n of batch) await postStayNight({ ...ctx, actor: null }, { reservationId: n.reservationId, date, roomAmount: n.amount });
          await reportProgress(ctx, run, 'room_charges', done + batch.length, nights.length);
        });
        done += batch.length;
        await deps.afterBatch?.(step, i);
      }

      step = 'close_day';
      await unit(lock, propertyId, 'nightAudit.closeDay', systemCommandId('nightAudit', propertyId, date, step), (ctx) => closeDay(ctx, run), true);
    } catch (err) {
      const message = err instanceof CommandError ? err.message : 'The audit stopped unexpectedly; start it again to resume';
      if (!(err instanceof CommandError)) logger.error({ err: toSafeError(err), propertyId, businessDate: date, step }, 'night audit failed');
      else logger.warn({ propertyId, businessDate: date, step, code: err.code }, 'night audit stopped');
      await runSystem({ propertyId, type: 'nightAudit.fail', afterCommit: () => lock.release() }, (ctx) => failRun(ctx, run, step, message)).catch((e) =>
        logger.warn({ err: toSafeError(e), propertyId }, 'could not record the night audit failure'),
      );
    } finally {
      // Released already when the last unit or the failure committed; this covers every other way out.
      await lock.release();
    }
  }

  return {
    async start(propertyId, actor, dueDate) {
      if (stopping) throw new CommandError('UNAVAILABLE', 'The server is shutting down; retry shortly');
      const lock = await tryAuditLock(deps.databaseUrl, propertyId);
      if (!lock) throw conflict('A night audit is already running for this hotel');
      let run: OpenedRun;
      try {
        const opened = await runSystem({ propertyId, type: 'nightAudit.start', actor: actor ?? undefined }, (ctx) => openRun(ctx, actor?.userId ?? null, dueDate));
        if (!opened.ack.ok) throw new CommandError(opened.ack.error.code, opened.ack.error.message);
        run = opened.ack.result;
      } catch (err) {
        await lock.release();
        throw err;
      }
      const work = execute(propertyId, run, lock);
      running.add(work);
      void work.finally(() => running.delete(work));
      return { runId: run.runId, businessDate: run.businessDate };
    },
    async idle() {
      while (running.size) await Promise.all([...running]);
    },
    async stop() {
      stopping = true;
      while (running.size) await Promise.all([...running]);
    },
  };
}
