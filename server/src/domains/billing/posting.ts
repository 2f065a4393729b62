/**
 * The folio posting service: how any domain puts a charge on a folio, inside ITS OWN unit of work
 * (the caller's transaction; the line, the folio.updated event and the audit change commit or roll
 * back with the caller's command).
 *
 *   postCharge(ctx: PostingContext, input: ChargeInput): Promise<PostedCharge>
 *     ctx    the caller's CommandContext (or the night audit's system context): em, propertyId, now,
 *            emit, recordChange, and the actor (postedBy; null/absent for system postings).
 *     input  { folioId } posts to that folio; { reservationId } posts to the stay's folio for the
 *            department (its folio.route rule, else its guest folio, created on first use).
 *            department, description, amount (unit price in minor units, > 0), quantity (default 1),
 *            businessDate (default the property's), sourceRef (idempotency key: a second posting with
 *            the same key in the property returns the first line with duplicate: true and posts nothing).
 *     errors NOT_FOUND (folio or stay not in this property), VALIDATION (amount).
 *
 *   postStayNight(ctx, { reservationId, date, roomAmount, description? }): Promise<PostedCharge[]>
 *     The night audit's posting for one in-house night: the room charge plus the city tax per
 *     person (billing.configure), keyed `night:<reservationId>:<date>:room|city_tax`, so a re-run
 *     posts nothing twice.
 *
 * POS post-to-room and the minibar call postCharge with { reservationId, department: 'food' |
 * 'beverage' | 'minibar', sourceRef: 'pos:<orderId>' }.
 */
import type { Department, LineKind } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { invalid } from '../../pipeline/errors.ts';
import { Folio, FolioLine, FolioRoute } from './entities.ts';
import { announceFolio, billingFacts, findStay, guestFolioOf, lockFolio, type BillingFacts } from './folios.ts';

export type PostingContext = Pick<CommandContext, 'em' | 'propertyId' | 'now' | 'emit' | 'recordChange'> & { actor?: { userId: string } | null };

export interface ChargeInput {
  folioId?: string;
  reservationId?: string;
  department: Department;
  description: string;
  /** Unit price in minor units. */
  amount: number;
  quantity?: number;
  businessDate?: string;
  sourceRef?: string;
}

export interface PostedCharge {
  lineId: string;
  folioId: string;
  reservationId: string | null;
  /** The line's total (unit price x quantity). */
  amount: number;
  /** The folio's balance after the posting. */
  balance: number;
  /** True when sourceRef had already been posted: nothing new was written. */
  duplicate: boolean;
}

const MAX_LINE_AMOUNT = 100_000_000;

/** The folio a stay's charge of `department` goes to: its routing rule, else the guest folio. */
export async function folioForStay(ctx: PostingContext, reservationId: string, department: Department): Promise<Folio> {
  const route = await ctx.em.findOne(FolioRoute, { reservation: reservationId, department }, { populate: ['folio'] });
  if (route && route.folio.property.id === ctx.propertyId) return route.folio;
  return guestFolioOf(ctx, reservationId);
}

export interface LineInput {
  kind: LineKind;
  department: Department | null;
  description: string;
  unitAmount: number;
  quantity: number;
  businessDate: string;
  taxRateBp?: number;
  reason?: string | null;
  paymentId?: string | null;
  reversesLine?: FolioLine | null;
  sourceRef?: string | null;
}

/** Appends one line to a locked folio and records it for the audit trail. The only writer of folio_line. */
export function appendLine(ctx: PostingContext, folio: Folio, input: LineInput): FolioLine {
  const amount = input.unitAmount * input.quantity;
  if (!Number.isSafeInteger(amount) || Math.abs(amount) > MAX_LINE_AMOUNT) throw invalid('That amount is too large for one line');
  const line = ctx.em.create(FolioLine, {
    property: ctx.propertyId, folio, kind: input.kind, department: input.department, description: input.description.slice(0, 200),
    quantity: input.quantity, unitAmount: input.unitAmount, amount, taxRateBp: input.taxRateBp ?? 0, businessDate: input.businessDate,
    reversesLine: input.reversesLine ?? null, reason: input.reason ?? null, paymentId: input.paymentId ?? null,
    sourceRef: input.sourceRef ?? null, postedBy: ctx.actor?.userId ?? null, postedAt: ctx.now,
  });
  ctx.em.persist(line);
  ctx.recordChange({
    type: 'folio_line', id: line.id,
    after: { folioId: folio.id, kind: input.kind, department: input.department, amount, quantity: input.quantity, ...(input.reason ? { reason: input.reason } : {}) },
  });
  return line;
}

async function alreadyPosted(ctx: PostingContext, sourceRef: string): Promise<PostedCharge | null> {
  const [row] = await ctx.em.execute<{ id: string; folio_id: string; reservation_id: string | null; amount: number }[]>(
    `select l.id, l.folio_id, f.reservation_id, l.amount from folio_line l join folio f on f.id = l.folio_id
      where l.property_id = ? and l.source_ref = ?`,
    [ctx.propertyId, sourceRef],
  );
  if (!row) return null;
  const [bal] = await ctx.em.execute<{ balance: string }[]>('select coalesce(sum(amount), 0) as balance from folio_line where folio_id = ?', [row.folio_id]);
  return { lineId: row.id, folioId: row.folio_id, reservationId: row.reservation_id, amount: Number(row.amount), balance: Number(bal!.balance), duplicate: true };
}

export async function postCharge(ctx: PostingContext, input: ChargeInput, facts?: BillingFacts): Promise<PostedCharge> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw invalid('A charge must be a positive amount in minor units');
  const quantity = input.quantity ?? 1;
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw invalid('Quantity must be a whole number of at least 1');
  if (input.sourceRef) {
    const posted = await alreadyPosted(ctx, input.sourceRef);
    if (posted) return posted;
  }
  let folioId = input.folioId;
  if (!folioId) {
    if (!input.reservationId) throw invalid('Name the folio or the stay to post to');
    folioId = (await folioForStay(ctx, input.reservationId, input.department)).id;
  }
  const folio = await lockFolio(ctx, folioId);
  const known = facts ?? (await billingFacts(ctx.em, ctx.propertyId));
  const line = appendLine(ctx, folio, {
    kind: 'charge', department: input.department, description: input.description, unitAmount: input.amount, quantity,
    businessDate: input.businessDate ?? known.businessDate, taxRateBp: known.taxRates[input.department] ?? 0, sourceRef: input.sourceRef ?? null,
  });
  const balance = await announceFolio(ctx, folio);
  return { lineId: line.id, folioId: folio.id, reservationId: folio.reservation?.id ?? null, amount: line.amount, balance, duplicate: false };
}

/** People who pay city tax for a stay under the property's settings. */
export function cityTaxPersons(facts: Pick<BillingFacts, 'cityTaxChildren'>, stay: { adults: number; children: number }): number {
  return stay.adults + (facts.cityTaxChildren ? stay.children : 0);
}

export async function postStayNight(
  ctx: PostingContext,
  input: { reservationId: string; date: string; roomAmount: number; description?: string },
): Promise<PostedCharge[]> {
  const stay = await findStay(ctx, input.reservationId);
  const facts = await billingFacts(ctx.em, ctx.propertyId);
  const key = `night:${stay.id}:${input.date}`;
  const posted: PostedCharge[] = [];
  if (input.roomAmount > 0) {
    posted.push(await postCharge(ctx, {
      reservationId: stay.id, department: 'room', description: input.description ?? `Room, night of ${input.date}`, amount: input.roomAmount,
      businessDate: input.date, sourceRef: `${key}:room`,
    }, facts));
  }
  const persons = cityTaxPersons(facts, stay);
  if (facts.cityTaxPerPersonNight > 0 && persons > 0) {
    posted.push(await postCharge(ctx, {
      reservationId: stay.id, department: 'city_tax', description: `City tax, night of ${input.date}`, amount: facts.cityTaxPerPersonNight,
      quantity: persons, businessDate: input.date, sourceRef: `${key}:city_tax`,
    }, facts));
  }
  return posted;
}
