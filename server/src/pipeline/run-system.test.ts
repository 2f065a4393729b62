// runSystem: work nobody sent over a socket (scheduler, public routes) gets the command guarantees —
// one transaction, gapless seq, audit row with the system actor, idempotency by a deterministic id —
// observed through a real board socket and real Postgres.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../testing/factory.ts';
import { setRoomStatus } from '../domains/property/room.service.ts';
import { conflict } from './errors.ts';
import { systemCommandId } from './idempotency.ts';
import { SYSTEM_ACTOR } from './types.ts';

describe('runSystem', () => {
  let server: TestServer;
  let board: Awaited<ReturnType<typeof loginAndConnect>>;
  let rooms: Array<{ id: string }>;
  const sql = <T>(q: string, params: unknown[] = []) => server.app.orm.em.fork().execute<T[]>(q, params);
  const seqOf = async (propertyId: string) => Number((await sql<{ seq: string }>('select coalesce((select seq from property_seq where property_id = ?), 0) as seq', [propertyId]))[0]!.seq);
  const roomStatus = async (roomId: string) => (await sql<{ status: string }>('select status from room where id = ?', [roomId]))[0]!.status;

  beforeAll(async () => {
    server = await startTestServer();
    board = await loginAndConnect(server.url, 'manager@innboard.demo');
    const sync = await board.sync(board.propertyId);
    if (!sync.ok || !('snapshot' in sync)) throw new Error('expected a snapshot');
    rooms = sync.snapshot.rooms;
  });
  afterAll(async () => {
    board?.close();
    await server?.stop();
  });

  it('commits the work with its events in seq order, an audit row naming the system and an idempotency record', async () => {
    const before = await seqOf(board.propertyId);
    const commandId = systemCommandId('test', board.propertyId, 'first');
    const out = await server.app.runSystem({ propertyId: board.propertyId, type: 'test.systemWork', commandId }, async (ctx) => {
      await setRoomStatus(ctx, { roomId: rooms[0]!.id, status: 'out_of_service', reason: 'system test' });
      await setRoomStatus(ctx, { roomId: rooms[1]!.id, status: 'out_of_service', reason: 'system test' });
      return { changed: 2 };
    });
    expect(out).toMatchObject({ ack: { ok: true, result: { changed: 2 }, seq: before + 2 }, replayed: false });
    expect(out.events.map((e) => e.seq)).toEqual([before + 1, before + 2]);
    const seen = await board.waitForEvent((e) => e.seq === before + 2);
    expect(seen.type).toBe('room.statusChanged');
    expect(board.events.filter((e) => e.seq > before).map((e) => e.seq)).toEqual([before + 1, before + 2]);
    const [audit] = await sql<{ actor_id: string; actor_role: string; command_type: string; outcome: string }>(
      'select actor_id, actor_role, command_type, outcome from audit_outbox where command_id = ?', [commandId]);
    expect(audit).toEqual({ actor_id: SYSTEM_ACTOR.userId, actor_role: 'system', command_type: 'test.systemWork', outcome: 'ok' });
    expect(await sql('select 1 from event_log where command_id = ?', [commandId])).toHaveLength(2);
  });

  it('replays a committed commandId: the first answer, no second effect, no event', async () => {
    const commandId = systemCommandId('test', board.propertyId, 'replay');
    let calls = 0;
    const work = async (ctx: Parameters<Parameters<typeof server.app.runSystem>[1]>[0]) => {
      calls++;
      await setRoomStatus(ctx, { roomId: rooms[2]!.id, status: 'out_of_service', reason: 'once' });
      return { call: calls };
    };
    const first = await server.app.runSystem({ propertyId: board.propertyId, type: 'test.once', commandId }, work);
    const seq = await seqOf(board.propertyId);
    const again = await server.app.runSystem({ propertyId: board.propertyId, type: 'test.once', commandId }, work);
    expect(again).toEqual({ ack: first.ack, events: [], replayed: true });
    expect(calls).toBe(1);
    expect(await seqOf(board.propertyId)).toBe(seq);
  });

  it('rolls a failure back whole, audits it as failed and lets the same id run again', async () => {
    const commandId = systemCommandId('test', board.propertyId, 'fails-once');
    const seq = await seqOf(board.propertyId);
    const statusBefore = await roomStatus(rooms[3]!.id);
    const failed = await server.app.runSystem({ propertyId: board.propertyId, type: 'test.failing', commandId }, async (ctx) => {
      await setRoomStatus(ctx, { roomId: rooms[3]!.id, status: 'out_of_service', reason: 'half-way' });
      throw conflict('Injected failure after the first write');
    });
    expect(failed).toMatchObject({ ack: { ok: false, error: { code: 'CONFLICT', message: 'Injected failure after the first write' } }, events: [], replayed: false });
    expect(await roomStatus(rooms[3]!.id)).toBe(statusBefore);
    expect(await seqOf(board.propertyId)).toBe(seq);
    expect(await sql('select 1 from command_result where id = ?', [commandId])).toHaveLength(0);
    expect(await sql<{ outcome: string }>('select outcome from audit_outbox where command_id = ?', [commandId])).toEqual([{ outcome: 'failed' }]);

    const retried = await server.app.runSystem({ propertyId: board.propertyId, type: 'test.failing', commandId }, async (ctx) => {
      await setRoomStatus(ctx, { roomId: rooms[3]!.id, status: 'out_of_service', reason: 'second try' });
      return 'ok';
    });
    expect(retried).toMatchObject({ ack: { ok: true, result: 'ok', seq: seq + 1 }, replayed: false });
    expect(await roomStatus(rooms[3]!.id)).toBe('out_of_service');
  });

  it('names a given actor in the audit trail, and a socket command reusing a system id is refused', async () => {
    const commandId = randomUUID();
    const managerId = board.session.user.id;
    const out = await server.app.runSystem({ propertyId: board.propertyId, type: 'test.onBehalf', commandId, actor: { userId: managerId, role: 'manager' } }, async () => 'done');
    expect(out.ack).toEqual({ ok: true, result: 'done' });
    expect(await sql('select actor_id, actor_role from audit_outbox where command_id = ?', [commandId])).toEqual([{ actor_id: managerId, actor_role: 'manager' }]);

    const systemId = systemCommandId('test', board.propertyId, 'first');
    const ack = await board.command('room.setStatus', { roomId: rooms[4]!.id, status: 'out_of_service' }, systemId);
    expect(ack).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await settle(100);
  });

  it('derives the same UUID from the same parts and different ones otherwise', () => {
    const a = systemCommandId('nightAudit', 'p', '2026-12-05', 'room_charges', '0');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(systemCommandId('nightAudit', 'p', '2026-12-05', 'room_charges', '0')).toBe(a);
    expect(systemCommandId('nightAudit', 'p', '2026-12-05', 'room_charges', '1')).not.toBe(a);
    expect(systemCommandId('ab', 'c')).not.toBe(systemCommandId('a', 'bc'));
  });
});
