// A closed day's figures. Rooms and room revenue come from the reservations ledger (the same source as
// report.occupancy, so the live report and the stored day agree); departments and payments from the
// folio lines billing dated on the business date.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DailyStatistics } from '@innboard/shared';
import { occupancyDays } from '../reporting/occupancy.service.ts';

export async function dailyStatisticsOf(em: EntityManager, propertyId: string, businessDate: string, currency: string): Promise<DailyStatistics> {
  const [day] = await occupancyDays(em, propertyId, businessDate, 1);
  const [noShows] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from reservation where property_id = ? and status = 'no_show' and arrival = ?`,
    [propertyId, businessDate],
  );
  // Charges, manual adjustments and their reversals, net; payments and refunds leave departments alone.
  const departments = await em.execute<{ department: string; amount: string }[]>(
    `select department, sum(amount)::bigint as amount from folio_line
      where property_id = ? and business_date = ? and department is not null and kind in ('charge', 'adjustment', 'reversal')
      group by department order by department`,
    [propertyId, businessDate],
  );
  // Payment lines are negative on the folio, refund lines positive: what the hotel took in is the negation.
  const payments = await em.execute<{ method: string; amount: string }[]>(
    `select p.method, -sum(l.amount)::bigint as amount from folio_line l join payment p on p.id = l.payment_id
      where l.property_id = ? and l.business_date = ? and l.kind in ('payment', 'refund')
      group by p.method order by p.method`,
    [propertyId, businessDate],
  );
  return {
    businessDate, currency, roomsAvailable: day!.available, roomsOutOfOrder: day!.outOfOrder, roomsSold: day!.sold, occupancy: day!.occupancy,
    roomRevenue: day!.revenue, adr: day!.adr, revpar: day!.revpar, arrivals: day!.arrivals, departures: day!.departures, noShows: noShows!.n,
    revenueByDepartment: Object.fromEntries(departments.map((d) => [d.department, Number(d.amount)])),
    paymentsByMethod: Object.fromEntries(payments.map((p) => [p.method, Number(p.amount)])),
  };
}

/** Upserted: a day re-closed after its date was set back gets fresh figures, a replay the same ones. */
export async function storeDailyStatistics(em: EntityManager, propertyId: string, runId: string, s: DailyStatistics, at: Date): Promise<void> {
  await em.execute(
    `insert into daily_statistics (property_id, business_date, currency, rooms_available, rooms_out_of_order, rooms_sold, occupancy,
       room_revenue, adr, revpar, arrivals, departures, no_shows, revenue_by_department, payments_by_method, run_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)
     on conflict (property_id, business_date) do update set
       currency = excluded.currency, rooms_available = excluded.rooms_available, rooms_out_of_order = excluded.rooms_out_of_order,
       rooms_sold = excluded.rooms_sold, occupancy = excluded.occupancy, room_revenue = excluded.room_revenue, adr = excluded.adr,
       revpar = excluded.revpar, arrivals = excluded.arrivals, departures = excluded.departures, no_shows = excluded.no_shows,
       revenue_by_department = excluded.revenue_by_department, payments_by_method = excluded.payments_by_method,
       run_id = excluded.run_id, created_at = excluded.created_at`,
    [
      propertyId, s.businessDate, s.currency, s.roomsAvailable, s.roomsOutOfOrder, s.roomsSold, s.occupancy, s.roomRevenue, s.adr, s.revpar,
      s.arrivals, s.departures, s.noShows, JSON.stringify(s.revenueByDepartment), JSON.stringify(s.paymentsByMethod), runId, at,
    ],
    'run',
  );
}
