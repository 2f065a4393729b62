import type { PropertySnapshotBase } from './envelope.ts';
import type { GroupView } from './groups.ts';
import type { OfferView, RatePlanView } from './rates.ts';
import type { ReservationView } from './reservations.ts';
import type { RoomBlockView } from './room-blocks.ts';

/** What the reservations domain adds to the property snapshot of `sync`. */
export interface FrontDeskSnapshotPart {
  /** Reservations (every status) overlapping [from, to): business date -7 .. +60 days. */
  reservationWindow: { from: string; to: string };
  reservations: ReservationView[];
  ratePlans: RatePlanView[];
  /** Offers as of the snapshot (usedCount is not pushed live). */
  offers: OfferView[];
  /** Blocks ending after the window start, including released ones (their `to` moved). */
  roomBlocks: RoomBlockView[];
  /** Groups overlapping the window. */
  groups: GroupView[];
}

export type FrontDeskSnapshot = PropertySnapshotBase & FrontDeskSnapshotPart;
