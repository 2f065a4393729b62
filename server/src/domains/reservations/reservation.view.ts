import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReservationStatus, ReservationView } from '@innboard/shared';
import { nightsOf } from '../property/hotel-date.ts';
import type { Reservation } from './entities.ts';
import { segmentsOf, type OccupancyRow } from './inventory.repository.ts';
import { toGuestSummary } from './guests.service.ts';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The room the guest is in on the business date; before the stay the first room, after it the last. */
export function currentSegment(segments: OccupancyRow[], businessDate: string): OccupancyRow | null {
  if (!segments.length) return null;
  const now = segments.find((s) => s.arrival <= businessDate && businessDate < s.departure);
  if (now) return now;
  return businessDate >= segments[segments.length - 1]!.departure ? segments[segments.length - 1]! : segments[0]!;
}

export function toReservationView(res: Reservation, segments: OccupancyRow[], businessDate: string): ReservationView {
  const current = currentSegment(segments, businessDate);
  return {
    id: res.id,
    propertyId: res.property.id,
    status: res.status as ReservationStatus,
    roomTypeId: res.roomType.id,
    roomId: current?.roomId ?? null,
    segments: segments.map((s) => ({ roomId: s.roomId, roomTypeId: s.roomTypeId, from: s.arrival, to: s.departure })),
    arrival: res.arrival,
    departure: res.departure,
    nights: nightsOf(res.arrival, res.departure).length,
    adults: res.adults,
    children: res.children,
    guest: toGuestSummary(res.guest),
    ratePlanId: res.ratePlan.id,
    offerCode: res.offer?.code ?? null,
    total: res.total,
    currency: res.currency,
    cancellationFee: res.cancellationFee ?? null,
    groupId: res.group?.id ?? null,
    source: res.source as ReservationView['source'],
    notes: res.notes ?? [],
    lateCheckout: res.lateCheckout ?? null,
    checkedInAt: iso(res.checkedInAt),
    checkedOutAt: iso(res.checkedOutAt),
    version: res.version,
  };
}

/**
 * Views of many reservations at once (snapshot, rooming list). Flushes first so the version and
 * fields are what will commit, and loads guests and offers in batches.
 */
export async function reservationViews(em: EntityManager, list: Reservation[], businessDate: string): Promise<ReservationView[]> {
  if (!list.length) return [];
  await em.populate(list, ['guest', 'offer']);
  const segments = await segmentsOf(em, list.map((r) => r.id));
  const byReservation = new Map<string, OccupancyRow[]>();
  for (const s of segments) byReservation.set(s.reservationId!, [...(byReservation.get(s.reservationId!) ?? []), s]);
  return list.map((r) => toReservationView(r, byReservation.get(r.id) ?? [], businessDate));
}

export async function reservationView(em: EntityManager, res: Reservation, businessDate: string): Promise<ReservationView> {
  await em.flush();
  return (await reservationViews(em, [res], businessDate))[0]!;
}
