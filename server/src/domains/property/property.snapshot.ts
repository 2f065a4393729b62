import type { EntityManager } from '@mikro-orm/postgresql';
import type { PropertySnapshotBase } from '@innboard/shared';
import { Property, Room, RoomType } from './entities.ts';
import { toRoomView } from './room.service.ts';

/** The base of every property snapshot: the property, its room types and rooms. */
export async function propertySnapshot(em: EntityManager, propertyId: string): Promise<PropertySnapshotBase> {
  const property = await em.findOneOrFail(Property, propertyId);
  const roomTypes = await em.find(RoomType, { property: propertyId, deletedAt: null }, { orderBy: { code: 'asc' } });
  const rooms = await em.find(Room, { property: propertyId, deletedAt: null }, { orderBy: { floor: 'asc', number: 'asc' } });
  return {
    property: { id: property.id, name: property.name, timeZone: property.timeZone, businessDate: property.businessDate, currency: property.currency },
    roomTypes: roomTypes.map((t) => ({ id: t.id, code: t.code, name: t.name, maxAdults: t.maxAdults, maxChildren: t.maxChildren, description: t.description, amenities: t.amenities })),
    rooms: rooms.map(toRoomView),
  };
}
