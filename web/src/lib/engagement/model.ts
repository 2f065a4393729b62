import {
  DEFAULT_ROLE_NOTIFICATIONS,
  type EventEnvelope,
  type EventPayloadOf,
  type NotificationKind,
  type NotificationRulesSnapshot,
  type PropertySnapshotBase,
  type ReviewSummary,
  type ReviewView,
  type ReviewsSnapshot,
  type RoleName,
  type notificationEvents,
  type reviewEvents,
} from '@innboard/shared';

export type EngagementEventSpec = (typeof reviewEvents)[number] | (typeof notificationEvents)[number];
type EngagementEvent = { [S in EngagementEventSpec as S['type']]: EventEnvelope<S['type'], EventPayloadOf<S>> }[EngagementEventSpec['type']];

/** Guest reviews (for moderators, hidden ones included) and what raises a notification per role. */
export interface EngagementModel {
  reviewSummary: ReviewSummary;
  reviews: Readonly<Record<string, ReviewView>>;
  notificationRules: Readonly<Record<RoleName, readonly NotificationKind[]>>;
}

export function engagementFromSnapshot(snapshot: PropertySnapshotBase): EngagementModel {
  // Optional parts: a server without them still gives a working board.
  const s = snapshot as PropertySnapshotBase & Partial<ReviewsSnapshot> & Partial<NotificationRulesSnapshot>;
  return {
    reviewSummary: s.reviews?.summary ?? { average: null, count: 0 },
    reviews: Object.fromEntries((s.reviews?.latest ?? []).map((r) => [r.reviewId, r])),
    notificationRules: s.notificationRules ?? DEFAULT_ROLE_NOTIFICATIONS,
  };
}

export function applyEngagementEvent(model: EngagementModel, event: EngagementEvent): EngagementModel {
  switch (event.type) {
    case 'review.posted':
    case 'review.updated':
      return { ...model, reviewSummary: event.payload.summary, reviews: { ...model.reviews, [event.payload.review.reviewId]: event.payload.review } };
    case 'notification.rulesChanged':
      return { ...model, notificationRules: { ...model.notificationRules, [event.payload.role]: event.payload.kinds } };
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** Newest first. */
export function sortedReviews(model: EngagementModel): ReviewView[] {
  return Object.values(model.reviews).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** "4.3" or "–" when there is nothing visible to average. */
export function averageLabel(summary: ReviewSummary): string {
  return summary.average === null ? '–' : summary.average.toFixed(1);
}

/** The rules as checkboxes show them: the role's list with one kind switched. */
export function toggledKinds(kinds: readonly NotificationKind[], kind: NotificationKind, on: boolean): NotificationKind[] {
  const rest = kinds.filter((k) => k !== kind);
  return on ? [...rest, kind] : rest;
}

/** What each kind means to a manager choosing them. */
export const NOTIFICATION_KIND_LABEL: Record<NotificationKind, string> = {
  arrival_assigned: 'New arrival assigned a room',
  task_assigned: 'Housekeeping task assigned to me',
  task_reopened: 'My housekeeping task reopened',
  ticket_assigned: 'Maintenance ticket for me',
  room_ready: 'Room ready for today\u2019s arrival',
  refund_to_approve: 'Refund to approve',
  review_posted: 'Guest review posted',
};
