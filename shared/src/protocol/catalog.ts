import type { CommandSpec, EventSpec } from './define.ts';
import { housekeepingCommands, housekeepingEvents } from './housekeeping.ts';
import { notificationCommands, notificationEvents } from './notifications.ts';
import { reviewCommands, reviewEvents } from './reviews.ts';
import { roomCommands, roomEvents } from './property.ts';
import { reservationCommands, reservationEvents } from './reservations.ts';
import { rateCommands, rateEvents } from './rates.ts';
import { guestCommands, guestEvents } from './guests.ts';
import { groupCommands, groupEvents } from './groups.ts';
import { roomBlockCommands, roomBlockEvents } from './room-blocks.ts';
import { reportingCommands, reportingEvents } from './reporting.ts';
import { identityCommands, identityEvents } from './identity.ts';
import { auditCommands } from './audit.ts';
import { billingCommands, billingEvents } from './billing.ts';
import { contentCommands, contentEvents } from './collab.ts';
import { posCommands, posEvents } from './pos.ts';
import { inventoryCommands, inventoryEvents } from './inventory.ts';

/** Every command and event of the contract. Each domain's protocol file adds its lists here. */
export const COMMANDS: readonly CommandSpec[] = [
  ...roomCommands, ...reservationCommands, ...rateCommands, ...guestCommands, ...groupCommands, ...roomBlockCommands, ...reportingCommands,
  ...housekeepingCommands, ...identityCommands, ...auditCommands,
  ...posCommands, ...inventoryCommands, ...contentCommands, ...notificationCommands, ...reviewCommands,
  ...billingCommands,
];
export const EVENTS: readonly EventSpec[] = [
  ...roomEvents, ...reservationEvents, ...rateEvents, ...guestEvents, ...groupEvents, ...roomBlockEvents, ...reportingEvents,
  ...housekeepingEvents, ...notificationEvents, ...reviewEvents, ...identityEvents,
  ...posEvents, ...inventoryEvents, ...contentEvents,
  ...billingEvents,
];

export const COMMANDS_BY_TYPE: ReadonlyMap<string, CommandSpec> = new Map(COMMANDS.map((c) => [c.type, c]));
export const EVENTS_BY_TYPE: ReadonlyMap<string, EventSpec> = new Map(EVENTS.map((e) => [e.type, e]));
