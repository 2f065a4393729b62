import type { CommandSpec, EventSpec } from './define.ts';
import { housekeepingCommands, housekeepingEvents } from './housekeeping.ts';
import { notificationEvents } from './notifications.ts';
import { roomCommands, roomEvents } from './property.ts';

/** Every command and event of the contract. Each domain's protocol file adds its lists here. */
export const COMMANDS: readonly CommandSpec[] = [...roomCommands, ...housekeepingCommands];
export const EVENTS: readonly EventSpec[] = [...roomEvents, ...housekeepingEvents, ...notificationEvents];

export const COMMANDS_BY_TYPE: ReadonlyMap<string, CommandSpec> = new Map(COMMANDS.map((c) => [c.type, c]));
