import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommandSpec, EventSpec, RoleName } from '@innboard/shared';
import type { z } from 'zod';
import type { AuditReader } from '../audit/sink.ts';
import type { Access } from '../identity/authorize.ts';
import type { PendingNotification, StatementNotice } from '../notifications/store.ts';

export interface Actor {
  userId: string;
  /** `system`: work nobody on staff started (scheduler, guest site); see `runSystem` in dispatch.ts. */
  role: RoleName | 'system';
}

/** Who the audit trail, the idempotency record and `createdBy` columns name for system work; no user row has this id. */
export const SYSTEM_ACTOR: Actor = { userId: '00000000-0000-0000-0000-000000000000', role: 'system' };

export interface PendingEvent {
  propertyId: string;
  type: string;
  payload: unknown;
}

export interface EntityChange {
  type: string;
  id: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/**
 * Node-wide services a few handlers need beyond the unit of work (wired once in app.ts). Kept
 * small on purpose: domain rules read and write through `em`.
 */
export interface CommandServices {
  /** The active audit sink's read side (Postgres audit_log or Mongo audit_logs). */
  auditLog?: AuditReader;
  /**
   * Starts a property's night audit on this node (domains/night-audit/runner.ts): takes the cross-node
   * lock or throws CONFLICT, then works through system units of work after the command's ack.
   */
  nightAudit?: {
    start(propertyId: string, actor: Actor): Promise<{ runId: string; businessDate: string }>;
    /** NIGHT_AUDIT_TIME: the audit time of properties without their own. */
    readonly defaultTime: string;
  };
}

export interface CommandContext {
  /** The unit of work: every read and write of the command goes through it (one transaction). */
  em: EntityManager;
  actor: Actor;
  propertyId: string;
  commandId: string;
  now: Date;
  /**
   * The caller's standing in the property as the pipeline read it for this command (preflight, the same
   * snapshot its permission check used); absent for system work. Rules needing a second permission read it
   * here instead of querying again.
   */
  access?: Access;
  /** Queue an event; it gets its seq and is logged in this transaction, broadcast after commit. */
  emit<E extends EventSpec>(event: E, payload: z.infer<E['payload']>): void;
  /** Record what changed for the audit trail (only the changed fields). */
  recordChange(change: EntityChange): void;
  /** Queue a per-user notification (see domains/notifications/notify.ts); stored in this transaction, delivered after commit. */
  notify(notice: PendingNotification): void;
  services: CommandServices;
}

/**
 * A rule of one domain that reacts to another domain's event inside the same unit of work
 * (check-out -> departure-clean task). It sees the same context, so its writes and events commit
 * or roll back with the command.
 */
export interface Reaction<E extends EventSpec = EventSpec> {
  on: E;
  run(ctx: CommandContext, payload: z.infer<E['payload']>): Promise<void>;
}

export function defineReaction<E extends EventSpec>(on: E, run: (ctx: CommandContext, payload: z.infer<E['payload']>) => Promise<void>): Reaction<E> {
  return { on, run };
}

/** A scope as a subquery selecting the property id, so the pipeline can run it with its other pre-checks. */
export interface ScopeQuery {
  sql: string;
  params: unknown[];
}

/**
 * A command done in ONE statement, without a transaction (a single statement is atomic): `sql` is a
 * data-modifying statement (an `update ... returning`) that returns one row when it applied and none otherwise;
 * the pipeline runs it as a CTE together with the events, the audit row and the idempotency record, each
 * written only if it returned a row. It is sent without the preflight when the target's property is known, so
 * it must check everything itself: it applies only for a caller `FastPlanInput.caller` admits, and only where
 * `handle` would make exactly this change; anything else must make it apply to nothing (then the preflight and
 * `handle` answer as usual). Values known only from the row (a previous status) are `returned(column)`
 * (pipeline/returned.ts) in the events, changes and result.
 */
export interface FastWrite<R = unknown> {
  sql: string;
  params: unknown[];
  /** Events of the command's property, in emission order. */
  events: Array<Omit<PendingEvent, 'propertyId'>>;
  changes: EntityChange[];
  result: R;
  /** A notice the same statement stores for the people to tell, when its `when` column is true. */
  notice?: StatementNotice;
}

export interface FastPlanInput {
  propertyId: string;
  userId: string;
  /**
   * A subquery (columns `role`, `permissions`) with one row only for an active member of the property whose role
   * has the command's permission. The write joins it (`from <sql> as caller`), so it applies only for such a
   * caller, and returns `caller.role` as `actor_role`: the role the audit trail names.
   */
  caller: { sql: string; params: unknown[] };
}

/** A handler's single-statement path (`CommandHandler.fast`). */
export interface FastPlan<P, R> {
  /**
   * The entity the command acts on, which never moves to another property (a room): the pipeline remembers its
   * property from earlier commands, so the statement can go out without the preflight.
   */
  target(payload: P): string;
  plan(payload: P, input: FastPlanInput): FastWrite<R>;
}

/**
 * Resolves the property a command acts on before authorization; null means the target does not exist.
 * With `query` (byPropertyId, byEntity) the pipeline folds it into one round trip with the idempotency
 * lookup and the access check; a plain function still works, at two more round trips.
 */
export type ScopeResolver<P> = ((payload: P, em: EntityManager) => Promise<string | null>) & { query?: (payload: P) => ScopeQuery };

export interface CommandHandler<C extends CommandSpec = CommandSpec, R = unknown> {
  spec: C;
  scope: ScopeResolver<z.infer<C['payload']>>;
  handle(ctx: CommandContext, payload: z.infer<C['payload']>): Promise<R>;
  /**
   * Optional single-statement path for the everyday case. A statement that applies to no row means the
   * preflight and `handle` run as usual, so it must apply only where `handle` would answer the same. Not used
   * when a reaction listens to one of its events.
   */
  fast?: FastPlan<z.infer<C['payload']>, R>;
}

export function defineHandler<C extends CommandSpec, R>(
  spec: C,
  impl: {
    scope: ScopeResolver<z.infer<C['payload']>>;
    handle: (ctx: CommandContext, payload: z.infer<C['payload']>) => Promise<R>;
    fast?: FastPlan<z.infer<C['payload']>, R>;
  },
): CommandHandler<C, R> {
  return { spec, ...impl };
}

/** A scope resolver from its query: run alone (first column) or folded into the preflight. */
export function scopeFromQuery<P>(query: (payload: P) => ScopeQuery): ScopeResolver<P> {
  const resolve = async (payload: P, em: EntityManager): Promise<string | null> => {
    const { sql, params } = query(payload);
    const rows = await em.execute<Record<string, string>[]>(sql, params);
    return rows[0] ? Object.values(rows[0])[0]! : null;
  };
  return Object.assign(resolve, { query });
}

/** Scope of a command whose payload names its property. */
export const byPropertyId: ScopeResolver<{ propertyId: string }> = scopeFromQuery((payload) => ({ sql: 'select id from property where id = ?', params: [payload.propertyId] }));

/** Scope of a command that names one row of `table` by `key`; the row's property_id is its scope. */
export function byEntity<K extends string>(table: string, key: K): ScopeResolver<Record<K, string>> {
  return scopeFromQuery((payload) => ({ sql: `select property_id from "${table}" where id = ?`, params: [payload[key]] }));
}
