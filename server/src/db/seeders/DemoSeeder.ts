import { Seeder } from '@mikro-orm/seeder';
import type { EntityManager } from '@mikro-orm/core';
import type { RoleName } from '@innboard/shared';
import { Property, Room, RoomType } from '../../domains/property/entities.ts';
import { Membership, User } from '../../identity/entities.ts';
import { hashPassword } from '../../identity/passwords.ts';
import { hotelToday } from '../../domains/property/hotel-date.ts';
import { RatesSeeder } from './RatesSeeder.ts';
import { PosSeeder } from './PosSeeder.ts';

export const DEMO_PASSWORD = 'innboard-demo';

export const DEMO_USERS: Array<{ email: string; name: string; role: RoleName; property: 'demo' | 'harbor' }> = [
  { email: 'admin@innboard.demo', name: 'Ada Admin', role: 'admin', property: 'demo' },
  { email: 'frontdesk@innboard.demo', name: 'Frida Frontdesk', role: 'front_desk', property: 'demo' },
  { email: 'housekeeping@innboard.demo', name: 'Hugo Housekeeper', role: 'housekeeper', property: 'demo' },
  { email: 'supervisor@innboard.demo', name: 'Sara Supervisor', role: 'housekeeping_supervisor', property: 'demo' },
  { email: 'pos@innboard.demo', name: 'Pablo POS', role: 'pos_cashier', property: 'demo' },
  { email: 'manager@innboard.demo', name: 'Mona Manager', role: 'manager', property: 'demo' },
  { email: 'harbor.frontdesk@innboard.demo', name: 'Hanna Harbor', role: 'front_desk', property: 'harbor' },
];

const DEMO_TYPES = [
  { code: 'STD', name: 'Standard Queen', maxAdults: 2, maxChildren: 1, amenities: ['wifi', 'tv', 'shower'], description: 'Cosy room with a queen bed.' },
  { code: 'DLX', name: 'Deluxe King', maxAdults: 2, maxChildren: 2, amenities: ['wifi', 'tv', 'bathtub', 'minibar'], description: 'Spacious room with a king bed and city view.' },
  { code: 'FAM', name: 'Family Room', maxAdults: 4, maxChildren: 3, amenities: ['wifi', 'tv', 'sofa-bed', 'minibar'], description: 'Two queen beds and a sofa bed.' },
  { code: 'STE', name: 'Junior Suite', maxAdults: 3, maxChildren: 2, amenities: ['wifi', 'tv', 'bathtub', 'minibar', 'lounge'], description: 'Separate lounge and a king bed.' },
];

/**
 * Seeds the demo hotel, the harbor inn and the demo users (only on an empty database), then the
 * rates of any property that has none.
 */
export class DemoSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    if ((await em.count(Property, {})) === 0) await this.seedHotels(em);
    await this.call(em, [RatesSeeder]);
    await this.call(em, [PosSeeder]);
  }

  private async seedHotels(em: EntityManager): Promise<void> {
    const demo = em.create(Property, { name: 'Innboard Demo Hotel', slug: 'demo-hotel', timeZone: 'Europe/Berlin', currency: 'EUR', businessDate: hotelToday('Europe/Berlin') });
    const harbor = em.create(Property, { name: 'Innboard Harbor Inn', slug: 'harbor-inn', timeZone: 'America/New_York', currency: 'USD', businessDate: hotelToday('America/New_York') });

    const demoTypes = DEMO_TYPES.map((t) => em.create(RoomType, { property: demo, ...t }));
    // 4 floors x 15 rooms: mostly standard and deluxe, family rooms at the ends, suites on top.
    for (let floor = 1; floor <= 4; floor++) {
      for (let n = 1; n <= 15; n++) {
        const type = floor === 4 && n > 10 ? demoTypes[3]! : n === 1 || n === 15 ? demoTypes[2]! : n % 2 ? demoTypes[0]! : demoTypes[1]!;
        em.create(Room, { property: demo, roomType: type, number: `${floor}${String(n).padStart(2, '0')}`, floor, features: n <= 3 ? ['near-elevator'] : [], status: 'clean' });
      }
    }
    const harborTypes = [
      em.create(RoomType, { property: harbor, code: 'HBR', name: 'Harbor View Double', maxAdults: 2, maxChildren: 1, amenities: ['wifi', 'sea-view'], description: 'Double room over the harbor.' }),
      em.create(RoomType, { property: harbor, code: 'TWN', name: 'Garden Twin', maxAdults: 2, maxChildren: 0, amenities: ['wifi'], description: 'Twin beds facing the garden.' }),
    ];
    for (let floor = 1; floor <= 2; floor++) {
      for (let n = 1; n <= 10; n++) {
        em.create(Room, { property: harbor, roomType: harborTypes[n % 2]!, number: `${floor}${String(n).padStart(2, '0')}`, floor, features: [], status: 'clean' });
      }
    }
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const u of DEMO_USERS) {
      const user = em.create(User, { email: u.email, name: u.name, passwordHash });
      em.create(Membership, { user, property: u.property === 'demo' ? demo : harbor, role: u.role });
      // The admin runs both hotels.
      if (u.role === 'admin') em.create(Membership, { user, property: harbor, role: 'admin' });
    }
    await em.flush();
  }
}
