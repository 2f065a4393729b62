import type { EntityManager } from '@mikro-orm/postgresql';
import type { FrontDeskSnapshotPart } from '@innboard/shared';
import { Property } from '../property/entities.ts';
import { addDays } from '../property/hotel-date.ts';
import { Group, Offer, RatePlan, Reservation, RoomBlock } from './entities.ts';
import { toOfferView, toRatePlanView } from './rates.service.ts';
import { toRoomBlockView } from './room-block.service.ts';
import { reservationViews } from './reservation.view.ts';
import { groupViews } from './group.service.ts';

/** How far around the business date a board's snapshot reaches; beyond it boards ask (reservation.get, report.occupancy). */
export const SNAPSHOT_DAYS_BEFORE = 7;
export const SNAPSHOT_DAYS_AFTER = 60;

/** The front desk's part of the property snapshot: everything a tape chart needs for its window. */
export async function reservationsSnapshot(em: EntityManager, propertyId: string): Promise<FrontDeskSnapshotPart> {
  const property = await em.findOneOrFail(Property, propertyId);
  const from = addDays(property.businessDate, -SNAPSHOT_DAYS_BEFORE);
  const to = addDays(property.businessDate, SNAPSHOT_DAYS_AFTER);
  const reservations = await em.find(Reservation, { property: propertyId, arrival: { $lt: to }, departure: { $gt: from } }, { orderBy: { arrival: 'asc', id: 'asc' } });
  const ratePlans = await em.find(RatePlan, { property: propertyId }, { orderBy: { code: 'asc' } });
  const offers = await em.find(Offer, { property: propertyId, active: true }, { orderBy: { code: 'asc' } });
  const blocks = await em.find(RoomBlock, { property: propertyId, toDate: { $gt: from } }, { orderBy: { fromDate: 'asc' } });
  const groups = await em.find(Group, { property: propertyId, arrival: { $lt: to }, departure: { $gt: from } }, { orderBy: { arrival: 'asc' } });
  return {
    reservationWindow: { from, to },
    reservations: await reservationViews(em, reservations, property.businessDate),
    ratePlans: ratePlans.map(toRatePlanView),
    offers: offers.map(toOfferView),
    roomBlocks: blocks.map(toRoomBlockView),
    groups: await groupViews(em, groups),
  };
}
