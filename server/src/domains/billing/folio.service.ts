// Rules of folios: reading them, opening more (split billing, house accounts), posting, adjusting,
// reversing, routing, and moving a balance to accounts receivable.
import { isClosedStay } from '@innboard/shared';
import type {
  FolioGetResult, FolioView, PayloadOf, folioAdjust, folioCreate, folioGet, folioPostCharge, folioReverse, folioRoute, folioTransferToReceivable,
} from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, invalid, notFound } from '../../pipeline/errors.ts';
import { Reservation } from '../reservations/entities.ts';
import { Folio, FolioLine, FolioRoute } from './entities.ts';
import { announceFolio, balanceOf, billingFacts, findFolio, findStay, guestFolioOf, lockFolio, receivableLedger } from './folios.ts';
import { appendLine, postCharge, type PostedCharge } from './posting.ts';
import { folioViews } from './views.ts';

/** Folios of a stay: its guest folio first, then the others by age. */
async function foliosOfStay(ctx: CommandContext, reservationId: string): Promise<Folio[]> {
  await guestFolioOf(ctx, reservationId);
  const folios = await ctx.em.find(Folio, { reservation: reservationId, property: ctx.propertyId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return folios.sort((a, b) => Number(b.kind === 'guest') - Number(a.kind === 'guest'));
}

export async function getFolios(ctx: CommandContext, input: PayloadOf<typeof folioGet>): Promise<FolioGetResult> {
  const folios = 'reservationId' in input ? await foliosOfStay(ctx, input.reservationId) : [await findFolio(ctx, input.folioId)];
  return { folios: await folioViews(ctx.em, folios) };
}

export async function createFolio(ctx: CommandContext, input: PayloadOf<typeof folioCreate>): Promise<FolioView> {
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  let reservation: Reservation | null = null;
  if ('reservationId' in input) {
    reservation = await findStay(ctx, input.reservationId);
    if (input.kind === 'guest') throw conflict('A stay has one guest folio; open a company folio for split billing');
  }
  const folio = ctx.em.create(Folio, { property: ctx.propertyId, reservation, kind: input.kind, name: input.name, currency: reservation?.currency ?? facts.currency });
  ctx.em.persist(folio);
  ctx.recordChange({ type: 'folio', id: folio.id, after: { kind: folio.kind, name: folio.name, reservationId: reservation?.id ?? null } });
  await announceFolio(ctx, folio);
  return (await folioViews(ctx.em, [folio]))[0]!;
}

export async function postChargeCommand(ctx: CommandContext, input: PayloadOf<typeof folioPostCharge>): Promise<PostedCharge> {
  await requireOpen(ctx, input.folioId);
  return postCharge(ctx, { folioId: input.folioId, department: input.department, description: input.description, amount: input.amount, quantity: input.quantity });
}

const CLOSED_LABEL: Record<string, string> = { checked_out: 'checked out', cancelled: 'cancelled', no_show: 'a no-show' };

/**
 * A folio whose balance went to accounts receivable is settled: new charges go to a new folio. A closed
 * stay (checked out, cancelled, no-show) takes no new charges: a fee is a manager's adjustment with a reason.
 */
async function requireOpen(ctx: CommandContext, folioId: string): Promise<void> {
  const folio = await findFolio(ctx, folioId);
  if (folio.transferredAt) throw conflict('This folio was transferred to accounts receivable; post to another folio');
  const stay = folio.reservation ? await findStay(ctx, folio.reservation.id) : null;
  if (stay && isClosedStay(stay.status)) {
    throw conflict(`This stay is ${CLOSED_LABEL[stay.status]}: no new charges. A fee or late charge is an adjustment with a reason`);
  }
}

export async function adjustFolio(ctx: CommandContext, input: PayloadOf<typeof folioAdjust>) {
  const folio = await lockFolio(ctx, input.folioId);
  if (folio.transferredAt) throw conflict('This folio was transferred to accounts receivable; post to another folio');
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  const line = appendLine(ctx, folio, {
    kind: 'adjustment', department: input.department, description: `Adjustment: ${input.reason}`, unitAmount: input.amount, quantity: 1,
    businessDate: facts.businessDate, taxRateBp: facts.taxRates[input.department] ?? 0, reason: input.reason,
  });
  return { lineId: line.id, balance: await announceFolio(ctx, folio) };
}

const REVERSIBLE = new Set(['charge', 'adjustment']);

export async function reverseLine(ctx: CommandContext, input: PayloadOf<typeof folioReverse>) {
  const folio = await lockFolio(ctx, input.folioId);
  const line = await ctx.em.findOne(FolioLine, { id: input.lineId, folio });
  if (!line) throw notFound('Folio line');
  if (!REVERSIBLE.has(line.kind)) {
    throw conflict(line.kind === 'payment' ? 'A payment is corrected by a refund, not a reversal' : `A ${line.kind} line cannot be reversed`);
  }
  if (await ctx.em.count(FolioLine, { reversesLine: line })) throw conflict('This line was already reversed');
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  const reversal = appendLine(ctx, folio, {
    kind: 'reversal', department: line.department ?? null, description: `Reversal: ${line.description}`.slice(0, 200), unitAmount: -line.unitAmount,
    quantity: line.quantity, businessDate: facts.businessDate, taxRateBp: line.taxRateBp, reason: input.reason, reversesLine: line,
  });
  return { lineId: reversal.id, balance: await announceFolio(ctx, folio) };
}

export async function routeDepartment(ctx: CommandContext, input: PayloadOf<typeof folioRoute>) {
  const stay = await findStay(ctx, input.reservationId);
  const target = await findFolio(ctx, input.toFolioId);
  if (target.reservation && target.reservation.id !== stay.id) throw invalid('That folio belongs to another stay');
  if (target.kind === 'receivable') throw invalid('Charges are not routed to accounts receivable; transfer the balance instead');
  const existing = await ctx.em.findOne(FolioRoute, { reservation: stay.id, department: input.department });
  const before = existing?.folio.id ?? null;
  const isGuestFolio = target.kind === 'guest' && target.reservation?.id === stay.id;
  if (isGuestFolio) {
    if (existing) ctx.em.remove(existing);
  } else if (existing) {
    existing.folio = target;
  } else {
    ctx.em.persist(ctx.em.create(FolioRoute, { reservation: stay, department: input.department, folio: target }));
  }
  const after = isGuestFolio ? null : target.id;
  if (before !== after) {
    ctx.recordChange({ type: 'folio_route', id: `${stay.id}:${input.department}`, before: { folioId: before }, after: { folioId: after } });
    await announceFolio(ctx, target);
  }
  return { reservationId: stay.id, department: input.department, folioId: target.id };
}

export async function transferToReceivable(ctx: CommandContext, input: PayloadOf<typeof folioTransferToReceivable>) {
  const folio = await lockFolio(ctx, input.folioId);
  if (folio.kind === 'receivable') throw invalid('This is the accounts-receivable ledger');
  const balance = await balanceOf(ctx.em, folio.id);
  if (balance === 0) throw conflict('This folio has nothing to transfer: its balance is zero');
  if (balance < 0) throw conflict('This folio is in credit; refund the guest instead of transferring');
  const ledger = await receivableLedger(ctx, folio.currency);
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  const reason = input.reason ?? null;
  appendLine(ctx, folio, { kind: 'transfer', department: null, description: 'Transferred to accounts receivable', unitAmount: -balance, quantity: 1, businessDate: facts.businessDate, reason });
  appendLine(ctx, ledger, { kind: 'transfer', department: null, description: `From folio ${folio.name}`.slice(0, 200), unitAmount: balance, quantity: 1, businessDate: facts.businessDate, reason });
  folio.transferredAt = ctx.now;
  ctx.recordChange({ type: 'folio', id: folio.id, before: { transferredAt: null }, after: { transferredAt: ctx.now.toISOString(), amount: balance } });
  await announceFolio(ctx, folio);
  await announceFolio(ctx, ledger);
  return { folioId: folio.id, receivableFolioId: ledger.id, amount: balance };
}
