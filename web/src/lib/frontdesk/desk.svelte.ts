import { live } from '#lib/live/store.svelte.ts';
import { roomsByFloor, type PropertyReadModel, type Room, type RoomType } from '#lib/live/read-model.ts';
import { EMPTY_FRONT_DESK, type FrontDeskModel, type Reservation } from './model.ts';
import { pendingReservations } from './pending.svelte.ts';

/**
 * What every front-desk screen reads from the current property, derived once per screen: the model
 * with pending reservation changes on top, rooms in floor/number order, and lookups by id.
 */
export class DeskView {
  readonly store = $derived(live.property);
  readonly model: PropertyReadModel | null = $derived(this.store?.model ?? null);
  readonly frontDesk: FrontDeskModel = $derived(
    this.model && this.store ? pendingReservations.apply(this.model.frontDesk, this.store.propertyId, this.model.seq) : EMPTY_FRONT_DESK,
  );
  readonly businessDate: string | null = $derived(this.model?.property.businessDate ?? null);
  readonly currency: string = $derived(this.model?.property.currency ?? 'EUR');
  readonly rooms: Room[] = $derived(roomsByFloor(this.store?.rooms ?? []).flatMap((f) => f.rooms));
  readonly roomTypes: Readonly<Record<string, RoomType>> = $derived(this.store?.roomTypes ?? {});
  readonly reservations: Reservation[] = $derived(Object.values(this.frontDesk.reservations));
  readonly loaded: boolean = $derived(this.store?.loaded ?? false);

  room(id: string | null | undefined): Room | undefined {
    return id ? this.model?.rooms[id] : undefined;
  }

  roomNumber = (id: string | null | undefined): string | null => this.room(id)?.number ?? null;

  typeName = (id: string): string => this.roomTypes[id]?.name ?? 'room';

  planName(id: string): string {
    return this.frontDesk.ratePlans[id]?.name ?? '—';
  }

  reservation(id: string | null | undefined): Reservation | undefined {
    return id ? this.frontDesk.reservations[id] : undefined;
  }
}
