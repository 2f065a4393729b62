import type { EntityManager } from '@mikro-orm/postgresql';
import { reviewHide, reviewRespond, type ReviewsSnapshot } from '@innboard/shared';
import { byEntity, defineHandler } from '../../pipeline/types.ts';
import { Review } from './entities.ts';
import { hideReview, respondToReview, reviewSummary, toReviewView } from './review.service.ts';

const byReview = byEntity('review', 'reviewId');

export const reviewHandlers = [
  defineHandler(reviewRespond, { scope: byReview, handle: respondToReview }),
  defineHandler(reviewHide, { scope: byReview, handle: hideReview }),
];

/** The board's part: the visible average and the latest reviews, hidden ones included for moderators. */
export async function reviewsSnapshot(em: EntityManager, propertyId: string): Promise<ReviewsSnapshot> {
  const latest = await em.find(Review, { property: propertyId }, { orderBy: { createdAt: 'desc' }, limit: 50 });
  return { reviews: { summary: await reviewSummary(em, propertyId), latest: latest.map(toReviewView) } };
}
