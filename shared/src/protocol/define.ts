import type { z } from 'zod';
import type { Permission } from './permissions.ts';

/** A command as both sides know it: its dotted name, payload schema and the permission it needs. */
export interface CommandSpec<T extends string = string, S extends z.ZodType = z.ZodType> {
  type: T;
  payload: S;
  permission: Permission;
  description: string;
}

export interface EventSpec<T extends string = string, S extends z.ZodType = z.ZodType> {
  type: T;
  payload: S;
  description: string;
}

export function defineCommand<T extends string, S extends z.ZodType>(
  type: T,
  spec: { payload: S; permission: Permission; description: string },
): CommandSpec<T, S> {
  return { type, ...spec };
}

export function defineEvent<T extends string, S extends z.ZodType>(
  type: T,
  spec: { payload: S; description: string },
): EventSpec<T, S> {
  return { type, ...spec };
}

export type PayloadOf<C extends CommandSpec> = z.infer<C['payload']>;
export type EventPayloadOf<E extends EventSpec> = z.infer<E['payload']>;
