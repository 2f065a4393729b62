import type {
  EventEnvelope,
  EventPayloadOf,
  FrontDeskSnapshotPart,
  GroupView,
  GuestSummary,
  OfferView,
  PropertySnapshotBase,
  RatePlanView,
  ReservationView,
  RoomBlockView,
  groupEvents,
  guestEvents,
  rateEvents,
  reservationEvents,
  roomBlockEvents,
} from '@innboard/shared';

export type Reservation = ReservationView;
export type RoomBlock = RoomBlockView;

/** The front desk's part of a property's read model: what the tape chart, lists and manager view draw. */
export interface FrontDeskModel {
  /** The dates the snapshot covered; reservations outside it are only known once an event brings them. */
  window: { from: string; to: string } | null;
  reservations: Readonly<Record<string, Reservation>>;
  ratePlans: Readonly<Record<string, RatePlanView>>;
  offers: Readonly<Record<string, OfferView>>;
  roomBlocks: Readonly<Record<string, RoomBlock>>;
  groups: Readonly<Record<string, GroupView>>;
  /** Guests as far as the board knows them (name and VIP flag; contact data never travels in events). */
  guests: Readonly<Record<string, GuestSummary>>;
}

export type FrontDeskEventSpec =
  | (typeof reservationEvents)[number]
  | (typeof rateEvents)[number]
  | (typeof guestEvents)[number]
  | (typeof groupEvents)[number]
  | (typeof roomBlockEvents)[number];
export type FrontDeskEvent = {
  [S in FrontDeskEventSpec as S['type']]: EventEnvelope<S['type'], EventPayloadOf<S>>;
}[FrontDeskEventSpec['type']];

export const EMPTY_FRONT_DESK: FrontDeskModel = {
  window: null, reservations: {}, ratePlans: {}, offers: {}, roomBlocks: {}, groups: {}, guests: {},
};

const byId = <T extends { id: string }>(list: readonly T[] | undefined): Record<string, T> =>
  Object.fromEntries((list ?? []).map((x) => [x.id, x]));

/** The snapshot's front-desk keys; a server without the reservations domain gives an empty part. */
export function frontDeskFromSnapshot(snapshot: PropertySnapshotBase): FrontDeskModel {
  const part = snapshot as PropertySnapshotBase & Partial<FrontDeskSnapshotPart>;
  const reservations = byId(part.reservations);
  return {
    window: part.reservationWindow ?? null,
    reservations,
    ratePlans: byId(part.ratePlans),
    offers: byId(part.offers),
    roomBlocks: byId(part.roomBlocks),
    groups: byId(part.groups),
    guests: Object.fromEntries(Object.values(reservations).map((r) => [r.guest.id, r.guest])),
  };
}

/** Folds one front-desk event in. Returns a new model (or the same one when nothing changed). */
export function applyFrontDeskEvent(model: FrontDeskModel, event: FrontDeskEvent): FrontDeskModel {
  switch (event.type) {
    case 'reservation.created':
    case 'reservation.updated':
    case 'reservation.cancelled':
    case 'reservation.checkedIn':
      return withReservation(model, event.payload.reservation);
    case 'reservation.checkedOut':
      // The full view follows in reservation.updated (checked_out) in the same commit.
      return model;
    case 'ratePlan.created':
    case 'ratePlan.updated':
      return { ...model, ratePlans: { ...model.ratePlans, [event.payload.ratePlan.id]: event.payload.ratePlan } };
    case 'ratePlan.ratesChanged':
      // Prices live on the server (availability.search quotes them); nothing to keep here.
      return model;
    case 'offer.created':
    case 'offer.updated':
      return { ...model, offers: { ...model.offers, [event.payload.offer.id]: event.payload.offer } };
    case 'guest.created':
      return { ...model, guests: { ...model.guests, [event.payload.guest.id]: event.payload.guest } };
    case 'guest.updated':
      return renameGuest(model, event.payload.guest);
    case 'group.created':
    case 'group.updated':
      return { ...model, groups: { ...model.groups, [event.payload.group.id]: event.payload.group } };
    case 'room.blocked':
    case 'room.unblocked':
      return { ...model, roomBlocks: { ...model.roomBlocks, [event.payload.block.id]: event.payload.block } };
    default: {
      // Adding an event to one of the lists above without a case here fails the type check.
      const _unhandled: never = event;
      return model;
    }
  }
}

export function withReservation(model: FrontDeskModel, reservation: Reservation): FrontDeskModel {
  return {
    ...model,
    reservations: { ...model.reservations, [reservation.id]: reservation },
    guests: { ...model.guests, [reservation.guest.id]: reservation.guest },
  };
}

function renameGuest(model: FrontDeskModel, guest: GuestSummary): FrontDeskModel {
  let reservations = model.reservations;
  for (const r of Object.values(model.reservations)) {
    if (r.guest.id !== guest.id) continue;
    if (reservations === model.reservations) reservations = { ...model.reservations };
    (reservations as Record<string, Reservation>)[r.id] = { ...r, guest };
  }
  return { ...model, reservations, guests: { ...model.guests, [guest.id]: guest } };
}
