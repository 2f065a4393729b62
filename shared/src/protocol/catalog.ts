import type { CommandSpec, EventSpec } from './define.ts';
import { roomCommands, roomEvents } from './property.ts';

/** Every command and event of the contract. Each domain's protocol file adds its lists here. */
export const COMMANDS: readonly CommandSpec[] = [...roomCommands];
export const EVENTS: readonly EventSpec[] = [...roomEvents];

export const COMMANDS_BY_TYPE: ReadonlyMap<string, CommandSpec> = new Map(COMMANDS.map((c) => [c.type, c]));
