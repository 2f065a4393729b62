import type { EntityManager } from '@mikro-orm/postgresql';
import type { BillingSnapshot } from '@innboard/shared';
import { Folio, Refund } from './entities.ts';
import { balancesOf, toFolioSummary } from './folios.ts';
import { settingsView } from './settings.service.ts';
import { refundViews } from './views.ts';

/**
 * The billing part of the property snapshot: a balance per stay for the front-desk lists (stays not
 * yet gone, and departed stays that still owe or are owed), the property's accounts, pending refunds.
 */
export async function billingSnapshot(em: EntityManager, propertyId: string): Promise<BillingSnapshot> {
  const balances = await em.execute<{ reservation_id: string; balance: string; currency: string; folios: string }[]>(
    `select f.reservation_id, coalesce(sum(l.amount), 0) as balance, min(f.currency) as currency, count(distinct f.id) as folios
       from folio f join reservation r on r.id = f.reservation_id left join folio_line l on l.folio_id = f.id
      where f.property_id = ? and (r.status in ('tentative', 'confirmed', 'checked_in') or r.departure >= (select business_date from property where id = ?))
      group by f.reservation_id
     union all
     select f.reservation_id, sum(l.amount), min(f.currency), count(distinct f.id)
       from folio f join reservation r on r.id = f.reservation_id join folio_line l on l.folio_id = f.id
      where f.property_id = ? and r.status not in ('tentative', 'confirmed', 'checked_in') and r.departure < (select business_date from property where id = ?)
      group by f.reservation_id having sum(l.amount) <> 0`,
    [propertyId, propertyId, propertyId, propertyId],
  );
  const accounts = await em.find(Folio, { property: propertyId, reservation: null }, { orderBy: { kind: 'asc', name: 'asc' } });
  const accountBalances = await balancesOf(em, accounts.map((a) => a.id));
  const pending = await em.find(Refund, { property: propertyId, status: 'pending' }, { orderBy: { requestedAt: 'asc' } });
  return {
    folioBalances: balances.map((b) => ({ reservationId: b.reservation_id, balance: Number(b.balance), currency: b.currency, folios: Number(b.folios) })),
    accounts: accounts.map((a) => toFolioSummary(a, accountBalances.get(a.id)!)),
    pendingRefunds: await refundViews(em, pending),
    billingSettings: await settingsView(em, propertyId),
  };
}
