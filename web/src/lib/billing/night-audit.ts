import { NIGHT_AUDIT_STEPS, type EventEnvelope, type EventPayloadOf, type NightAuditRun, type NightAuditStep, type nightAuditEvents } from '@innboard/shared';

// The night audit as the board sees it: seeded from nightAudit.status, then folded from nightAudit.* events.

export type AuditStepState = 'pending' | 'running' | 'done';

export interface AuditStep {
  step: NightAuditStep;
  state: AuditStepState;
  done: number;
  total: number;
}

export interface NightAuditView {
  state: 'idle' | 'running' | 'completed' | 'failed';
  runId: string | null;
  /** Every step of the protocol, in order, with its latest count. */
  steps: readonly AuditStep[];
  /** The step being worked on now (or where a failed run stopped). */
  current: NightAuditStep | null;
  /** The business date the run closes (or closed). */
  businessDate: string | null;
  /** Where a completed run rolled the business date to. */
  nextBusinessDate: string | null;
  /** Why a failed run stopped. */
  error: string | null;
  /** Counts starts, ends and schedule changes: a screen refetches the audit's status when it moves. */
  milestones: number;
}

const FRESH_STEPS: readonly AuditStep[] = NIGHT_AUDIT_STEPS.map((step) => ({ step, state: 'pending', done: 0, total: 0 }));

export const IDLE_AUDIT: NightAuditView = {
  state: 'idle', runId: null, steps: FRESH_STEPS, current: null, businessDate: null, nextBusinessDate: null, error: null, milestones: 0,
};

export type NightAuditEventSpec = (typeof nightAuditEvents)[number];
export type NightAuditEvent = { [S in NightAuditEventSpec as S['type']]: EventEnvelope<S['type'], EventPayloadOf<S>> }[NightAuditEventSpec['type']];

/** Steps before `current` are through, `current` is at done/total, the rest wait (a resumed run reports from where it is). */
function stepsAt(steps: readonly AuditStep[], current: NightAuditStep, done: number, total: number): AuditStep[] {
  const at = NIGHT_AUDIT_STEPS.indexOf(current);
  return steps.map((s, i) => {
    if (i < at) return s.state === 'done' ? s : { ...s, state: 'done', done: Math.max(s.done, s.total) };
    if (i === at) return { step: s.step, state: 'running', done, total };
    return { ...FRESH_STEPS[i]! };
  });
}

/** The view of a run read with nightAudit.status (a screen opened while it runs, or after it failed). */
export function auditFromRun(run: NightAuditRun): NightAuditView {
  const steps = stepsAt(FRESH_STEPS, run.step, run.done, run.total);
  const completed = run.status === 'completed';
  return {
    state: run.status,
    runId: run.runId,
    steps: completed ? steps.map((s) => ({ ...s, state: 'done', done: s.total })) : steps,
    current: completed ? null : run.step,
    businessDate: run.businessDate,
    nextBusinessDate: null,
    error: run.error,
    milestones: 0,
  };
}

export function applyAuditEvent(view: NightAuditView, event: NightAuditEvent): NightAuditView {
  switch (event.type) {
    case 'nightAudit.started': {
      const { runId, businessDate } = event.payload;
      // A resumed run keeps what this board saw of it; the next progress event says where it is.
      const steps = view.runId === runId ? view.steps : FRESH_STEPS;
      return { ...view, state: 'running', runId, steps, current: null, businessDate, nextBusinessDate: null, error: null, milestones: view.milestones + 1 };
    }
    case 'nightAudit.progress': {
      const { runId, businessDate, step, done, total } = event.payload;
      const steps = view.runId === runId ? view.steps : FRESH_STEPS;
      return { ...view, state: 'running', runId, businessDate, steps: stepsAt(steps, step, done, total), current: step, nextBusinessDate: null, error: null };
    }
    case 'nightAudit.completed': {
      const { runId, businessDate, nextBusinessDate } = event.payload;
      const steps = view.steps.map((s): AuditStep => ({ ...s, state: 'done', done: Math.max(s.done, s.total) }));
      return { ...view, state: 'completed', runId, steps, current: null, businessDate, nextBusinessDate, error: null, milestones: view.milestones + 1 };
    }
    case 'nightAudit.failed': {
      const { runId, businessDate, step, message } = event.payload;
      return { ...view, state: 'failed', runId, businessDate, current: step, error: message, milestones: view.milestones + 1 };
    }
    case 'nightAudit.scheduleChanged':
      return { ...view, milestones: view.milestones + 1 };
    default: {
      const _unhandled: never = event;
      return view;
    }
  }
}

/** Whole percent of a step: a waiting step 0, a step through (or with nothing to do) 100. */
export function stepPercent({ state, done, total }: AuditStep): number {
  if (state === 'pending') return 0;
  if (state === 'done' || total <= 0) return 100;
  return Math.min(100, Math.floor((done / total) * 100));
}

export const STEP_LABEL: Record<NightAuditStep, string> = {
  no_shows: 'Mark no-shows',
  room_charges: 'Post room and tax',
  close_day: 'Store the statistics and roll the business date',
};
