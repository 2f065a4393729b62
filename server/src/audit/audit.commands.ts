import { auditSearch, type AuditItem, type AuditSearchResult, type PayloadOf } from '@innboard/shared';
import { byPropertyId, defineHandler, type CommandContext } from '../pipeline/types.ts';
import { CommandError, invalid } from '../pipeline/errors.ts';
import { User } from '../identity/entities.ts';
import { decodeCursor, encodeCursor, type AuditRecord } from './sink.ts';

const DEFAULT_LIMIT = 50;

/** Reads the active sink, so what a manager sees is what was shipped (normally within a second). */
export async function searchAuditLog(ctx: CommandContext, input: PayloadOf<typeof auditSearch>): Promise<AuditSearchResult> {
  const reader = ctx.services.auditLog;
  if (!reader) throw new CommandError('UNAVAILABLE', 'The audit trail cannot be searched right now; retry shortly');
  const before = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  if (before === null) throw invalid('That page link is no longer valid; start the search again');
  const limit = input.limit ?? DEFAULT_LIMIT;
  let records: AuditRecord[];
  try {
    // One extra row tells whether another page exists without a count query.
    records = await reader.search({
      propertyId: ctx.propertyId,
      ...(input.from ? { from: new Date(input.from) } : {}),
      ...(input.to ? { to: new Date(input.to) } : {}),
      ...(input.actorId ? { actorId: input.actorId } : {}),
      ...(input.entityType ? { entityType: input.entityType } : {}),
      ...(input.entityId ? { entityId: input.entityId } : {}),
      ...(input.commandType ? { commandType: input.commandType } : {}),
      ...(input.outcome ? { outcome: input.outcome } : {}),
      ...(before ? { before } : {}),
      limit: limit + 1,
    });
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw new CommandError('UNAVAILABLE', 'The audit trail cannot be searched right now; retry shortly');
  }
  const page = records.slice(0, limit);
  const actorIds = [...new Set(page.map((r) => r.actorId).filter((id): id is string => id !== null))];
  const names = new Map(
    actorIds.length ? (await ctx.em.find(User, { id: { $in: actorIds } }, { fields: ['id', 'name'] })).map((u) => [u.id, u.name] as const) : [],
  );
  const items: AuditItem[] = page.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: { id: r.actorId, ...(r.actorId && names.has(r.actorId) ? { name: names.get(r.actorId)! } : {}), role: r.actorRole },
    propertyId: r.propertyId,
    commandType: r.commandType,
    commandId: r.commandId,
    entities: r.entities,
    changes: r.changes,
    outcome: r.outcome,
    errorCode: r.errorCode,
  }));
  return { items, nextCursor: records.length > limit ? encodeCursor(page[page.length - 1]!) : null };
}

export const auditHandlers = [defineHandler(auditSearch, { scope: byPropertyId, handle: searchAuditLog })];
