import { describe, expect, it } from 'vitest';
import type { Ack, CommandEnvelope } from '@innboard/shared';
import { CommandQueue, type SendOutcome } from './command-queue.ts';

function cmd(id: string): CommandEnvelope {
  return { id, type: 'room.setStatus', payload: { n: id } };
}

/** A fake socket: `online` decides whether sends go through; the server answers `ok` by default. */
function fakeServer() {
  const server = {
    online: false,
    sent: [] as string[],
    answer: (envelope: CommandEnvelope): SendOutcome => ({ kind: 'ack', ack: { ok: true, result: envelope.id } }),
    async send(envelope: CommandEnvelope): Promise<SendOutcome> {
      if (!server.online) return { kind: 'disconnected' };
      server.sent.push(envelope.id);
      return server.answer(envelope);
    },
  };
  return server;
}

/** Lets every pending promise callback run (the queue awaits a few of them per attempt). */
const idle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('CommandQueue', () => {
  it('keeps commands issued offline and replays them in order, with their ids, on reconnect', async () => {
    const server = fakeServer();
    const queue = new CommandQueue({ send: server.send });
    const acks = [queue.enqueue(cmd('a')), queue.enqueue(cmd('b')), queue.enqueue(cmd('c'))];
    await Promise.resolve();
    expect(queue.size).toBe(3);
    expect(server.sent).toEqual([]);

    server.online = true;
    await queue.pump();
    expect(server.sent).toEqual(['a', 'b', 'c']);
    expect(await Promise.all(acks)).toEqual([
      { ok: true, result: 'a' },
      { ok: true, result: 'b' },
      { ok: true, result: 'c' },
    ]);
    expect(queue.size).toBe(0);
  });

  it('sends one at a time, so a later command never overtakes an earlier one', async () => {
    const order: string[] = [];
    let release!: () => void;
    const queue = new CommandQueue({
      send: async (e) => {
        order.push(`send ${e.id}`);
        if (e.id === 'a') await new Promise<void>((r) => (release = r));
        order.push(`ack ${e.id}`);
        return { kind: 'ack', ack: { ok: true, result: null } };
      },
    });
    const a = queue.enqueue(cmd('a'));
    const b = queue.enqueue(cmd('b'));
    await Promise.resolve();
    expect(order).toEqual(['send a']);
    release();
    await Promise.all([a, b]);
    expect(order).toEqual(['send a', 'ack a', 'send b', 'ack b']);
  });

  it('resends the in-flight command with the same id when the connection drops before the ack', async () => {
    const server = fakeServer();
    server.online = true;
    let drops = 1;
    server.answer = () => (drops-- > 0 ? { kind: 'disconnected' } : { kind: 'ack', ack: { ok: true, result: 1 } });
    const queue = new CommandQueue({ send: server.send });
    const ack = queue.enqueue(cmd('x'));
    await Promise.resolve();
    expect(queue.size).toBe(1); // kept: it may or may not have reached the server
    await queue.pump(); // reconnect
    expect(await ack).toEqual({ ok: true, result: 1 });
    expect(server.sent).toEqual(['x', 'x']);
  });

  it('sends a timed-out command again with the same id until the server answers', async () => {
    const server = fakeServer();
    server.online = true;
    let silent = 3;
    server.answer = (e) => (silent-- > 0 ? { kind: 'timeout' } : { kind: 'ack', ack: { ok: true, result: e.id } });
    const queue = new CommandQueue({ send: server.send, retryBaseMs: 1 });
    expect(await queue.enqueue(cmd('slow'))).toEqual({ ok: true, result: 'slow' });
    expect(server.sent).toEqual(['slow', 'slow', 'slow', 'slow']);
    expect(queue.waiting).toBeNull();
  });

  it('keeps a command the server answered UNAVAILABLE or RATE_LIMITED waiting, and sends the same id again', async () => {
    const server = fakeServer();
    server.online = true;
    const answers: Ack[] = [
      { ok: false, error: { code: 'UNAVAILABLE', message: 'The database is not answering in time' } },
      { ok: false, error: { code: 'RATE_LIMITED', message: 'Too many commands' } },
      { ok: true, result: 'applied once' },
    ];
    server.answer = (e) => ({ kind: 'ack', ack: answers.shift() ?? { ok: true, result: e.id } });
    const waiting: Array<string | undefined> = [];
    const queue = new CommandQueue({ send: server.send, retryBaseMs: 1, onChange: () => waiting.push(queue.waiting?.code) });
    const later = queue.enqueue(cmd('a'));
    const behind = queue.enqueue(cmd('b'));
    expect(await later).toEqual({ ok: true, result: 'applied once' });
    expect(await behind).toEqual({ ok: true, result: 'b' });
    expect(server.sent).toEqual(['a', 'a', 'a', 'b']); // b never overtook the waiting a
    expect(waiting).toContain('UNAVAILABLE');
    expect(waiting).toContain('RATE_LIMITED');
    expect(queue.waiting).toBeNull();
  });

  it('resends a waiting command at once, with its id, on retryNow and on reconnect', async () => {
    const server = fakeServer();
    server.online = true;
    let busy = true;
    const resending: boolean[] = [];
    server.answer = (e) => {
      resending.push(queue.resending);
      return { kind: 'ack', ack: busy ? { ok: false, error: { code: 'UNAVAILABLE', message: 'Busy' } } : { ok: true, result: e.id } };
    };
    const queue = new CommandQueue({ send: server.send, retryBaseMs: 60_000, retryMaxMs: 60_000 });
    const ack = queue.enqueue(cmd('x'));
    await idle();
    expect(queue.waiting?.code).toBe('UNAVAILABLE');
    queue.retryNow(); // the "Retry now" button: same envelope, no new id
    await idle();
    expect(server.sent).toEqual(['x', 'x']);

    server.online = false; // the connection drops during the pause, then comes back
    busy = false;
    server.online = true;
    await queue.pump(); // what a reconnect does
    expect(await ack).toEqual({ ok: true, result: 'x' });
    expect(server.sent).toEqual(['x', 'x', 'x']);
    expect(resending).toEqual([false, true, true]); // the first attempt is not a resend
    expect(queue.resending).toBe(false);
  });

  it('passes final error acks through without retrying', async () => {
    const server = fakeServer();
    server.online = true;
    for (const code of ['FORBIDDEN', 'CONFLICT', 'NOT_FOUND', 'VALIDATION', 'INTERNAL'] as const) {
      server.answer = () => ({ kind: 'ack', ack: { ok: false, error: { code, message: 'no' } } });
      const queue = new CommandQueue({ send: server.send, retryBaseMs: 1 });
      expect(await queue.enqueue(cmd(code))).toEqual({ ok: false, error: { code, message: 'no' } });
    }
    expect(server.sent).toEqual(['FORBIDDEN', 'CONFLICT', 'NOT_FOUND', 'VALIDATION', 'INTERNAL']);
  });

  it('stops resending once cleared (signed out)', async () => {
    const server = fakeServer();
    server.online = true;
    server.answer = () => ({ kind: 'ack', ack: { ok: false, error: { code: 'UNAVAILABLE', message: 'Busy' } } });
    const queue = new CommandQueue({ send: server.send, retryBaseMs: 5 });
    const ack = queue.enqueue(cmd('w'));
    await Promise.resolve();
    queue.clear({ code: 'UNAUTHORIZED', message: 'Signed out' });
    expect(await ack).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Signed out' } });
    await new Promise((r) => setTimeout(r, 30));
    expect(server.sent).toEqual(['w']);
  });

  it('answers everything still waiting when cleared (signed out)', async () => {
    const server = fakeServer();
    const sizes: number[] = [];
    const queue = new CommandQueue({ send: server.send, onChange: (n) => sizes.push(n) });
    const a = queue.enqueue(cmd('a'));
    queue.clear({ code: 'UNAUTHORIZED', message: 'Signed out' });
    expect(await a).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Signed out' } });
    expect(queue.size).toBe(0);
    expect(sizes).toEqual([1, 0]);
  });
});
