import type { OccupancyDay, OccupancyReport, PayloadOf, reportOccupancy } from '@innboard/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CommandContext } from '../../pipeline/types.ts';
import { Property } from '../property/entities.ts';
import { addDays } from '../property/hotel-date.ts';

// Occupancy from the reservations ledger: a sold room-night is a reservation_night row (cancelled and
// no-show stays have none; an early departure gave its remaining nights back). Rooms out of order are
// not available that night. Room revenue is the nightly price after discounts.

const LIVE = `('tentative', 'confirmed', 'checked_in', 'checked_out')`;

interface DayRow {
  date: string;
  rooms: number;
  ooo: number;
  sold: number;
  revenue: string | number;
  arrivals: number;
  departures: number;
}

export const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);
const perUnit = (amount: number, units: number) => (units > 0 ? Math.round(amount / units) : 0);

export async function occupancyDays(em: EntityManager, propertyId: string, from: string, days: number): Promise<OccupancyDay[]> {
  const to = addDays(from, days);
  const rows = await em.execute<DayRow[]>(
    `with days as (select d::date as date from generate_series(?::timestamp, ?::timestamp, interval '1 day') d),
     rooms as (select count(*)::int as n from room where property_id = ? and deleted_at is null),
     ooo as (select d.date, count(b.id)::int as n from days d
             left join room_block b on b.property_id = ? and b.kind = 'out_of_order' and b.from_date <= d.date and b.to_date > d.date
             group by d.date),
     sold as (select date, count(*)::int as n, sum(amount)::bigint as revenue from reservation_night
              where property_id = ? and date >= ? and date < ? group by date),
     arr as (select arrival as date, count(*)::int as n from reservation where property_id = ? and status in ${LIVE} and arrival >= ? and arrival < ? group by arrival),
     dep as (select departure as date, count(*)::int as n from reservation where property_id = ? and status in ${LIVE} and departure >= ? and departure < ? group by departure)
     select days.date, rooms.n as rooms, coalesce(ooo.n, 0) as ooo, coalesce(sold.n, 0) as sold, coalesce(sold.revenue, 0) as revenue,
       coalesce(arr.n, 0) as arrivals, coalesce(dep.n, 0) as departures
     from days cross join rooms left join ooo on ooo.date = days.date left join sold on sold.date = days.date
       left join arr on arr.date = days.date left join dep on dep.date = days.date
     order by days.date`,
    [from, addDays(to, -1), propertyId, propertyId, propertyId, from, to, propertyId, from, to, propertyId, from, to],
  );
  return rows.map((r) => {
    const available = r.rooms - r.ooo;
    const revenue = Number(r.revenue);
    return {
      date: r.date, available, outOfOrder: r.ooo, sold: r.sold, occupancy: percent(r.sold, available), revenue,
      adr: perUnit(revenue, r.sold), revpar: perUnit(revenue, available), arrivals: r.arrivals, departures: r.departures, inHouse: r.sold,
    };
  });
}

export async function occupancyReport(ctx: CommandContext, input: PayloadOf<typeof reportOccupancy>): Promise<OccupancyReport> {
  const property = await ctx.em.findOneOrFail(Property, ctx.propertyId);
  const today = property.businessDate;
  const days = await occupancyDays(ctx.em, ctx.propertyId, input.from, input.days);
  const todayRow = days.find((d) => d.date === today) ?? (await occupancyDays(ctx.em, ctx.propertyId, today, 1))[0]!;
  const [counts] = await ctx.em.execute<Array<Record<'arrivalsExpected' | 'arrivalsCheckedIn' | 'departuresExpected' | 'departuresCheckedOut' | 'inHouse', number>>>(
    `select
       count(*) filter (where status in ('tentative', 'confirmed') and arrival = ?)::int as "arrivalsExpected",
       count(*) filter (where status in ('checked_in', 'checked_out') and arrival = ?)::int as "arrivalsCheckedIn",
       count(*) filter (where status = 'checked_in' and departure <= ?)::int as "departuresExpected",
       count(*) filter (where status = 'checked_out' and departure = ?)::int as "departuresCheckedOut",
       count(*) filter (where status = 'checked_in')::int as "inHouse"
     from reservation where property_id = ? and arrival <= ?`,
    [today, today, today, today, ctx.propertyId, today],
  );
  return {
    currency: property.currency,
    businessDate: today,
    days,
    today: { date: today, available: todayRow.available, sold: todayRow.sold, occupancy: todayRow.occupancy, ...counts! },
  };
}
