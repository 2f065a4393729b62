// The combined statements of the pipeline against real Postgres: multi-property numbering (no command
// emits that yet, so it is exercised here directly) and scopes written as plain functions.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { roomSetStatus } from '@innboard/shared';
import { openOrm, type MikroORM } from '../db/orm.ts';
import { createLogger } from '../logger.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { writeCommitRecords } from './commit-records.ts';
import { createDispatcher } from './dispatch.ts';
import { handlers } from '../registry.ts';
import { defineHandler, type CommandHandler } from './types.ts';

let orm: MikroORM;
let properties: string[];
let userId: string;
const seqOf = async (propertyId: string) =>
  Number((await orm.em.fork().execute<{ seq: string }[]>('select coalesce((select seq from property_seq where property_id = ?), 0) as seq', [propertyId]))[0]!.seq);

beforeAll(async () => {
  orm = await openOrm(await createTestDatabase(inject('pgAdminUrl')), { pool: { min: 0, max: 4 } });
  properties = (await orm.em.fork().execute<{ id: string }[]>('select id from property order by id')).map((r) => r.id);
  userId = (await orm.em.fork().execute<{ id: string }[]>("select id from app_user where email = 'admin@innboard.demo'"))[0]!.id;
});
afterAll(async () => {
  await orm?.close(true);
});

describe('writeCommitRecords', () => {
  it('numbers the events of several properties gaplessly, in emission order, and acks the last seq', async () => {
    const [p1, p2] = properties as [string, string];
    const [s1, s2] = [await seqOf(p1), await seqOf(p2)];
    const commandId = randomUUID();
    const at = new Date();
    // Emitted out of property order on purpose: numbering is per property, in emission order.
    const events = [
      { propertyId: p2, type: 'room.statusChanged', payload: { n: 'a' } },
      { propertyId: p1, type: 'room.statusChanged', payload: { n: 'b' } },
      { propertyId: p2, type: 'room.statusChanged', payload: { n: 'c' } },
    ];
    const out = await orm.em.fork().transactional((em) => writeCommitRecords(em, {
      commandId, userId, type: 'test.multi', at, result: { done: true }, events,
      audit: { at, actorId: userId, actorRole: 'admin', propertyId: p1, commandType: 'test.multi', commandId, changes: [], outcome: 'ok' },
    }));
    expect(out.events.map((e) => [e.propertyId, e.seq, (e.payload as { n: string }).n])).toEqual([
      [p1, s1 + 1, 'b'], [p2, s2 + 1, 'a'], [p2, s2 + 2, 'c'],
    ]);
    expect(out.ack).toEqual({ ok: true, result: { done: true }, seq: s2 + 2 });
    const logged = await orm.em.fork().execute<{ property_id: string; seq: string; payload: { n: string } }[]>(
      'select property_id, seq, payload from event_log where command_id = ? order by property_id, seq', [commandId]);
    expect(logged.map((r) => [r.property_id, Number(r.seq), r.payload.n])).toEqual([[p1, s1 + 1, 'b'], [p2, s2 + 1, 'a'], [p2, s2 + 2, 'c']]);
    const [stored] = await orm.em.fork().execute<{ ack: unknown }[]>('select ack from command_result where id = ?', [commandId]);
    expect(stored!.ack).toEqual(out.ack);
    expect(await orm.em.fork().execute('select 1 from audit_outbox where command_id = ?', [commandId])).toHaveLength(1);
  });

  it('stores an ack without seq when nothing was emitted', async () => {
    const commandId = randomUUID();
    const at = new Date();
    const out = await orm.em.fork().transactional((em) => writeCommitRecords(em, {
      commandId, userId, type: 'test.none', at, result: 1, events: [],
      audit: { at, actorId: userId, actorRole: 'admin', propertyId: null, commandType: 'test.none', commandId, changes: [], outcome: 'ok' },
    }));
    expect(out).toEqual({ ack: { ok: true, result: 1 }, events: [] });
    const [stored] = await orm.em.fork().execute<{ ack: unknown }[]>('select ack from command_result where id = ?', [commandId]);
    expect(stored!.ack).toEqual({ ok: true, result: 1 });
  });
});

describe('dispatch with a scope written as a plain function', () => {
  it('answers exactly as with a scope the pre-check query can join', async () => {
    const original = handlers.get('room.setStatus')! as CommandHandler<typeof roomSetStatus>;
    const plain = defineHandler(roomSetStatus, {
      scope: async (payload, em) => (await em.execute<{ property_id: string }[]>('select property_id from room where id = ?', [payload.roomId]))[0]?.property_id ?? null,
      handle: original.handle,
    });
    const published: number[] = [];
    const run = (handler: CommandHandler) => createDispatcher({
      orm, handlers: new Map([['room.setStatus', handler]]), reactions: new Map(), logger: createLogger('silent'),
      publish: (events) => published.push(...events.map((e) => e.seq)),
    });
    const [room] = await orm.em.fork().execute<{ id: string; status: string }[]>('select id, status from room order by number limit 1');
    const caller = { userId, consume: async () => true };
    for (const [i, handler] of [plain, original].entries()) {
      const dispatch = run(handler as CommandHandler);
      const id = randomUUID();
      const status = i === 0 ? 'out_of_order' : 'out_of_service';
      const first = await dispatch(caller, { id, type: 'room.setStatus', payload: { roomId: room!.id, status } });
      expect(first.ack).toMatchObject({ ok: true, seq: expect.any(Number) });
      expect(await dispatch(caller, { id, type: 'room.setStatus', payload: { roomId: room!.id, status } })).toMatchObject({ ack: first.ack, events: [] });
      expect((await dispatch(caller, { id: randomUUID(), type: 'room.setStatus', payload: { roomId: randomUUID(), status } })).ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    await new Promise((r) => setImmediate(r));
    expect(published).toHaveLength(2);
  });
});
