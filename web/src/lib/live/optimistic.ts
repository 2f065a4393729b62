import type { PropertyReadModel } from './read-model.ts';

/**
 * A change shown before the server confirms it. It stays on top of the confirmed read model until its
 * event is folded in (`settleAtSeq`), or is dropped at once when the command fails or changed nothing.
 */
export interface Optimistic {
  commandId: string;
  /** Ids of the things it touches, so the UI can mark them as pending. */
  targets: string[];
  apply(model: PropertyReadModel): PropertyReadModel;
  /** Set from the ack: the change is in the confirmed model once it reaches this seq. */
  settleAtSeq?: number;
}

export function withOptimistic(model: PropertyReadModel, pending: readonly Optimistic[]): PropertyReadModel {
  return pending.reduce((m, change) => change.apply(m), model);
}

/** Drops the changes the confirmed model already contains. Returns the same array when nothing settled. */
export function settle(pending: readonly Optimistic[], confirmedSeq: number): readonly Optimistic[] {
  const left = pending.filter((c) => c.settleAtSeq === undefined || c.settleAtSeq > confirmedSeq);
  return left.length === pending.length ? pending : left;
}
