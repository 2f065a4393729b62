import { describe, expect, it } from 'vitest';
import type { Ack } from '@innboard/shared';
import { PosOutbox, localOrderRef, type OutboxOptions } from './outbox.ts';

/** localStorage as a Map. */
class MemoryStorage implements Storage {
  #m = new Map<string, string>();
  get length() {
    return this.#m.size;
  }
  clear() {
    this.#m.clear();
  }
  getItem(k: string) {
    return this.#m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.#m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.#m.delete(k);
  }
  setItem(k: string, v: string) {
    this.#m.set(k, v);
  }
}

const ORDER = '00000000-0000-4000-8000-0000000000f1';

/**
 * A fake server behind the live client: while `online` is false every send waits (as the client's queue
 * does while disconnected). It remembers answers by command id, like the real idempotency record.
 */
function fakeServer() {
  let release: (() => void) | null = null;
  let gate = Promise.resolve();
  const answers = new Map<string, Ack>();
  const server = {
    seq: 10,
    received: [] as { id: string; type: string; payload: Record<string, unknown> }[],
    applied: [] as string[],
    refuse: new Set<string>(),
    setOnline(online: boolean) {
      if (online) release?.();
      else gate = new Promise<void>((r) => (release = r));
    },
    async send(type: string, payload: Record<string, unknown>, id: string): Promise<Ack> {
      await gate;
      server.received.push({ id, type, payload });
      const known = answers.get(id);
      if (known) return known;
      let ack: Ack;
      if (server.refuse.has(String(payload.productId))) ack = { ok: false, error: { code: 'CONFLICT', message: 'Sold out.' } };
      else if (type === 'pos.order.open') ack = { ok: true, result: { orderId: ORDER }, seq: ++server.seq };
      else ack = { ok: true, result: { lineId: `line-${id}` }, seq: ++server.seq };
      if (ack.ok) server.applied.push(id);
      answers.set(id, ack);
      return ack;
    },
  };
  return server;
}

let n = 0;
function outbox(server: ReturnType<typeof fakeServer>, storage: Storage, over: Partial<OutboxOptions> = {}) {
  return new PosOutbox({ storage, key: 'q', send: server.send, newId: () => `c${++n}`, retryMs: 5, ...over });
}

const idle = () => new Promise((r) => setTimeout(r, 0));

describe('PosOutbox', () => {
  it('keeps commands made offline in storage, then replays them in order with their ids', async () => {
    const server = fakeServer();
    server.setOnline(false);
    const storage = new MemoryStorage();
    const box = outbox(server, storage);
    const a = box.add('pos.order.addLine', { orderId: ORDER, productId: 'p1', quantity: 1 }, '1 × Espresso');
    const b = box.add('pos.order.addLine', { orderId: ORDER, productId: 'p2', quantity: 2 }, '2 × Water');
    await idle();
    expect(box.entries.map((e) => [e.label, e.state])).toEqual([['1 × Espresso', 'pending'], ['2 × Water', 'pending']]);
    expect(JSON.parse(storage.getItem('q')!).entries.map((e: { id: string }) => e.id)).toEqual([a.id, b.id]);

    server.setOnline(true);
    await idle();
    expect(server.received.map((r) => r.id)).toEqual([a.id, b.id]);
    expect(box.entries.map((e) => e.state)).toEqual(['done', 'done']);
    box.settle(server.seq);
    expect(box.entries).toEqual([]);
    expect(JSON.parse(storage.getItem('q')!).entries).toEqual([]);
  });

  it('names the one command in flight; the others wait behind it until it is answered', async () => {
    const server = fakeServer();
    server.setOnline(false);
    const changes: Array<string | null> = [];
    const box: PosOutbox = outbox(server, new MemoryStorage(), { onChange: () => changes.push(box.sending) });
    const a = box.add('pos.order.addLine', { orderId: ORDER, productId: 'p1', quantity: 1 }, '1 × Espresso');
    box.add('pos.order.addLine', { orderId: ORDER, productId: 'p2', quantity: 1 }, '1 × Water');
    await idle();
    expect(box.sending).toBe(a.id);
    expect(box.entries.filter((e) => e.state === 'pending' && e.id !== box.sending)).toHaveLength(1);

    server.setOnline(true);
    await idle();
    expect(box.sending).toBe(null);
    expect(changes.at(-1)).toBe(null);
    expect(server.received).toHaveLength(2);
  });

  it('after a reload replays the stored queue with the same ids, so nothing is applied twice', async () => {
    const server = fakeServer();
    const storage = new MemoryStorage();
    // The page that dies: its sends never get an answer.
    const first = outbox(server, storage, { send: () => new Promise<Ack>(() => undefined) });
    first.add('pos.order.addLine', { orderId: ORDER, productId: 'p1', quantity: 1 }, '1 × Espresso');
    first.add('pos.order.addLine', { orderId: ORDER, productId: 'p2', quantity: 1 }, '1 × Water');
    await idle();
    // The first command reached the server but the page died before the answer came back.
    await server.send('pos.order.addLine', first.entries[0].payload, first.entries[0].id);
    first.dispose();

    const second = outbox(server, storage);
    expect(second.entries.map((e) => e.state)).toEqual(['pending', 'pending']);
    await second.pump();
    expect(server.received.map((r) => r.id)).toEqual([first.entries[0].id, first.entries[0].id, first.entries[1].id]);
    expect(server.applied).toEqual([first.entries[0].id, first.entries[1].id]);
  });

  it('gives an order opened offline its server id before sending the lines that follow it', async () => {
    const server = fakeServer();
    server.setOnline(false);
    const box = outbox(server, new MemoryStorage());
    const open = box.add('pos.order.open', { outletId: 'o1', table: '7' }, 'Open table 7');
    const ref = localOrderRef(open.id);
    box.add('pos.order.addLine', { orderId: ref, productId: 'p1', quantity: 1 }, '1 × Espresso');
    expect(box.resolve(ref)).toBe(ref);

    server.setOnline(true);
    await idle();
    expect(server.received.map((r) => r.payload.orderId)).toEqual([undefined, ORDER]);
    expect(box.resolve(ref)).toBe(ORDER);
  });

  it('marks a refused replay rejected for the cashier, carries on with the rest, and retries it as a new command', async () => {
    const server = fakeServer();
    server.refuse.add('sold-out');
    const box = outbox(server, new MemoryStorage());
    const bad = box.add('pos.order.addLine', { orderId: ORDER, productId: 'sold-out', quantity: 1 }, '1 × Soup');
    box.add('pos.order.addLine', { orderId: ORDER, productId: 'p1', quantity: 1 }, '1 × Espresso');
    await idle();
    expect(box.entries.map((e) => [e.label, e.state, e.error?.message])).toEqual([
      ['1 × Soup', 'rejected', 'Sold out.'],
      ['1 × Espresso', 'done', undefined],
    ]);

    server.refuse.clear();
    box.retry(bad.id);
    await idle();
    const again = box.entries.find((e) => e.label === '1 × Soup')!;
    expect(again.id).not.toBe(bad.id);
    expect(again.state).toBe('done');

    box.add('pos.order.addLine', { orderId: ORDER, productId: 'sold-out', quantity: 1 }, '1 × Soup');
    server.refuse.add('sold-out');
    await idle();
    const refused = box.entries.find((e) => e.state === 'rejected')!;
    box.discard(refused.id);
    expect(box.entries.some((e) => e.state === 'rejected')).toBe(false);
  });

  it('rejects the lines of an order whose open was refused instead of sending them', async () => {
    const server = fakeServer();
    const box = outbox(server, new MemoryStorage(), {
      send: async (type, payload, id) =>
        type === 'pos.order.open' ? { ok: false, error: { code: 'CONFLICT', message: 'The bar is closed.' } } : server.send(type, payload, id),
    });
    const open = box.add('pos.order.open', { outletId: 'o1' }, 'Open a tab');
    box.add('pos.order.addLine', { orderId: localOrderRef(open.id), productId: 'p1', quantity: 1 }, '1 × Beer');
    await idle();
    expect(box.entries.map((e) => [e.state, e.error?.message])).toEqual([
      ['rejected', 'The bar is closed.'],
      ['rejected', 'Its order could not be opened.'],
    ]);
    expect(server.received).toEqual([]);
  });

  it('sends again with the same id when the server was unavailable', async () => {
    const server = fakeServer();
    let busy = true;
    const box = outbox(server, new MemoryStorage(), {
      send: async (type, payload, id) => (busy ? { ok: false, error: { code: 'UNAVAILABLE', message: 'Busy' } } : server.send(type, payload, id)),
    });
    const entry = box.add('pos.order.addLine', { orderId: ORDER, productId: 'p1', quantity: 1 }, '1 × Espresso');
    await idle();
    expect(box.entries[0].state).toBe('pending');
    busy = false;
    await box.pump(); // what the retry timer (or a reconnect) does
    expect(server.received.map((r) => r.id)).toEqual([entry.id]);
    expect(box.entries[0].state).toBe('done');
  });
});
