import { nightAuditConfigure, nightAuditHistory, nightAuditRunCommand, nightAuditStatus, reportDaily } from '@innboard/shared';
import { byPropertyId, defineHandler, type CommandContext } from '../../pipeline/types.ts';
import { CommandError } from '../../pipeline/errors.ts';
import { configureSchedule, dailyReport, nightAuditRuns, nightAuditStatus as statusOf } from './status.service.ts';

/** The node's night audit service (runner + default time), wired in app.ts. */
function service(ctx: CommandContext) {
  if (!ctx.services.nightAudit) throw new CommandError('UNAVAILABLE', 'The night audit is not available on this server');
  return ctx.services.nightAudit;
}

export const nightAuditHandlers = [
  defineHandler(nightAuditRunCommand, { scope: byPropertyId, handle: (ctx) => service(ctx).start(ctx.propertyId, ctx.actor) }),
  defineHandler(nightAuditStatus, { scope: byPropertyId, handle: (ctx) => statusOf(ctx, service(ctx).defaultTime) }),
  defineHandler(nightAuditHistory, { scope: byPropertyId, handle: nightAuditRuns }),
  defineHandler(nightAuditConfigure, { scope: byPropertyId, handle: (ctx, input) => configureSchedule(ctx, input, service(ctx).defaultTime) }),
  defineHandler(reportDaily, { scope: byPropertyId, handle: dailyReport }),
];
