import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { commandEnvelopeSchema, type Ack, type ErrorBody, type EventEnvelope } from '@innboard/shared';
import type { Logger } from '../logger.ts';
import { writeAudit, type AuditOutcome } from '../audit/outbox.ts';
import { createEventSequencer, type Ticket } from '../events/sequencer.ts';
import { can, loadAccess, type Access } from '../identity/authorize.ts';
import { CommandError } from './errors.ts';
import { findStoredAck, isRememberable, storeFailureAck } from './idempotency.ts';
import { loadPreflight, type Preflight } from './preflight.ts';
import { writeCommitRecords } from './commit-records.ts';
import { createFastCommands } from './fast-command.ts';
import { DEFAULT_WRITES_PER_PROPERTY } from './property-gate.ts';
import { toErrorBody } from './db-errors.ts';
import { toSafeError } from './safe-error.ts';
import { writeNotifications, type DeliveredNotification, type PendingNotification } from '../notifications/store.ts';
import { SYSTEM_ACTOR, type Actor, type CommandHandler, type CommandContext, type CommandServices, type EntityChange, type PendingEvent, type Reaction } from './types.ts';

export interface Caller {
  userId: string;
  /** Per-socket limiter; resolves false when the caller is over its rate. */
  consume(): Promise<boolean>;
}

export interface DispatchOutcome {
  ack: Ack;
  /** Committed events; the dispatcher hands them to `publish` in seq order, after the ack. */
  events: EventEnvelope[];
  /** The caller's account is deactivated or gone: the transport should drop the socket. */
  revoke?: boolean;
}

/** A unit of work nobody sent over a socket (scheduler, guest site): see `runSystem`. */
export interface SystemWork {
  propertyId: string;
  /** Names the work in the audit trail and the idempotency record, like a command type (`nightAudit.postCharges`). */
  type: string;
  /** Who the audit trail names; the system actor when omitted (scheduler, anonymous guests). */
  actor?: Actor;
  /**
   * Makes the work idempotent: the same id again returns the first answer and changes nothing (derive it
   * from what the work is about with `systemCommandId`). A fresh UUID when omitted.
   */
  commandId?: string;
  /**
   * Awaited once the work has committed, before its events go out: whatever it frees is free by the time anyone
   * hears of the work (the night audit releases its lock here, so a board that sees the day closed can start the next).
   */
  afterCommit?: () => Promise<void>;
}

export interface SystemOutcome<R> {
  ack: Ack<R>;
  /** Committed events, already on their way to the boards in seq order. */
  events: EventEnvelope[];
  /** The commandId had already committed: this is its first answer and nothing ran now. */
  replayed: boolean;
}

export interface DispatcherDeps {
  orm: MikroORM;
  handlers: ReadonlyMap<string, CommandHandler>;
  /** Same-transaction reactions by event type. */
  reactions: ReadonlyMap<string, readonly Reaction[]>;
  logger: Logger;
  /** Broadcasts committed events; called in seq order per property, on a later turn than the ack. */
  publish(events: EventEnvelope[]): void;
  /** Hands committed per-user notifications to their `user:<id>` rooms. */
  deliver?(notifications: DeliveredNotification[]): void;
  onCommand?(type: string, outcome: string, seconds: number): void;
  /** Awaited after commit, before the events are published (identity sync across nodes). */
  afterCommit?(events: EventEnvelope[]): Promise<void>;
  /** Permission lookup; app.ts passes the Redis-cached one when REDIS_URL is set. */
  loadAccess?: typeof loadAccess;
  services?: CommandServices;
  /** Single statements of one property in flight to PostgreSQL at once (property-gate.ts); DEFAULT_WRITES_PER_PROPERTY when omitted. */
  writesPerProperty?: number;
}

const fail = (error: ErrorBody): Ack => ({ ok: false, error });
/** One answer for "does not exist" and "belongs to a property you are not a member of". */
const notFoundAck = () => fail({ code: 'NOT_FOUND', message: 'The thing this command refers to does not exist' });

/**
 * envelope -> rate limit -> idempotency -> payload -> scope -> authorize -> unit of work -> ack.
 * Every path ends in an ack; nothing the client sends can make it throw.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const { orm, handlers, logger } = deps;
  const sequencer = createEventSequencer((events) => deps.publish(events));
  const fast = createFastCommands({ em: orm.em.fork(), sequencer, writesPerProperty: deps.writesPerProperty ?? DEFAULT_WRITES_PER_PROPERTY, reactions: deps.reactions, logger, afterCommit: runAfterCommit, replayCommitted, deliver: deps.deliver });

  async function recordFailure(commandId: string, userId: string, type: string, ack: Ack, audit: { propertyId: string | null; role: Actor['role'] | null; outcome: AuditOutcome; remember?: boolean }) {
    const em = orm.em.fork();
    const now = new Date();
    await em.transactional(async (tem) => {
      if ((audit.remember ?? true) && isRememberable(ack)) await storeFailureAck(tem, commandId, userId, type, ack, now);
      if (!ack.ok) {
        await writeAudit(tem, {
          at: now, actorId: userId, actorRole: audit.role, propertyId: audit.propertyId, commandType: type,
          commandId, changes: [], outcome: audit.outcome, errorCode: ack.error.code,
        });
      }
    });
  }

  /** The first answer to a command id, for its own user only. */
  function replay(stored: NonNullable<Preflight['stored']>, userId: string): DispatchOutcome {
    if (stored.userId !== userId) return { ack: fail({ code: 'CONFLICT', message: 'This command id was already used by someone else' }), events: [] };
    return { ack: stored.ack, events: [] };
  }

  /** The pre-checks one query at a time, for a scope given only as a function (no `query`). */
  async function preflightStepByStep(em: EntityManager, handler: CommandHandler, id: string, userId: string, payload: unknown): Promise<Preflight> {
    const stored = await findStoredAck(em, id);
    if (stored) return { stored, propertyId: null, access: null };
    const propertyId = await handler.scope(payload, em);
    return { stored: null, propertyId, access: propertyId ? await (deps.loadAccess ?? loadAccess)(em, userId, propertyId) : null };
  }

  async function run(caller: Caller, raw: unknown): Promise<DispatchOutcome> {
    const envelope = commandEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      return { ack: fail({ code: 'VALIDATION', message: 'Malformed command envelope: expected { id: uuid, type, payload }', details: envelope.error.issues }), events: [] };
    }
    const { id, type, payload } = envelope.data;
    const handler = handlers.get(type);
    if (!handler) return { ack: fail({ code: 'VALIDATION', message: `Unknown command type "${type}"` }), events: [] };
    if (!(await caller.consume())) return { ack: fail({ code: 'RATE_LIMITED', message: 'Too many commands; slow down and retry' }), events: [] };

    // Made on first use: the everyday command below needs none (fast-command.ts).
    let forked: EntityManager | undefined;
    const em = () => (forked ??= orm.em.fork());
    // Parsing needs no database; a stored answer still wins over a now-invalid payload (idempotency first).
    // A payload the schema refuses is not remembered: it reached nothing, the same payload again gets the
    // same answer anyway, and storing it would let junk messages write a row each (pnpm test:faults, input fuzz).
    const parsed = handler.spec.payload.safeParse(payload);
    if (!parsed.success) {
      const stored = await findStoredAck(em(), id);
      if (stored) return replay(stored, caller.userId);
      return { ack: fail({ code: 'VALIDATION', message: `Invalid ${type} payload`, details: parsed.error.issues }), events: [] };
    }

    // The everyday command as ONE statement without the preflight, once its target's property is known here. It
    // authorizes itself; when it applies to nothing, the checked path below answers as it always has.
    const target = handler.fast?.target(parsed.data);
    const known = target === undefined ? undefined : fast.targets.get(target);
    if (known) {
      const outcome = await fast.sendWithoutPreflight({ id, type, propertyId: known, userId: caller.userId }, handler, parsed.data);
      if (outcome) return outcome;
    }

    const pre = handler.scope.query
      ? await loadPreflight(em(), id, caller.userId, handler.scope.query(parsed.data))
      : await preflightStepByStep(em(), handler, id, caller.userId, parsed.data);
    if (pre.stored) return replay(pre.stored, caller.userId);
    const propertyId = pre.propertyId;
    if (!propertyId) {
      if (target !== undefined) fast.targets.forget(target);
      const ack = notFoundAck();
      await storeFailureAck(em(), id, caller.userId, type, ack, new Date());
      return { ack, events: [] };
    }
    // Access comes from the same preflight query as the scope: fresh from Postgres on every command,
    // so a role change or deactivation applies at the next command on every node.
    const access = pre.access;
    if (access && !access.active) {
      return { ack: fail({ code: 'UNAUTHORIZED', message: 'Your account is no longer active' }), events: [], revoke: true };
    }
    if (!access) {
      // Another property's entity answers exactly like a missing one: the caller learns nothing about
      // what exists elsewhere. The attempt still lands in that property's audit trail as a denial.
      const ack = notFoundAck();
      await recordFailure(id, caller.userId, type, ack, { propertyId, role: null, outcome: 'denied' });
      return { ack, events: [] };
    }
    if (!can(access, handler.spec.permission)) {
      const what = handler.spec.description.replace(/\.$/, '').split('.')[0]!;
      const ack = fail({ code: 'FORBIDDEN', message: `Your role does not allow this: ${what.charAt(0).toLowerCase()}${what.slice(1)}` });
      await recordFailure(id, caller.userId, type, ack, { propertyId, role: access.role, outcome: 'denied' });
      return { ack, events: [] };
    }
    const cmd = { id, type, propertyId, actor: { userId: caller.userId, role: access.role }, access, em: em() };
    // Its single statement, unless it just applied to nothing: then only `handle` can answer.
    const write = handler.fast && !known ? fast.plan(handler, parsed.data, propertyId, caller.userId) : null;
    if (write) {
      let outcome: DispatchOutcome | null;
      try {
        outcome = await fast.send({ ...cmd, userId: caller.userId }, write);
      } catch (err) {
        return failed(cmd, err);
      }
      if (outcome) {
        // Learnt from a committed change rather than from the preflight alone: until then the same command of
        // another caller takes the same path as this one, so copies reach the room's row lock in the order sent.
        fast.targets.learn(target!, propertyId);
        return outcome;
      }
    }
    // The preflight's EntityManager (it holds no entities) hosts the transaction: one fork per command.
    return runUnitOfWork(cmd, (ctx) => handler.handle(ctx, parsed.data));
  }

  /**
   * Another attempt (this node or another) committed the same command id first; its answer is the answer, but
   * only to the user who sent it: anyone else gets CONFLICT, as before the race.
   */
  async function replayCommitted(commandId: string, userId: string): Promise<DispatchOutcome> {
    const stored = await findStoredAck(orm.em.fork(), commandId);
    if (stored) return replay(stored, userId);
    return { ack: fail({ code: 'UNAVAILABLE', message: 'Please retry' }), events: [] };
  }

  /** Runs before the events are handed out: e.g. a removed member leaves the property's room on every node before anyone broadcasts what happened next. */
  async function runAfterCommit(events: EventEnvelope[]) {
    if (deps.afterCommit) await deps.afterCommit(events).catch((err) => logger.error({ err: toSafeError(err) }, 'post-commit hook failed'));
  }

  /** The answer to a command whose write threw (rolled back, or its outcome unknown: a retry with the same id finds out). */
  async function failed(cmd: { id: string; type: string; propertyId: string; actor: Actor; rememberFailure?: boolean }, err: unknown): Promise<DispatchOutcome> {
    const error = err instanceof CommandError ? err.toBody() : toErrorBody(err);
    if (error === 'DUPLICATE_COMMAND') return replayCommitted(cmd.id, cmd.actor.userId);
    if (error.code === 'INTERNAL') logger.error({ err: toSafeError(err), commandId: cmd.id, type: cmd.type }, 'command failed');
    const ack = fail(error);
    await recordFailure(cmd.id, cmd.actor.userId, cmd.type, ack, { propertyId: cmd.propertyId, role: cmd.actor.role, outcome: 'failed', remember: cmd.rememberFailure }).catch((e) =>
      logger.warn({ err: toSafeError(e), commandId: cmd.id }, 'could not record command failure'),
    );
    return { ack, events: [] };
  }

  /** The transaction of a command or of system work. `rememberFailure: false` lets the same id run again after a failure. */
  async function runUnitOfWork(
    cmd: { id: string; type: string; propertyId: string; actor: Actor; rememberFailure?: boolean; access?: Access; em?: EntityManager; afterCommit?: () => Promise<void> },
    work: (ctx: CommandContext) => Promise<unknown>,
  ): Promise<DispatchOutcome> {
    const now = new Date();
    const pending: PendingEvent[] = [];
    const changes: EntityChange[] = [];
    const notices: PendingNotification[] = [];
    let delivered: DeliveredNotification[] = [];
    let committed: EventEnvelope[] = [];
    let ticket: Ticket | null = null;
    try {
      const ack = await (cmd.em ?? orm.em.fork()).transactional(async (em) => {
        const ctx: CommandContext = {
          em, now, actor: cmd.actor, propertyId: cmd.propertyId, commandId: cmd.id, access: cmd.access,
          emit: (event, eventPayload) => pending.push({ propertyId: cmd.propertyId, type: event.type, payload: eventPayload }),
          recordChange: (change) => changes.push(change),
          notify: (notice) => notices.push(notice),
          services: deps.services ?? {},
        };
        const result = await work(ctx);
        // Reactions may emit events that trigger further reactions; the queue grows as we walk it.
        for (let i = 0; i < pending.length; i++) {
          for (const reaction of deps.reactions.get(pending[i]!.type) ?? []) await reaction.run(ctx, pending[i]!.payload);
        }
        await em.flush();
        delivered = await writeNotifications(em, cmd.propertyId, cmd.actor.userId, notices, now);
        // Events + audit row + idempotency record: one statement, last, so the seq counter is locked briefly.
        // The ticket covers it through COMMIT (events/sequencer.ts).
        if (pending.length) ticket = sequencer.issue(pending.map((e) => e.propertyId));
        const records = await writeCommitRecords(em, {
          commandId: cmd.id, userId: cmd.actor.userId, type: cmd.type, at: now, result, events: pending,
          audit: { at: now, actorId: cmd.actor.userId, actorRole: cmd.actor.role, propertyId: cmd.propertyId, commandType: cmd.type, commandId: cmd.id, changes, outcome: 'ok' },
        });
        committed = records.events;
        return records.ack;
      });
      if (committed.length) await runAfterCommit(committed);
      await cmd.afterCommit?.().catch((err) => logger.error({ err: toSafeError(err), commandId: cmd.id }, 'after-commit step failed'));
      if (ticket) sequencer.settle(ticket, committed);
      ticket = null;
      if (delivered.length) deps.deliver?.(delivered);
      return { ack, events: committed };
    } catch (err) {
      if (ticket) sequencer.settle(ticket, []);
      return failed(cmd, err);
    }
  }

  /**
   * A unit of work nobody sent over a socket: the scheduler's night audit, a guest-facing public route.
   * Same guarantees as a command: one transaction for `fn` and the reactions to its events, gapless seq,
   * the audit row (system actor unless `actor` is given), the idempotency record and broadcast in seq order
   * after commit. No permission check: the caller decides what may run. Failures come back as acks and are
   * not remembered, so a resumed job can run the same commandId again; a committed commandId is replayed.
   */
  async function runSystem<R>(work: SystemWork, fn: (ctx: CommandContext) => Promise<R>): Promise<SystemOutcome<R>> {
    const started = performance.now();
    const id = work.commandId ?? randomUUID();
    const actor = work.actor ?? SYSTEM_ACTOR;
    const stored = work.commandId ? await findStoredAck(orm.em.fork(), id) : null;
    const outcome: SystemOutcome<R> = stored
      ? { ack: stored.ack as Ack<R>, events: [], replayed: true }
      : { ...((await runUnitOfWork({ id, type: work.type, propertyId: work.propertyId, actor, rememberFailure: false, afterCommit: work.afterCommit }, fn)) as DispatchOutcome & { ack: Ack<R> }), replayed: false };
    deps.onCommand?.(work.type, outcome.ack.ok ? 'ok' : outcome.ack.error.code, (performance.now() - started) / 1000);
    return outcome;
  }

  return Object.assign(async function dispatch(caller: Caller, raw: unknown): Promise<DispatchOutcome> {
    const started = performance.now();
    let outcome: DispatchOutcome;
    try {
      outcome = await run(caller, raw);
    } catch (err) {
      const body = toErrorBody(err);
      if (body === 'DUPLICATE_COMMAND' || body.code === 'INTERNAL') logger.error({ err: toSafeError(err) }, 'dispatch failed');
      outcome = { ack: fail(body === 'DUPLICATE_COMMAND' ? { code: 'INTERNAL', message: 'Something went wrong' } : body), events: [] };
    }
    const type = raw && typeof raw === 'object' && typeof (raw as { type?: unknown }).type === 'string' && handlers.has((raw as { type: string }).type) ? (raw as { type: string }).type : 'unknown';
    deps.onCommand?.(type, outcome.ack.ok ? 'ok' : outcome.ack.error.code, (performance.now() - started) / 1000);
    return outcome;
  }, { runSystem });
}
export type Dispatch = ReturnType<typeof createDispatcher>;
export type RunSystem = Dispatch['runSystem'];
