import { z } from 'zod';
import { defineCommand, defineEvent } from './define.ts';
import { id } from './common.ts';

// Guest reviews. A guest writes one per stay after check-out, through the manage-booking link (no
// staff login); managers see it live, answer it publicly and may hide an abusive one (reason kept,
// audited). The guest site shows visible reviews with their answers and the property's average.

export const reviewRating = z.number().int().min(1).max(5);

export const reviewView = z.object({
  reviewId: id,
  reservationId: id,
  /** First name and initial only: reviews are shown publicly. */
  author: z.string(),
  rating: reviewRating,
  text: z.string(),
  createdAt: z.iso.datetime(),
  response: z.string().nullable(),
  respondedAt: z.iso.datetime().nullable(),
  hidden: z.boolean(),
  hiddenReason: z.string().nullable(),
});
export type ReviewView = z.infer<typeof reviewView>;

export const reviewSummary = z.object({ average: z.number().nullable(), count: z.number().int() });
export type ReviewSummary = z.infer<typeof reviewSummary>;

/** Snapshot part: the latest reviews (hidden ones included, for moderators) and the visible average. */
export type ReviewsSnapshot = { reviews: { summary: ReviewSummary; latest: ReviewView[] } };

/** POST `/book/<slug>/manage/review` (form). */
export const publicReviewRequest = z.object({
  token: z.string().min(10).max(200),
  requestId: id,
  rating: z.coerce.number().int().min(1).max(5),
  text: z.string().trim().min(1).max(2000),
});

export const reviewRespond = defineCommand('review.respond', {
  permission: 'review.manage',
  description: 'Answer a review publicly (replaces an earlier answer).',
  payload: z.object({ reviewId: id, response: z.string().trim().min(1).max(2000) }),
});

export const reviewHide = defineCommand('review.hide', {
  permission: 'review.manage',
  description: 'Hide an abusive review from the guest site; the reason is kept and audited.',
  payload: z.object({ reviewId: id, reason: z.string().trim().min(3).max(500) }),
});

export const reviewPosted = defineEvent('review.posted', {
  description: 'A guest reviewed their stay. `summary` is the property\'s visible average after it.',
  payload: z.object({ review: reviewView, summary: reviewSummary }),
});

export const reviewUpdated = defineEvent('review.updated', {
  description: 'A review was answered or hidden. `summary` is the visible average after the change.',
  payload: z.object({ review: reviewView, change: z.enum(['responded', 'hidden']), summary: reviewSummary }),
});

export const reviewCommands = [reviewRespond, reviewHide] as const;
export const reviewEvents = [reviewPosted, reviewUpdated] as const;
