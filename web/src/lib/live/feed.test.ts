import { describe, expect, it, vi } from 'vitest';
import type { EventEnvelope } from '@innboard/shared';
import { PropertyFeed, type FeedTarget, type SyncReply } from './feed.ts';

type Snap = { rooms: string };

function ev(seq: number): EventEnvelope {
  return { seq, propertyId: 'p1', type: 'room.statusChanged', payload: { seq }, at: '2026-11-21T10:00:00Z' };
}

/** A target whose sync replies are queued by the test, and which records what was applied. */
function harness(replies: Array<SyncReply<Snap> | Error> = []) {
  const applied: number[] = [];
  const snapshots: Array<[Snap, number]> = [];
  const fetches: Array<number | undefined> = [];
  const errors: unknown[] = [];
  const target: FeedTarget<Snap> = {
    fetch: vi.fn(async (since) => {
      fetches.push(since);
      const reply = replies.shift();
      if (!reply) throw new Error('no reply queued');
      if (reply instanceof Error) throw reply;
      return reply;
    }),
    apply: (e) => applied.push(e.seq),
    replace: (s, seq) => snapshots.push([s, seq]),
    onSyncError: (e) => errors.push(e),
  };
  return { feed: new PropertyFeed(target), applied, snapshots, fetches, errors, replies };
}

describe('PropertyFeed', () => {
  it('starts from a snapshot, then applies events in seq order', async () => {
    const h = harness([{ seq: 5, snapshot: { rooms: 'A' } }]);
    await h.feed.sync();
    expect(h.fetches).toEqual([undefined]);
    expect(h.snapshots).toEqual([[{ rooms: 'A' }, 5]]);
    h.feed.receive(ev(6));
    h.feed.receive(ev(7));
    expect(h.applied).toEqual([6, 7]);
    expect(h.feed.lastSeq).toBe(7);
  });

  it('ignores events it has already applied', async () => {
    const h = harness([{ seq: 5, snapshot: { rooms: 'A' } }]);
    await h.feed.sync();
    h.feed.receive(ev(6));
    h.feed.receive(ev(6));
    h.feed.receive(ev(4));
    expect(h.applied).toEqual([6]);
  });

  it('on a gap asks for everything since the last seq and applies it in order', async () => {
    const h = harness([{ seq: 5, snapshot: { rooms: 'A' } }]);
    await h.feed.sync();
    h.replies.push({ seq: 8, events: [ev(7), ev(6)] });
    h.feed.receive(ev(8)); // 6 and 7 were missed
    await vi.waitFor(() => expect(h.feed.syncing).toBe(false));
    expect(h.fetches).toEqual([undefined, 5]);
    expect(h.applied).toEqual([6, 7, 8]);
    expect(h.feed.lastSeq).toBe(8);
  });

  it('buffers live events that arrive during a sync and applies them after it', async () => {
    let release!: (reply: SyncReply<Snap>) => void;
    const applied: number[] = [];
    const feed = new PropertyFeed<Snap>({
      fetch: () => new Promise((resolve) => (release = resolve)),
      apply: (e) => applied.push(e.seq),
      replace: () => {},
    });
    const done = feed.sync();
    feed.receive(ev(11));
    feed.receive(ev(12));
    feed.receive(ev(10)); // already in the snapshot below
    release({ seq: 10, snapshot: { rooms: 'A' } });
    await done;
    expect(applied).toEqual([11, 12]);
    expect(feed.lastSeq).toBe(12);
  });

  it('syncs when a heartbeat is ahead, not when it is level', async () => {
    const h = harness([{ seq: 3, snapshot: { rooms: 'A' } }]);
    await h.feed.sync();
    h.feed.heartbeat(3);
    expect(h.fetches).toEqual([undefined]);
    h.replies.push({ seq: 4, events: [ev(4)] });
    h.feed.heartbeat(4);
    await vi.waitFor(() => expect(h.applied).toEqual([4]));
    expect(h.fetches).toEqual([undefined, 3]);
  });

  it('replaces the read model when the server answers a catch-up with a snapshot', async () => {
    const h = harness([{ seq: 2, snapshot: { rooms: 'A' } }, { seq: 90, snapshot: { rooms: 'B' } }]);
    await h.feed.sync();
    await h.feed.sync(); // e.g. after a long disconnect: `since` too old
    expect(h.fetches).toEqual([undefined, 2]);
    expect(h.snapshots.at(-1)).toEqual([{ rooms: 'B' }, 90]);
    h.feed.receive(ev(91));
    expect(h.applied).toEqual([91]);
  });

  it('asks again when the reply still leaves a hole, then falls back to a snapshot', async () => {
    const h = harness([
      { seq: 1, snapshot: { rooms: 'A' } },
      { seq: 6, events: [ev(2), ev(4)] }, // 3 missing
      { seq: 6, events: [ev(5)] }, // still missing 3
      { seq: 6, snapshot: { rooms: 'C' } },
    ]);
    await h.feed.sync();
    await h.feed.sync();
    expect(h.fetches).toEqual([undefined, 1, 2, undefined]);
    expect(h.applied).toEqual([2]);
    expect(h.snapshots.at(-1)).toEqual([{ rooms: 'C' }, 6]);
    expect(h.feed.lastSeq).toBe(6);
  });

  it('reports a failed sync and keeps buffered events for the next one', async () => {
    const h = harness([{ seq: 1, snapshot: { rooms: 'A' } }, new Error('offline')]);
    await h.feed.sync();
    h.feed.receive(ev(3));
    await vi.waitFor(() => expect(h.errors).toHaveLength(1));
    h.replies.push({ seq: 3, events: [ev(2), ev(3)] });
    await h.feed.sync(); // reconnect
    expect(h.applied).toEqual([2, 3]);
  });

  it('holds live events until the first snapshot is in', async () => {
    const h = harness([{ seq: 7, snapshot: { rooms: 'A' } }]);
    h.feed.receive(ev(8)); // triggers the initial sync
    await vi.waitFor(() => expect(h.feed.syncing).toBe(false));
    expect(h.fetches).toEqual([undefined]);
    expect(h.applied).toEqual([8]);
  });

  it('ignores everything after close', async () => {
    const h = harness([{ seq: 1, snapshot: { rooms: 'A' } }]);
    await h.feed.sync();
    h.feed.close();
    h.feed.receive(ev(2));
    await h.feed.sync();
    expect(h.applied).toEqual([]);
    expect(h.fetches).toEqual([undefined]);
  });
});
