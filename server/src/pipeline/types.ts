import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommandSpec, EventSpec, RoleName } from '@innboard/shared';
import type { z } from 'zod';
import type { AuditReader } from '../audit/sink.ts';

export interface Actor {
  userId: string;
  role: RoleName;
}

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
}

export interface CommandContext {
  /** The unit of work: every read and write of the command goes through it (one transaction). */
  em: EntityManager;
  actor: Actor;
  propertyId: string;
  commandId: string;
  now: Date;
  /** Queue an event; it gets its seq and is logged in this transaction, broadcast after commit. */
  emit<E extends EventSpec>(event: E, payload: z.infer<E['payload']>): void;
  /** Record what changed for the audit trail (only the changed fields). */
  recordChange(change: EntityChange): void;
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

/** Resolves the property a command acts on before authorization; null means the target does not exist. */
export type ScopeResolver<P> = (payload: P, em: EntityManager) => Promise<string | null>;

export interface CommandHandler<C extends CommandSpec = CommandSpec, R = unknown> {
  spec: C;
  scope: ScopeResolver<z.infer<C['payload']>>;
  handle(ctx: CommandContext, payload: z.infer<C['payload']>): Promise<R>;
}

export function defineHandler<C extends CommandSpec, R>(
  spec: C,
  impl: { scope: ScopeResolver<z.infer<C['payload']>>; handle: (ctx: CommandContext, payload: z.infer<C['payload']>) => Promise<R> },
): CommandHandler<C, R> {
  return { spec, ...impl };
}

/** Scope of a command whose payload names its property. */
export const byPropertyId = async (payload: { propertyId: string }, em: EntityManager): Promise<string | null> => {
  const rows = await em.execute<{ id: string }[]>('select id from property where id = ?', [payload.propertyId]);
  return rows[0]?.id ?? null;
};

/** Scope of a command that names one row of `table` by `key`; the row's property_id is its scope. */
export function byEntity<K extends string>(table: string, key: K) {
  return async (payload: Record<K, string>, em: EntityManager): Promise<string | null> => {
    const rows = await em.execute<{ property_id: string }[]>(`select property_id from "${table}" where id = ?`, [payload[key]]);
    return rows[0]?.property_id ?? null;
  };
}
