// The night audit as the board sees it: folded from nightAudit.progress / nightAudit.completed events.

export interface AuditStep {
  step: string;
  done: number;
  total: number;
}

export interface NightAuditView {
  state: 'idle' | 'running' | 'completed';
  /** Steps in the order the server reported them, each with its latest count. */
  steps: readonly AuditStep[];
  /** The step being worked on now. */
  current: string | null;
  /** The business date the last completed run rolled to. */
  businessDate: string | null;
  /** When the last event of the run arrived (server time). */
  at: string | null;
}

export const IDLE_AUDIT: NightAuditView = { state: 'idle', steps: [], current: null, businessDate: null, at: null };

/** A progress event; a step reported again replaces its count (a resumed run reports from where it is). */
export function auditProgress(view: NightAuditView, progress: AuditStep, at: string): NightAuditView {
  // A progress event after a completed run is the start of the next one.
  const steps = view.state === 'completed' ? [] : view.steps;
  const known = steps.some((s) => s.step === progress.step);
  const next = known ? steps.map((s) => (s.step === progress.step ? { ...progress } : s)) : [...steps, { ...progress }];
  return { state: 'running', steps: next, current: progress.step, businessDate: view.businessDate, at };
}

export function auditCompleted(view: NightAuditView, businessDate: string, at: string): NightAuditView {
  return { state: 'completed', steps: view.steps.map((s) => ({ ...s, done: s.total })), current: null, businessDate, at };
}

/** Whole percent of a step, 100 for a step with nothing to do. */
export function stepPercent({ done, total }: AuditStep): number {
  return total <= 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
}

const STEP_LABELS: Record<string, string> = {
  no_shows: 'Mark no-shows',
  noShows: 'Mark no-shows',
  room_charges: 'Post room and tax',
  roomCharges: 'Post room and tax',
  city_tax: 'Post city tax',
  cityTax: 'Post city tax',
  statistics: 'Store the day\'s statistics',
  roll_date: 'Roll the business date',
  rollDate: 'Roll the business date',
};

/** A step name for people: known steps by label, others from their code ("post_room_charges" -> "Post room charges"). */
export function stepLabel(step: string): string {
  const known = STEP_LABELS[step];
  if (known) return known;
  const words = step.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_.-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
