import type { EntityManager } from '@mikro-orm/postgresql';
import { COMMANDS } from '@innboard/shared';
import { roomHandlers } from './domains/property/room.commands.ts';
import { identityHandlers } from './identity/identity.commands.ts';
import { auditHandlers } from './audit/audit.commands.ts';
import { propertySnapshot } from './domains/property/property.snapshot.ts';
import { taskHandlers } from './domains/housekeeping/task.commands.ts';
import { ticketHandlers } from './domains/housekeeping/ticket.commands.ts';
import { housekeepingSnapshot } from './domains/housekeeping/housekeeping.snapshot.ts';
import { housekeepingReactions } from './domains/housekeeping/housekeeping.reactions.ts';
import { reservationHandlers } from './domains/reservations/reservation.commands.ts';
import { rateHandlers } from './domains/reservations/rate.commands.ts';
import { guestHandlers } from './domains/reservations/guest.commands.ts';
import { groupHandlers } from './domains/reservations/group.commands.ts';
import { roomBlockHandlers } from './domains/reservations/room-block.commands.ts';
import { reservationsSnapshot } from './domains/reservations/reservations.snapshot.ts';
import { inventoryReactions } from './domains/reservations/inventory.reactions.ts';
import { reportingHandlers } from './domains/reporting/reporting.commands.ts';
import { billingHandlers } from './domains/billing/billing.commands.ts';
import { billingSnapshot } from './domains/billing/billing.snapshot.ts';
import { billingReactions } from './domains/billing/billing.reactions.ts';
import { outletHandlers } from './domains/pos/outlet.commands.ts';
import { orderHandlers } from './domains/pos/order.commands.ts';
import { shiftReportHandlers } from './domains/pos/shift-report.commands.ts';
import { posSnapshot } from './domains/pos/pos.snapshot.ts';
import { stockHandlers } from './domains/inventory/stock.commands.ts';
import { nightAuditHandlers } from './domains/night-audit/night-audit.commands.ts';
import { inventorySnapshot } from './domains/inventory/inventory.snapshot.ts';
import { inventoryReactions as stockReactions } from './domains/inventory/inventory.reactions.ts';
import { contentHandlers, contentSnapshot } from './domains/collab/content.commands.ts';
import { notificationHandlers, notificationRulesSnapshot } from './domains/notifications/notification-rules.ts';
import { reviewHandlers, reviewsSnapshot } from './domains/reviews/review.commands.ts';
import type { CommandHandler, Reaction } from './pipeline/types.ts';

/** The composition root's list of every domain's command handlers, snapshot parts and reactions: the pipeline knows none of them. */
const handlerList: CommandHandler[] = [
  ...roomHandlers, ...reservationHandlers, ...rateHandlers, ...guestHandlers, ...groupHandlers, ...roomBlockHandlers, ...reportingHandlers,
  ...taskHandlers, ...ticketHandlers, ...identityHandlers, ...auditHandlers,
  ...billingHandlers,
  ...outletHandlers, ...orderHandlers, ...shiftReportHandlers, ...stockHandlers, ...contentHandlers, ...notificationHandlers, ...reviewHandlers,
  ...nightAuditHandlers,
] as CommandHandler[];

/**
 * Each domain's part of the property snapshot (`sync` without a usable `since`). The first part
 * provides `property`, `rooms` and `roomTypes`; later parts add their own keys.
 */
export type SnapshotPart = (em: EntityManager, propertyId: string) => Promise<Record<string, unknown>>;
export const snapshotParts: SnapshotPart[] = [propertySnapshot as SnapshotPart, reservationsSnapshot as unknown as SnapshotPart, housekeepingSnapshot,
  posSnapshot, inventorySnapshot, notificationRulesSnapshot, reviewsSnapshot, billingSnapshot as SnapshotPart, contentSnapshot];

/** Cross-domain rules that run inside the triggering command's unit of work. */
const reactionList: Reaction[] = [...inventoryReactions, ...housekeepingReactions, ...stockReactions, ...billingReactions] as Reaction[];

export const reactions: ReadonlyMap<string, readonly Reaction[]> = reactionList.reduce(
  (map, r) => map.set(r.on.type, [...(map.get(r.on.type) ?? []), r]),
  new Map<string, Reaction[]>(),
);

export const handlers: ReadonlyMap<string, CommandHandler> = new Map(handlerList.map((h) => [h.spec.type, h]));

// Every command of the contract has exactly one handler, and no handler is off-contract.
for (const spec of COMMANDS) {
  if (!handlers.has(spec.type)) throw new Error(`No handler registered for command ${spec.type}`);
}
if (handlers.size !== COMMANDS.length) throw new Error('A handler is registered for a command missing from shared COMMANDS');
