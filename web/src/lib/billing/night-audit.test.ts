import { describe, expect, it } from 'vitest';
import { IDLE_AUDIT, auditCompleted, auditProgress, stepLabel, stepPercent } from './night-audit.ts';

describe('night audit progress', () => {
  it('keeps each step in order with its latest count', () => {
    let v = auditProgress(IDLE_AUDIT, { step: 'no_shows', done: 0, total: 2 }, 't1');
    v = auditProgress(v, { step: 'no_shows', done: 2, total: 2 }, 't2');
    v = auditProgress(v, { step: 'room_charges', done: 3, total: 12 }, 't3');
    expect(v.state).toBe('running');
    expect(v.current).toBe('room_charges');
    expect(v.steps).toEqual([{ step: 'no_shows', done: 2, total: 2 }, { step: 'room_charges', done: 3, total: 12 }]);
    expect(stepPercent(v.steps[1]!)).toBe(25);
  });

  it('completes every step and starts afresh on the next run', () => {
    let v = auditProgress(IDLE_AUDIT, { step: 'room_charges', done: 5, total: 12 }, 't1');
    v = auditCompleted(v, '2026-12-06', 't2');
    expect(v).toMatchObject({ state: 'completed', current: null, businessDate: '2026-12-06' });
    expect(v.steps.map(stepPercent)).toEqual([100]);
    v = auditProgress(v, { step: 'no_shows', done: 0, total: 1 }, 't3');
    expect(v.steps).toEqual([{ step: 'no_shows', done: 0, total: 1 }]);
    expect(v.businessDate).toBe('2026-12-06');
  });

  it('shows a step with nothing to do as done and never over 100%', () => {
    expect(stepPercent({ step: 'x', done: 0, total: 0 })).toBe(100);
    expect(stepPercent({ step: 'x', done: 7, total: 5 })).toBe(100);
  });

  it('names steps for people', () => {
    expect(stepLabel('room_charges')).toBe('Post room and tax');
    expect(stepLabel('postMinibarCharges')).toBe('Post minibar charges');
    expect(stepLabel('close_day')).toBe('Close day');
  });
});
