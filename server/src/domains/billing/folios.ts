// Finding, locking and reading folios. Every lookup is scoped to the command's property, so an id
// of another hotel reads as "not found".
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { folioUpdated, type Department, type FolioSummary } from '@innboard/shared';
import { notFound } from '../../pipeline/errors.ts';
import { Reservation } from '../reservations/entities.ts';
import { Folio } from './entities.ts';
import type { PostingContext } from './posting.ts';

/** What a posting needs to know about the property: its business date, currency and VAT rates. */
export interface BillingFacts {
  businessDate: string;
  currency: string;
  taxRates: Partial<Record<Department, number>>;
  cityTaxPerPersonNight: number;
  cityTaxChildren: boolean;
}

export async function billingFacts(em: EntityManager, propertyId: string): Promise<BillingFacts> {
  const [row] = await em.execute<{ business_date: string; currency: string; tax_rates: Partial<Record<Department, number>> | null; city_tax: number | null; city_tax_children: boolean | null }[]>(
    `select p.business_date::text as business_date, p.currency, s.tax_rates, s.city_tax_per_person_night as city_tax, s.city_tax_children
       from property p left join billing_settings s on s.property_id = p.id where p.id = ?`,
    [propertyId],
  );
  if (!row) throw notFound('Property');
  return {
    businessDate: row.business_date, currency: row.currency, taxRates: row.tax_rates ?? {},
    cityTaxPerPersonNight: row.city_tax ?? 0, cityTaxChildren: row.city_tax_children ?? false,
  };
}

/** The folio, row-locked for the rest of the unit of work so postings to one folio queue up. */
export async function lockFolio(ctx: PostingContext, folioId: string): Promise<Folio> {
  const folio = await ctx.em.findOne(Folio, { id: folioId, property: ctx.propertyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!folio) throw notFound('Folio');
  return folio;
}

export async function findFolio(ctx: PostingContext, folioId: string): Promise<Folio> {
  const folio = await ctx.em.findOne(Folio, { id: folioId, property: ctx.propertyId });
  if (!folio) throw notFound('Folio');
  return folio;
}

export async function findStay(ctx: PostingContext, reservationId: string): Promise<Reservation> {
  const res = await ctx.em.findOne(Reservation, { id: reservationId, property: ctx.propertyId }, { populate: ['guest'] });
  if (!res) throw notFound('Reservation');
  return res;
}

/**
 * The stay's guest folio, created on first use. Two commands racing to create it both insert; the
 * partial unique index lets one win and the other reads the winner's row.
 */
export async function guestFolioOf(ctx: PostingContext, reservationId: string): Promise<Folio> {
  const existing = await ctx.em.findOne(Folio, { reservation: reservationId, property: ctx.propertyId, kind: 'guest' });
  if (existing) return existing;
  const res = await findStay(ctx, reservationId);
  const [row] = await ctx.em.execute<{ id: string }[]>(
    `insert into folio (id, property_id, reservation_id, kind, name, currency, created_at, version)
     values (gen_random_uuid(), ?, ?, 'guest', ?, ?, now(), 1)
     on conflict (reservation_id) where kind = 'guest' do nothing returning id`,
    [ctx.propertyId, res.id, `${res.guest.firstName} ${res.guest.lastName}`.slice(0, 200), res.currency],
  );
  const id = row?.id ?? (await ctx.em.findOneOrFail(Folio, { reservation: reservationId, kind: 'guest' })).id;
  return ctx.em.findOneOrFail(Folio, id);
}

/** The property's accounts-receivable ledger, created on first use. */
export async function receivableLedger(ctx: PostingContext, currency: string): Promise<Folio> {
  await ctx.em.execute(
    `insert into folio (id, property_id, reservation_id, kind, name, currency, created_at, version)
     values (gen_random_uuid(), ?, null, 'receivable', 'Accounts receivable', ?, now(), 1)
     on conflict (property_id) where kind = 'receivable' do nothing`,
    [ctx.propertyId, currency],
  );
  return ctx.em.findOneOrFail(Folio, { property: ctx.propertyId, kind: 'receivable' });
}

export async function balancesOf(em: EntityManager, folioIds: string[]): Promise<Map<string, number>> {
  if (!folioIds.length) return new Map();
  const rows = await em.execute<{ folio_id: string; balance: string }[]>(
    'select folio_id, coalesce(sum(amount), 0) as balance from folio_line where folio_id = any(?::uuid[]) group by folio_id',
    [`{${folioIds.join(',')}}`],
  );
  const map = new Map(folioIds.map((id) => [id, 0]));
  for (const r of rows) map.set(r.folio_id, Number(r.balance));
  return map;
}

export async function balanceOf(em: EntityManager, folioId: string): Promise<number> {
  return (await balancesOf(em, [folioId])).get(folioId)!;
}

export function toFolioSummary(folio: Folio, balance: number): FolioSummary {
  return {
    folioId: folio.id, reservationId: folio.reservation?.id ?? null, kind: folio.kind, name: folio.name, balance, currency: folio.currency,
    transferredAt: folio.transferredAt?.toISOString() ?? null,
  };
}

/** Tells boards a folio's balance moved (after its lines were flushed). */
export async function announceFolio(ctx: PostingContext, folio: Folio): Promise<number> {
  await ctx.em.flush();
  const balance = await balanceOf(ctx.em, folio.id);
  const { folioId, reservationId, currency, kind, name } = toFolioSummary(folio, balance);
  ctx.emit(folioUpdated, { folioId, reservationId, balance, currency, kind, name });
  return balance;
}
