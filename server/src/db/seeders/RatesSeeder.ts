import { Seeder } from '@mikro-orm/seeder';
import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import { Property, RoomType } from '../../domains/property/entities.ts';
import { addDays, nightsOf, weekdayOf } from '../../domains/property/hotel-date.ts';
import { Offer, RatePlan } from '../../domains/reservations/entities.ts';
import { openInventory } from '../../domains/reservations/inventory.repository.ts';

/** How far ahead the demo hotels sell. */
export const SEEDED_PRICE_DAYS = 400;
/** BAR per night by room type code; Friday and Saturday nights cost WEEKEND_UPLIFT more. */
const BASE_PRICE: Record<string, number> = { STD: 11900, DLX: 15900, FAM: 18900, STE: 27900, HBR: 16900, TWN: 12900 };
const WEEKEND_UPLIFT = 2000;
export const BREAKFAST_PER_NIGHT = 1800;
export const DEMO_OFFER_CODE = 'WELCOME10';

/**
 * Rate plans (BAR, a non-refundable plan at BAR - 10 %, bed & breakfast at BAR + breakfast), prices
 * and open inventory for SEEDED_PRICE_DAYS from the business date, and one offer code — for every
 * property that has no rate plan yet (so databases seeded before rates existed get them too).
 */
export class RatesSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    const sql = em as unknown as SqlEntityManager;
    for (const property of await em.find(Property, {}, { orderBy: { name: 'asc' } })) {
      if ((await em.count(RatePlan, { property })) > 0) continue;
      const types = await em.find(RoomType, { property, deletedAt: null }, { orderBy: { code: 'asc' } });
      const typeIds = types.map((t) => t.id);
      const bar = em.create(RatePlan, {
        property, code: 'BAR', name: 'Best Available Rate', description: 'Flexible: free cancellation until the day before arrival.',
        roomTypeIds: typeIds, currency: property.currency, cancellationPolicy: { freeUntilDaysBefore: 1, penalty: 'first_night' }, isDefault: true,
      });
      em.create(RatePlan, {
        property, code: 'NRF', name: 'Non-refundable', description: 'Pay now, save 10 %. No refund on cancellation.', roomTypeIds: typeIds,
        currency: property.currency, parent: bar, adjustBasisPoints: -1000, cancellationPolicy: { freeUntilDaysBefore: null, penalty: 'full_stay' },
      });
      em.create(RatePlan, {
        property, code: 'BB', name: 'Bed & Breakfast', description: 'Flexible rate with breakfast for the room.', roomTypeIds: typeIds,
        currency: property.currency, parent: bar, adjustAmount: BREAKFAST_PER_NIGHT, inclusions: ['breakfast'],
        cancellationPolicy: { freeUntilDaysBefore: 1, penalty: 'first_night' },
      });
      em.create(Offer, {
        property, code: DEMO_OFFER_CODE, name: 'Welcome: 10 % off stays of 2+ nights', discountKind: 'percent', discountValue: 10,
        bookingFrom: property.businessDate, bookingUntil: addDays(property.businessDate, 365), usageLimit: 100, minNights: 2,
      });
      await em.flush();
      const to = addDays(property.businessDate, SEEDED_PRICE_DAYS);
      const dates = nightsOf(property.businessDate, to);
      const rows = types.flatMap((t) => dates.map((d) => [bar.id, t.id, d, (BASE_PRICE[t.code] ?? 12900) + (weekdayOf(d) === 5 || weekdayOf(d) === 6 ? WEEKEND_UPLIFT : 0)]));
      await sql.execute(`insert into rate_day (rate_plan_id, room_type_id, date, amount) values ${rows.map(() => '(?, ?, ?, ?)').join(', ')}`, rows.flat(), 'run');
      await openInventory(sql, typeIds, property.businessDate, to);
    }
  }
}
