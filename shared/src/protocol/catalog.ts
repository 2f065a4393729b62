import type { CommandSpec, EventSpec } from './define.ts';
import { roomCommands, roomEvents } from './property.ts';
import { identityCommands, identityEvents } from './identity.ts';
import { auditCommands } from './audit.ts';

/** Every command and event of the contract. Each domain's protocol file adds its lists here. */
export const COMMANDS: readonly CommandSpec[] = [...roomCommands, ...identityCommands, ...auditCommands];
export const EVENTS: readonly EventSpec[] = [...roomEvents, ...identityEvents];

export const COMMANDS_BY_TYPE: ReadonlyMap<string, CommandSpec> = new Map(COMMANDS.map((c) => [c.type, c]));
