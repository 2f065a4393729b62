import type { SyncResult } from '@innboard/shared';

export const SYNC_BUSY: SyncResult = {
  ok: false,
  error: { code: 'RATE_LIMITED', message: 'The server is busy with other catch-ups; retry in a few seconds' },
};

export interface SyncGateOptions {
  /** Distinct reads running at once on this node. */
  concurrency: number;
  /** Syncs one socket may have open at once. */
  perSocket: number;
}

type Read = (propertyId: string, since: number | undefined) => Promise<SyncResult>;

/**
 * Admission for `sync`, the most expensive thing a socket can ask for (a snapshot is every domain's rows
 * read through the ORM on this thread; a flood of 2,000 connections with 334 syncs kept the node 97 % busy
 * and the other boards' commands waited 0.5-1 s). Three rules:
 * - Identical requests (same property and `since`) running at once share one read: a hotel's boards
 *   reconnecting after a blip ask for the same snapshot, or the same replay from the seq they all had.
 *   Joining is safe for the same reason any sync is: the answer's seq says where it stands, and a board
 *   fills what came after from live events, asking again on a gap.
 * - At most `concurrency` distinct reads at once; one more is refused RATE_LIMITED immediately instead of
 *   queueing behind the others (a queue only moves the wait into every board's round trip).
 * - At most `perSocket` open on one socket, so one connection cannot take every slot.
 */
export function createSyncGate(read: Read, options: SyncGateOptions) {
  const running = new Map<string, Promise<SyncResult>>();
  const open = new Map<string, number>();

  const release = (socketId: string) => {
    const left = (open.get(socketId) ?? 1) - 1;
    if (left > 0) open.set(socketId, left);
    else open.delete(socketId);
  };

  return {
    /**
     * Takes one of the socket's places, or false when it has none left. `run` only after a true, and
     * `leave` once answered, whatever happened in between.
     */
    enter(socketId: string): boolean {
      const n = open.get(socketId) ?? 0;
      if (n >= options.perSocket) return false;
      open.set(socketId, n + 1);
      return true;
    },
    leave: release,
    /** The read's answer, shared with an identical one already running, or SYNC_BUSY when the node is full. */
    run(propertyId: string, since: number | undefined): Promise<SyncResult> {
      const key = `${propertyId}:${since ?? ''}`;
      const shared = running.get(key);
      if (shared) return shared;
      if (running.size >= options.concurrency) return Promise.resolve(SYNC_BUSY);
      const started = read(propertyId, since).finally(() => running.delete(key));
      running.set(key, started);
      return started;
    },
  };
}
export type SyncGate = ReturnType<typeof createSyncGate>;
