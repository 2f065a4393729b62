import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, AuditItem, AuditSearchResult, PropertySnapshotBase } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../testing/factory.ts';
import { waitFor } from '../testing/cluster.ts';

type Conn = Awaited<ReturnType<typeof loginAndConnect>>;
const code = (ack: Ack) => (ack.ok ? 'OK' : ack.error.code);

describe('audit.search', () => {
  let server: TestServer;
  let manager: Conn;
  let desk: Conn;
  let rooms: PropertySnapshotBase['rooms'];
  const ids: Record<string, string> = {};
  const search = async (filters: Record<string, unknown> = {}) => {
    const ack = await manager.command<AuditSearchResult>('audit.search', { propertyId: manager.propertyId, ...filters });
    if (!ack.ok) throw new Error(`audit.search failed: ${ack.error.code} ${ack.error.message}`);
    return ack.result;
  };
  const commandIds = (items: AuditItem[]) => items.map((i) => i.commandId);

  beforeAll(async () => {
    server = await startTestServer({ env: { AUDIT_RELAY_INTERVAL_MS: '50' } });
    [manager, desk] = await Promise.all([loginAndConnect(server.url, 'manager@innboard.demo'), loginAndConnect(server.url, 'frontdesk@innboard.demo')]);
    const pos = await loginAndConnect(server.url, 'pos@innboard.demo');
    rooms = ((await desk.sync(desk.propertyId)) as { snapshot: PropertySnapshotBase }).snapshot.rooms;
    const r = (n: string) => rooms.find((x) => x.number === n)!;
    ids.ok1 = randomUUID();
    ids.ok2 = randomUUID();
    ids.denied = randomUUID();
    ids.failed = randomUUID();
    expect(code(await desk.command('room.setStatus', { roomId: r('101').id, status: 'dirty', reason: 'Spill reported by anna@example.com' }, ids.ok1))).toBe('OK');
    expect(code(await desk.command('room.setStatus', { roomId: r('102').id, status: 'dirty' }, ids.ok2))).toBe('OK');
    expect(code(await pos.command('room.setStatus', { roomId: r('101').id, status: 'clean' }, ids.denied))).toBe('FORBIDDEN');
    expect(code(await manager.command('room.update', { roomId: r('103').id, version: 99, floor: 2 }, ids.failed))).toBe('CONFLICT');
    pos.close();
    // Entries are visible once the relay shipped them to the sink.
    await waitFor('the relay to ship the audit rows', async () => {
      const found = commandIds((await search({ limit: 200 })).items);
      return Object.values(ids).every((id) => found.includes(id));
    });
  });
  afterAll(async () => {
    manager?.close();
    desk?.close();
    await server?.stop();
  });

  it('returns board-friendly items with actor, entities, masked before/after and outcome', async () => {
    const { items } = await search({ limit: 200 });
    const ok = items.find((i) => i.commandId === ids.ok1)!;
    const room101 = rooms.find((x) => x.number === '101')!.id;
    expect(ok).toEqual({
      id: expect.any(String), at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), propertyId: manager.propertyId, commandType: 'room.setStatus', commandId: ids.ok1,
      actor: { id: desk.session.user.id, name: 'Frida Frontdesk', role: 'front_desk' },
      entities: [{ type: 'room', id: room101 }],
      changes: [{ type: 'room', id: room101, before: { status: 'clean' }, after: { status: 'dirty', reason: 'Spill reported by a***@example.com' } }],
      outcome: 'ok', errorCode: null,
    });
    expect(items.find((i) => i.commandId === ids.denied)).toMatchObject({ outcome: 'denied', errorCode: 'FORBIDDEN', actor: { role: 'pos_cashier' } });
    expect(items.find((i) => i.commandId === ids.failed)).toMatchObject({ outcome: 'failed', errorCode: 'CONFLICT', commandType: 'room.update' });
  });

  it('filters by outcome, actor, entity, command type and time', async () => {
    expect(commandIds((await search({ outcome: 'denied' })).items)).toEqual([ids.denied]);
    expect(commandIds((await search({ actorId: desk.session.user.id })).items)).toEqual([ids.ok2, ids.ok1]);
    const room101 = rooms.find((x) => x.number === '101')!.id;
    expect(commandIds((await search({ entityType: 'room', entityId: room101 })).items)).toEqual([ids.ok1]);
    expect(commandIds((await search({ commandType: 'room.update' })).items)).toEqual([ids.failed]);
    expect(commandIds((await search({ commandType: 'room.*', outcome: 'ok' })).items)).toEqual([ids.ok2, ids.ok1]);
    expect((await search({ to: '2000-01-01T00:00:00Z' })).items).toEqual([]);
  });

  it('pages with a cursor until nextCursor is null, nothing twice', async () => {
    const all = (await search({ limit: 200 })).items.map((i) => i.id);
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await search({ limit: 2, ...(cursor ? { cursor } : {}) });
      paged.push(...page.items.map((x) => x.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    // The searches themselves are audited, so later pages may see newer entries; the old ones come once each, in order.
    expect(paged.filter((id) => all.includes(id))).toEqual(all);
    expect(new Set(paged).size).toBe(paged.length);
    expect(await manager.command('audit.search', { propertyId: manager.propertyId, cursor: 'bm90LWEtY3Vyc29y' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('is a read: no seq, no event; and it is itself audited', async () => {
    const id = randomUUID();
    const heard = desk.events.length;
    const ack = await manager.command('audit.search', { propertyId: manager.propertyId, limit: 1 }, id);
    expect(ack.ok).toBe(true);
    expect(ack).not.toHaveProperty('seq');
    await settle();
    expect(desk.events.length).toBe(heard);
    await waitFor('the search to appear in the trail', async () => commandIds((await search({ commandType: 'audit.search', limit: 200 })).items).includes(id));
  });

  it('needs audit.read and membership: front desk is refused, other hotels answer like missing ones', async () => {
    expect(code(await desk.command('audit.search', { propertyId: desk.propertyId }))).toBe('FORBIDDEN');
    const admin = await loginAndConnect(server.url, 'admin@innboard.demo');
    const harbor = admin.session.user.memberships.find((m) => m.propertyName.includes('Harbor'))!;
    expect(code(await manager.command('audit.search', { propertyId: harbor.propertyId }))).toBe('NOT_FOUND');
    expect(code(await admin.command('audit.search', { propertyId: harbor.propertyId }))).toBe('OK');
    admin.close();
  });
});
