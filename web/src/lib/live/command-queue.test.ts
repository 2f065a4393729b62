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

  it('retries a timed-out command with the same id, then gives up with UNAVAILABLE', async () => {
    const server = fakeServer();
    server.online = true;
    server.answer = () => ({ kind: 'timeout' });
    const queue = new CommandQueue({ send: server.send, maxAttempts: 3 });
    const ack = (await queue.enqueue(cmd('slow'))) as Extract<Ack, { ok: false }>;
    expect(server.sent).toEqual(['slow', 'slow', 'slow']);
    expect(ack.ok).toBe(false);
    expect(ack.error.code).toBe('UNAVAILABLE');
  });

  it('passes error acks through without retrying', async () => {
    const server = fakeServer();
    server.online = true;
    server.answer = () => ({ kind: 'ack', ack: { ok: false, error: { code: 'FORBIDDEN', message: 'no' } } });
    const queue = new CommandQueue({ send: server.send });
    expect(await queue.enqueue(cmd('f'))).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
    expect(server.sent).toEqual(['f']);
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
