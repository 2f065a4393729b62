// A command done in one statement (pipeline/types.ts `FastWrite`): after the preflight when its target's property
// is not known yet, and without it once it is, which makes the everyday room.setStatus one round trip.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@innboard/shared';
import type { Logger } from '../logger.ts';
import type { DeliveredNotification } from '../notifications/store.ts';
import type { EventSequencer } from '../events/sequencer.ts';
import { callerSql } from '../identity/authorize.ts';
import { writeFastCommand } from './commit-records.ts';
import { toErrorBody } from './db-errors.ts';
import { returned } from './returned.ts';
import { toSafeError } from './safe-error.ts';
import { createPropertyGate } from './property-gate.ts';
import { createTargetProperties } from './target-properties.ts';
import type { DispatchOutcome } from './dispatch.ts';
import type { CommandHandler, FastWrite, Reaction } from './types.ts';

/** Targets whose property a node remembers: ~200 bytes each, a few MB at most. */
const REMEMBERED_TARGETS = 20_000;

/** What a fast command's statement needs to know; the caller's role comes from the statement itself. */
export interface FastCommand {
  id: string;
  type: string;
  propertyId: string;
  userId: string;
}

export function createFastCommands(deps: {
  /**
   * One EntityManager for every fast command: the statement runs outside any transaction and loads no entity, so
   * a command needs no fork of its own (a fork builds an EntityManager and a UnitOfWork: ~4 % of the server's CPU
   * per command in the ninth session's profile). A fork, not the root: the root would join whatever transaction
   * context the caller runs in.
   */
  em: EntityManager;
  sequencer: EventSequencer;
  /** Statements of one property on their way to PostgreSQL at once (property-gate.ts); config WRITES_PER_PROPERTY. */
  writesPerProperty: number;
  reactions: ReadonlyMap<string, readonly Reaction[]>;
  logger: Logger;
  /** Runs after commit, before the events are published (dispatch.ts `runAfterCommit`). */
  afterCommit(events: EventEnvelope[]): Promise<void>;
  /** The first answer of a command id another attempt committed. */
  replayCommitted(commandId: string, userId: string): Promise<DispatchOutcome>;
  /** Hands the notices the statement stored to their `user:<id>` rooms. */
  deliver?(notifications: DeliveredNotification[]): void;
}) {
  const { sequencer, logger } = deps;
  const targets = createTargetProperties(REMEMBERED_TARGETS);
  const gate = createPropertyGate(deps.writesPerProperty);

  /** The handler's single statement for a command, unless a same-transaction reaction listens to its events. */
  function plan(handler: CommandHandler, payload: unknown, propertyId: string, userId: string): FastWrite | null {
    const write = handler.fast!.plan(payload, { propertyId, userId, caller: callerSql(userId, propertyId, handler.spec.permission) });
    return write.events.some((e) => deps.reactions.get(e.type)?.length) ? null : write;
  }

  /**
   * Sends the statement: no BEGIN, no COMMIT. Null when it applied to no row: nothing was written. Throws what
   * the statement threw (nothing written, or its outcome unknown).
   */
  async function send(cmd: FastCommand, write: FastWrite): Promise<DispatchOutcome | null> {
    // Null when a slot is free: no extra turn of the microtask queue on the everyday path.
    const turn = gate.acquire(cmd.propertyId);
    if (turn) await turn;
    const now = new Date();
    const ticket = write.events.length ? sequencer.issue([cmd.propertyId]) : null;
    let records: Awaited<ReturnType<typeof writeFastCommand>>;
    try {
      records = await writeFastCommand(deps.em, write, {
        commandId: cmd.id, userId: cmd.userId, type: cmd.type, at: now, result: write.result,
        events: write.events.map((e) => ({ ...e, propertyId: cmd.propertyId })),
        // The role the statement authorized (FastPlanInput.caller), not one read before it.
        audit: { at: now, actorId: cmd.userId, actorRole: returned<string>('actor_role'), propertyId: cmd.propertyId, commandType: cmd.type, commandId: cmd.id, changes: write.changes, outcome: 'ok' },
      });
    } catch (err) {
      if (ticket) sequencer.settle(ticket, []);
      throw err;
    } finally {
      gate.release(cmd.propertyId);
    }
    if (records?.events.length) await deps.afterCommit(records.events);
    if (ticket) sequencer.settle(ticket, records?.events ?? []);
    if (records?.notifications?.length) deps.deliver?.(records.notifications);
    return records && { ack: records.ack, events: records.events };
  }

  /**
   * The statement sent without the preflight, to the property its target is known to belong to. A repeated id
   * fails on command_result's key (nothing written) and gets its first answer. Null when the checked path has to
   * answer: the statement applied to nothing (unknown or deleted room, not a member, no permission, a forbidden or
   * no-op move, ...) or failed with nothing written or an unknown outcome (the preflight then finds a committed
   * answer by the id, or the command runs).
   */
  async function sendWithoutPreflight(cmd: FastCommand, handler: CommandHandler, payload: unknown): Promise<DispatchOutcome | null> {
    const write = plan(handler, payload, cmd.propertyId, cmd.userId);
    if (!write) return null;
    try {
      return await send(cmd, write);
    } catch (err) {
      if (toErrorBody(err) === 'DUPLICATE_COMMAND') return deps.replayCommitted(cmd.id, cmd.userId);
      logger.warn({ err: toSafeError(err), commandId: cmd.id, type: cmd.type }, 'single statement failed; taking the checked path');
      return null;
    }
  }

  return { targets, plan, send, sendWithoutPreflight };
}
