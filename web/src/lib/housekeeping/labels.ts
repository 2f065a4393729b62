import type { NotificationKind, TaskStatus, TaskType, TicketCategory, TicketStatus, WorkPriority } from '@innboard/shared';

export const TASK_TYPE_LABEL: Record<TaskType, string> = {
  departure_clean: 'Departure clean',
  stayover: 'Stayover service',
  turndown: 'Turndown',
  deep_clean: 'Deep clean',
  touch_up: 'Touch-up',
};

export const TASK_STATUS_LABEL: Record<TaskStatus, string> = {
  open: 'To do',
  in_progress: 'In progress',
  done: 'Done, to inspect',
  inspected: 'Inspected',
  skipped: 'Skipped',
};

export const PRIORITY_LABEL: Record<WorkPriority, string> = {
  urgent: 'Urgent',
  high: 'High',
  normal: 'Normal',
  low: 'Low',
};

export const TICKET_CATEGORY_LABEL: Record<TicketCategory, string> = {
  plumbing: 'Plumbing',
  electrical: 'Electrical',
  hvac: 'Heating / air con',
  furniture: 'Furniture',
  cleaning: 'Cleaning',
  it: 'TV / Wi-Fi / IT',
  other: 'Other',
};

export const TICKET_STATUS_LABEL: Record<TicketStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const NOTIFICATION_KIND_LABEL: Record<NotificationKind, string> = {
  task_assigned: 'Task assigned',
  task_reopened: 'Task reopened',
  ticket_assigned: 'Ticket assigned',
  room_ready: 'Room ready',
  arrival_assigned: 'Arrival assigned',
  refund_to_approve: 'Refund to approve',
  review_posted: 'Review posted',
};

/** "35 min", "1 h 30 min": attendants plan in minutes, supervisors read hours at a glance. */
export function minutesLabel(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "09:42" in the viewer's clock: tasks and tickets are read on the same day they happen. */
export function timeLabel(iso: string | null): string {
  if (!iso) return '';
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
