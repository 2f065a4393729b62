import { describe, expect, it } from 'vitest';
import type { DailyStatistics, NightAuditRun } from '@innboard/shared';
import { IDLE_AUDIT, applyAuditEvent, auditFromRun, stepPercent, type NightAuditEvent, type NightAuditView } from './night-audit.ts';

let seq = 0;
const ev = <E extends NightAuditEvent>(type: E['type'], payload: E['payload']) =>
  ({ seq: ++seq, propertyId: 'p', type, payload, at: '2026-12-06T00:00:00Z' }) as NightAuditEvent;
const fold = (events: NightAuditEvent[], from: NightAuditView = IDLE_AUDIT) => events.reduce(applyAuditEvent, from);
const counts = (v: NightAuditView) => v.steps.map((s) => `${s.step}:${s.state}:${s.done}/${s.total}`);
const progress = (runId: string, step: 'no_shows' | 'room_charges' | 'close_day', done: number, total: number) =>
  ev('nightAudit.progress', { runId, businessDate: '2026-12-05', step, done, total });

describe('night audit progress', () => {
  it('lists every protocol step in order and moves through them', () => {
    expect(counts(IDLE_AUDIT)).toEqual(['no_shows:pending:0/0', 'room_charges:pending:0/0', 'close_day:pending:0/0']);
    const v = fold([
      ev('nightAudit.started', { runId: 'r1', businessDate: '2026-12-05', startedBy: 'u', resumed: false }),
      progress('r1', 'no_shows', 2, 2),
      progress('r1', 'room_charges', 3, 12),
    ]);
    expect(v).toMatchObject({ state: 'running', runId: 'r1', current: 'room_charges', businessDate: '2026-12-05', milestones: 1 });
    expect(counts(v)).toEqual(['no_shows:done:2/2', 'room_charges:running:3/12', 'close_day:pending:0/0']);
    expect(v.steps.map(stepPercent)).toEqual([100, 25, 0]);
  });

  it('completes every step with the dates of the roll, and a new run starts afresh', () => {
    let v = fold([progress('r1', 'room_charges', 5, 12)]);
    // Joined half-way: the step before is shown through.
    expect(counts(v)[0]).toBe('no_shows:done:0/0');
    v = applyAuditEvent(v, ev('nightAudit.completed', { runId: 'r1', businessDate: '2026-12-05', nextBusinessDate: '2026-12-06', statistics: {} as DailyStatistics }));
    expect(v).toMatchObject({ state: 'completed', current: null, businessDate: '2026-12-05', nextBusinessDate: '2026-12-06' });
    expect(v.steps.map(stepPercent)).toEqual([100, 100, 100]);
    v = applyAuditEvent(v, progress('r2', 'no_shows', 0, 1));
    expect(counts(v)).toEqual(['no_shows:running:0/1', 'room_charges:pending:0/0', 'close_day:pending:0/0']);
    expect(v.nextBusinessDate).toBeNull();
  });

  it('keeps a failed run\'s counts and its reason; resuming the same run keeps them too', () => {
    let v = fold([progress('r1', 'room_charges', 4, 10), ev('nightAudit.failed', { runId: 'r1', businessDate: '2026-12-05', step: 'room_charges', message: 'lost the database' })]);
    expect(v).toMatchObject({ state: 'failed', current: 'room_charges', error: 'lost the database' });
    expect(counts(v)[1]).toBe('room_charges:running:4/10');
    v = applyAuditEvent(v, ev('nightAudit.started', { runId: 'r1', businessDate: '2026-12-05', startedBy: null, resumed: true }));
    expect(v).toMatchObject({ state: 'running', error: null });
    expect(counts(v)[1]).toBe('room_charges:running:4/10');
  });

  it('seeds the view from a run read with nightAudit.status', () => {
    const run: NightAuditRun = {
      runId: 'r1', businessDate: '2026-12-05', status: 'running', step: 'room_charges', done: 2, total: 8, attempts: 1,
      startedBy: 'u', startedAt: '2026-12-06T00:00:00Z', finishedAt: null, error: null,
    };
    expect(counts(auditFromRun(run))).toEqual(['no_shows:done:0/0', 'room_charges:running:2/8', 'close_day:pending:0/0']);
    expect(auditFromRun({ ...run, status: 'completed', step: 'close_day', done: 1, total: 1 }).steps.map(stepPercent)).toEqual([100, 100, 100]);
  });

  it('shows a step with nothing to do as done and never over 100%', () => {
    expect(stepPercent({ step: 'no_shows', state: 'running', done: 0, total: 0 })).toBe(100);
    expect(stepPercent({ step: 'no_shows', state: 'running', done: 7, total: 5 })).toBe(100);
  });
});
