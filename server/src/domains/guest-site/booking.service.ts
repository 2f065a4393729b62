import type { AvailabilityResult, CancellationPolicy, PaymentStatus, PublicBookingRequest, PublicStayQuery, ReservationStatus, ReviewView } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, notFound } from '../../pipeline/errors.ts';
import { addDays } from '../property/hotel-date.ts';
import { RoomType } from '../property/entities.ts';
import { searchAvailability } from '../reservations/availability.service.ts';
import { bookStay } from '../reservations/reservation.service.ts';
import { cancelReservation, cancellationFee } from '../reservations/cancellation.service.ts';
import { nightsOfReservation } from '../reservations/inventory.repository.ts';
import { findReservation, propertyOf } from '../reservations/lookups.ts';
import { postReview, reviewOfReservation } from '../reviews/review.service.ts';
import { guestTickets, openGuestTicket, replyAsGuest } from '../housekeeping/ticket.service.ts';
import { recordPendingDeposit } from '../billing/deposit.service.ts';
import { GuestBooking } from './entities.ts';

export const CALENDAR_DAYS = 14;

export interface CalendarRow {
  roomTypeId: string;
  name: string;
  /** Rooms free per night from the first day on (0 when not on sale). */
  free: number[];
}

/** Rooms left per type and night for the public calendar; counts only, never who booked. */
export async function availabilityCalendar(ctx: CommandContext, from: string): Promise<{ days: string[]; rows: CalendarRow[] }> {
  const days = Array.from({ length: CALENDAR_DAYS }, (_, i) => addDays(from, i));
  const types = await ctx.em.find(RoomType, { property: ctx.propertyId, deletedAt: null }, { orderBy: { code: 'asc' } });
  const nights = await ctx.em.execute<{ roomTypeId: string; date: string; free: number }[]>(
    `select room_type_id as "roomTypeId", to_char(date, 'YYYY-MM-DD') as date, greatest(capacity - sold, 0)::int as free
       from room_type_night where property_id = ? and date >= ? and date < ?`,
    [ctx.propertyId, from, addDays(from, CALENDAR_DAYS)],
  );
  const byKey = new Map(nights.map((n) => [`${n.roomTypeId}|${n.date}`, n.free]));
  return { days, rows: types.map((t) => ({ roomTypeId: t.id, name: t.name, free: days.map((d) => byKey.get(`${t.id}|${d}`) ?? 0) })) };
}

export interface RoomOffer {
  roomTypeId: string;
  name: string;
  description: string;
  amenities: string[];
  maxAdults: number;
  available: number;
  quotes: AvailabilityResult['roomTypes'][number]['quotes'];
}

/** What the guest can book for the stay: the desk's availability search, with the type's description. */
export async function roomOffers(ctx: CommandContext, q: PublicStayQuery): Promise<{ offers: RoomOffer[]; offer: AvailabilityResult['offer']; nights: number }> {
  const result = await searchAvailability(ctx, { propertyId: ctx.propertyId, arrival: q.arrival, departure: q.departure, adults: q.adults, children: q.children, offerCode: q.promo });
  const types = new Map((await ctx.em.find(RoomType, { property: ctx.propertyId, deletedAt: null })).map((t) => [t.id, t]));
  const offers = result.roomTypes.map((r) => {
    const t = types.get(r.roomTypeId)!;
    return { roomTypeId: r.roomTypeId, name: r.name, description: t.description, amenities: [...t.amenities], maxAdults: t.maxAdults, available: r.available, quotes: r.quotes };
  });
  return { offers, offer: result.offer, nights: result.nights };
}

export interface PlacedBooking {
  bookingId: string;
  reservationId: string;
  total: number;
  deposit: number;
  currency: string;
}

/** Books the stay exactly like the desk does (same inventory guards); the first night is owed as a deposit on the guest folio. */
export async function placeBooking(ctx: CommandContext, req: PublicBookingRequest): Promise<PlacedBooking> {
  const { result } = await bookStay(ctx, {
    roomTypeId: req.roomTypeId, ratePlanId: req.ratePlanId, arrival: req.arrival, departure: req.departure, adults: req.adults, children: req.children,
    offerCode: req.promo, status: 'confirmed', source: 'direct',
    guest: { firstName: req.firstName, lastName: req.lastName, email: req.email, ...(req.phone ? { phone: req.phone } : {}) },
  });
  const [first] = await nightsOfReservation(ctx.em, result.reservationId);
  const deposit = first && first.amount > 0 ? await recordPendingDeposit(ctx, { reservationId: result.reservationId, amount: first.amount, reference: 'Booking site deposit' }) : null;
  const booking = ctx.em.create(GuestBooking, { property: ctx.propertyId, reservation: result.reservationId, depositPayment: deposit });
  await ctx.em.flush();
  ctx.recordChange({ type: 'guestBooking', id: booking.id, after: { reservationId: result.reservationId, depositPaymentId: deposit?.id ?? null } });
  return { bookingId: booking.id, reservationId: result.reservationId, total: result.total, deposit: deposit?.amount ?? 0, currency: result.currency };
}

export interface ManagedBooking {
  bookingId: string;
  status: ReservationStatus;
  guestName: string;
  roomTypeName: string;
  arrival: string;
  departure: string;
  adults: number;
  children: number;
  total: number;
  currency: string;
  deposit: number;
  /** Billing's state of the deposit payment; null when nothing was due. */
  depositStatus: PaymentStatus | null;
  policy: CancellationPolicy;
  /** What cancelling now would cost; the site cancels only while this is 0. */
  feeIfCancelledNow: number;
  /** The guest's review of this stay (after check-out). */
  review: ReviewView | null;
  /** Support issues opened from the link, with the conversation between the guest and the hotel. */
  issues: Awaited<ReturnType<typeof guestTickets>>;
}

async function requireBooking(ctx: CommandContext, bookingId: string): Promise<GuestBooking> {
  const booking = await ctx.em.findOne(GuestBooking, { id: bookingId, property: ctx.propertyId }, { populate: ['depositPayment'] });
  if (!booking) throw notFound('Booking');
  return booking;
}

export async function managedBooking(ctx: CommandContext, bookingId: string): Promise<ManagedBooking> {
  const booking = await requireBooking(ctx, bookingId);
  const res = await findReservation(ctx, booking.reservation.id);
  const property = await propertyOf(ctx);
  const nights = await nightsOfReservation(ctx.em, res.id);
  const active = res.status === 'confirmed' || res.status === 'tentative';
  return {
    bookingId, status: res.status as ReservationStatus, guestName: `${res.guest.firstName} ${res.guest.lastName}`, roomTypeName: res.roomType.name,
    arrival: res.arrival, departure: res.departure, adults: res.adults, children: res.children, total: res.total, currency: res.currency,
    deposit: booking.depositPayment?.amount ?? 0, depositStatus: booking.depositPayment?.status ?? null, policy: res.cancellationPolicy,
    feeIfCancelledNow: active ? cancellationFee(res.cancellationPolicy, nights, property.businessDate, res.arrival) : 0,
    review: await reviewOfReservation(ctx.em, res.id),
    issues: await guestTickets(ctx, bookingId),
  };
}

/** Cancels through the desk's own rule; a cancellation that would cost a fee is refused and rolls back. */
export async function cancelBooking(ctx: CommandContext, bookingId: string): Promise<{ status: string }> {
  const booking = await requireBooking(ctx, bookingId);
  const { fee, status } = await cancelReservation(ctx, { reservationId: booking.reservation.id, reason: 'Cancelled by the guest on the booking site' });
  // The pending deposit is voided by billing's reaction to the cancellation, in this same transaction.
  if (fee > 0) throw conflict('The free cancellation period has ended; please contact the hotel');
  return { status };
}

/** The review the manage link's holder writes for their stay (rules in the reviews domain). */
export async function reviewBooking(ctx: CommandContext, bookingId: string, input: { rating: number; text: string }): Promise<ReviewView> {
  const booking = await requireBooking(ctx, bookingId);
  return postReview(ctx, booking.reservation.id, input);
}

/** Opens a support issue for the booking, on the stay's room when it has one. */
export async function openIssue(ctx: CommandContext, bookingId: string, text: string): Promise<{ ticketId: string }> {
  const booking = await requireBooking(ctx, bookingId);
  const [held] = await ctx.em.execute<{ room_id: string }[]>('select room_id from room_occupancy where reservation_id = ? order by arrival limit 1', [booking.reservation.id]);
  const ticket = await openGuestTicket(ctx, { guestBookingId: booking.id, roomId: held?.room_id ?? null, description: text });
  return { ticketId: ticket.ticketId };
}

/** The guest's reply on one of this booking's issues (another booking's issue reads as not found). */
export async function replyToIssue(ctx: CommandContext, bookingId: string, ticketId: string, text: string): Promise<{ ticketId: string }> {
  const booking = await requireBooking(ctx, bookingId);
  await replyAsGuest(ctx, { guestBookingId: booking.id, ticketId, body: text });
  return { ticketId };
}
