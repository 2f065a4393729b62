import type { EntityManager } from '@mikro-orm/postgresql';
import { reviewPosted, reviewUpdated, type PayloadOf, type ReviewSummary, type ReviewView, type reviewHide, type reviewRespond } from '@innboard/shared';
import type { CommandContext } from '../../pipeline/types.ts';
import { conflict, notFound } from '../../pipeline/errors.ts';
import { notifyProperty } from '../notifications/notify.ts';
import { findReservation } from '../reservations/lookups.ts';
import { Review } from './entities.ts';

export const toReviewView = (r: Review): ReviewView => ({
  reviewId: r.id, reservationId: r.reservation.id, author: r.author, rating: r.rating, text: r.text, createdAt: r.createdAt.toISOString(),
  response: r.response ?? null, respondedAt: r.respondedAt?.toISOString() ?? null, hidden: r.hiddenAt != null, hiddenReason: r.hiddenReason ?? null,
});

/** The average of the visible reviews, to one decimal. */
export async function reviewSummary(em: EntityManager, propertyId: string): Promise<ReviewSummary> {
  const [row] = await em.execute<{ average: string | null; count: number }[]>(
    'select round(avg(rating)::numeric, 1) as average, count(*)::int as count from review where property_id = ? and hidden_at is null', [propertyId]);
  return { average: row?.average == null ? null : Number(row.average), count: row?.count ?? 0 };
}

/** A guest's review of their stay: once, and only after check-out. */
export async function postReview(ctx: CommandContext, reservationId: string, input: { rating: number; text: string }): Promise<ReviewView> {
  const res = await findReservation(ctx, reservationId);
  if (res.status !== 'checked_out') throw conflict('You can review your stay after check-out');
  if (await ctx.em.findOne(Review, { reservation: res.id })) throw conflict('You have already reviewed this stay');
  const review = ctx.em.create(Review, {
    property: ctx.propertyId, reservation: res, author: `${res.guest.firstName} ${res.guest.lastName.charAt(0)}.`, rating: input.rating, text: input.text, createdAt: ctx.now,
  });
  await ctx.em.flush();
  const view = toReviewView(review);
  ctx.recordChange({ type: 'review', id: review.id, after: { reservationId: res.id, rating: review.rating } });
  ctx.emit(reviewPosted, { review: view, summary: await reviewSummary(ctx.em, ctx.propertyId) });
  notifyProperty(ctx, { kind: 'review_posted', title: `New ${review.rating}-star review`, body: review.text.slice(0, 140), ref: { type: 'review', id: review.id } });
  return view;
}

async function requireReview(ctx: CommandContext, reviewId: string): Promise<Review> {
  const review = await ctx.em.findOne(Review, { id: reviewId, property: ctx.propertyId });
  if (!review) throw notFound('Review');
  return review;
}

export async function respondToReview(ctx: CommandContext, input: PayloadOf<typeof reviewRespond>): Promise<ReviewView> {
  const review = await requireReview(ctx, input.reviewId);
  const before = review.response ?? null;
  review.response = input.response;
  review.respondedAt = ctx.now;
  review.respondedBy = ctx.actor.userId;
  await ctx.em.flush();
  const view = toReviewView(review);
  ctx.recordChange({ type: 'review', id: review.id, before: { response: before }, after: { response: input.response } });
  ctx.emit(reviewUpdated, { review: view, change: 'responded', summary: await reviewSummary(ctx.em, ctx.propertyId) });
  return view;
}

/** Hides an abusive review; hiding it again changes nothing. */
export async function hideReview(ctx: CommandContext, input: PayloadOf<typeof reviewHide>): Promise<ReviewView> {
  const review = await requireReview(ctx, input.reviewId);
  if (review.hiddenAt) return toReviewView(review);
  review.hiddenAt = ctx.now;
  review.hiddenReason = input.reason;
  review.hiddenBy = ctx.actor.userId;
  await ctx.em.flush();
  const view = toReviewView(review);
  ctx.recordChange({ type: 'review', id: review.id, before: { hidden: false }, after: { hidden: true, reason: input.reason } });
  ctx.emit(reviewUpdated, { review: view, change: 'hidden', summary: await reviewSummary(ctx.em, ctx.propertyId) });
  return view;
}

/** What the guest site shows: visible reviews, newest first, with the hotel's answers. */
export async function visibleReviews(em: EntityManager, propertyId: string, limit = 10): Promise<ReviewView[]> {
  const rows = await em.find(Review, { property: propertyId, hiddenAt: null }, { orderBy: { createdAt: 'desc' }, limit });
  return rows.map(toReviewView);
}

export async function reviewOfReservation(em: EntityManager, reservationId: string): Promise<ReviewView | null> {
  const review = await em.findOne(Review, { reservation: reservationId });
  return review ? toReviewView(review) : null;
}
