// Several terminals on one order: concurrent edits and an offline queue replayed with duplicates.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, EventEnvelope, OrderLineView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, ok, type Conn } from '../reservations/testing.ts';
import { openOrderOf, setUpOutlet, type TestOutlet } from './testing.ts';

describe('POS terminals on one order', () => {
  let server: TestServer;
  let manager: Conn;
  let till1: Conn;
  let till2: Conn;
  let outlet: TestOutlet;
  const linesOf = (c: Conn, orderId: string) => c.events.filter((e) => e.type === 'pos.order.lineAdded' && (e.payload as { orderId: string }).orderId === orderId);

  beforeAll(async () => {
    server = await startTestServer();
    manager = await loginAndConnect(server.url, 'manager@innboard.demo');
    // Two terminals of the same cashier: two sockets, as two tills would have.
    [till1, till2] = await Promise.all([loginAndConnect(server.url, 'pos@innboard.demo'), loginAndConnect(server.url, 'pos@innboard.demo')]);
    outlet = await setUpOutlet(manager);
  });
  afterAll(async () => {
    for (const c of [manager, till1, till2]) c?.close();
    await server?.stop();
  });

  it('two terminals adding at once lose nothing; both see every line in commit order', async () => {
    const { orderId } = ok(await till1.command<{ orderId: string }>('pos.order.open', { outletId: outlet.outletId, table: '4' }));
    const burst = (c: Conn, name: 'Beer' | 'Salad', terminalId: string) =>
      Array.from({ length: 20 }, () => c.command<{ lineId: string }>('pos.order.addLine', { orderId, productId: outlet.product[name], quantity: 1, terminalId }));
    const acks = await Promise.all([...burst(till1, 'Beer', outlet.terminals[0]), ...burst(till2, 'Salad', outlet.terminals[1])]);
    const lineIds = acks.map((a) => ok(a).lineId);
    expect(new Set(lineIds).size).toBe(40);

    const order = (await openOrderOf(till1, outlet.outletId, orderId))!;
    expect(order.lines).toHaveLength(40);
    expect(order.totals.total).toBe(20 * 450 + 20 * 900);
    for (const c of [till1, till2]) {
      await c.waitForEvent(() => linesOf(c, orderId).length === 40);
      const seen = linesOf(c, orderId);
      expect(new Set(seen.map((e) => (e.payload as { line: OrderLineView }).line.lineId))).toEqual(new Set(lineIds));
      // Each event's totals are the order's right after that line: they only grow, in seq order.
      const totals = seen.map((e) => (e.payload as { total: number }).total);
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
      expect(totals.at(-1)).toBe(27_000);
    }
  });

  it('a void and a payment racing on one order: exactly one wins, the other is a CONFLICT', async () => {
    for (let i = 0; i < 5; i++) {
      const { orderId } = ok(await till1.command<{ orderId: string }>('pos.order.open', { outletId: outlet.outletId }));
      await till1.command('pos.order.addLine', { orderId, productId: outlet.product.Beer, quantity: 1 });
      const [paid, voided] = await Promise.all([
        till1.command('pos.order.pay', { orderId, method: 'card', amount: 450 }),
        till2.command('pos.order.void', { orderId, reason: 'Mistake' }),
      ]);
      expect([errorCode(paid), errorCode(voided)].sort()).toEqual(['CONFLICT', 'OK']);
      const closed = await manager.waitForEvent((e) => e.type === 'pos.order.closed' && (e.payload as { orderId: string }).orderId === orderId);
      expect((closed.payload as { status: string }).status).toBe(paid.ok ? 'closed' : 'voided');
    }
  });

  it('replays an offline queue in order: duplicates answer as the first time, nothing doubles, rejections stay rejected', async () => {
    const { orderId } = ok(await till1.command<{ orderId: string }>('pos.order.open', { outletId: outlet.outletId, table: '9' }));
    const entry = (productId: string, quantity = 1) => ({ id: randomUUID(), type: 'pos.order.addLine', payload: { orderId, productId, quantity } });
    const beer = entry(outlet.product.Beer, 2);
    const wine = entry(outlet.product.Wine);
    const salad = entry(outlet.product.Salad);
    // The beer reached the server, but its ack was lost when the network dropped.
    ok(await till2.command(beer.type, beer.payload, beer.id));
    till2.close();
    // While the terminal is offline the salad runs out.
    ok(await manager.command('pos.product.update', { productId: outlet.product.Salad, available: false }));

    const back = await loginAndConnect(server.url, 'pos@innboard.demo');
    const queue = [beer, wine, beer, salad, wine];
    const answers: Ack<{ lineId: string }>[] = [];
    for (const cmd of queue) answers.push(await back.command<{ lineId: string }>(cmd.type, cmd.payload, cmd.id));
    expect(answers.map(errorCode)).toEqual(['OK', 'OK', 'OK', 'CONFLICT', 'OK']);
    expect(ok(answers[2]!).lineId).toBe(ok(answers[0]!).lineId);
    expect(ok(answers[4]!).lineId).toBe(ok(answers[1]!).lineId);
    // The rejection is the answer for good, even once the salad is back.
    ok(await manager.command('pos.product.update', { productId: outlet.product.Salad, available: true }));
    expect(errorCode(await back.command(salad.type, salad.payload, salad.id))).toBe('CONFLICT');

    const order = (await openOrderOf(back, outlet.outletId, orderId))!;
    expect(order.lines.map((l) => [l.name, l.quantity])).toEqual([['Beer', 2], ['Wine', 1]]);
    expect(order.totals.total).toBe(900 + 3200);
    await settle();
    const added = manager.events.filter((e: EventEnvelope) => e.type === 'pos.order.lineAdded' && (e.payload as { orderId: string }).orderId === orderId);
    expect(added).toHaveLength(2);
    back.close();
  });
});
