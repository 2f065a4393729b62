import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, PropertySnapshotBase } from '@innboard/shared';
import { login, loginAndConnect, settle, startTestServer, type TestServer } from '../testing/factory.ts';

type Conn = Awaited<ReturnType<typeof loginAndConnect>>;
const code = (ack: Ack) => (ack.ok ? 'OK' : ack.error.code);

describe('identity commands on one node', () => {
  let server: TestServer;
  let admin: Conn;
  let harborDesk: Conn;
  let rooms: PropertySnapshotBase['rooms'];
  beforeAll(async () => {
    server = await startTestServer({ transport: 'node' });
    [admin, harborDesk] = await Promise.all([loginAndConnect(server.url, 'admin@innboard.demo'), loginAndConnect(server.url, 'harbor.frontdesk@innboard.demo')]);
    rooms = ((await admin.sync(admin.propertyId)) as { snapshot: PropertySnapshotBase }).snapshot.rooms;
  });
  afterAll(async () => {
    admin?.close();
    harborDesk?.close();
    await server?.stop();
  });

  it('needs user.manage, refuses changing your own access, and only touches members', async () => {
    const manager = await loginAndConnect(server.url, 'manager@innboard.demo');
    const harborId = harborDesk.session.user.id;
    expect(code(await manager.command('membership.set', { propertyId: manager.propertyId, userId: harborId, role: 'front_desk' }))).toBe('FORBIDDEN');
    expect(code(await admin.command('user.setRole', { propertyId: admin.propertyId, userId: admin.session.user.id, role: 'housekeeper' }))).toBe('CONFLICT');
    expect(code(await admin.command('user.deactivate', { propertyId: admin.propertyId, userId: admin.session.user.id }))).toBe('CONFLICT');
    expect(code(await admin.command('user.setRole', { propertyId: admin.propertyId, userId: harborId, role: 'housekeeper' }))).toBe('NOT_FOUND');
    expect(code(await admin.command('user.deactivate', { propertyId: admin.propertyId, userId: harborId }))).toBe('NOT_FOUND');
    manager.close();
  });

  it('membership.set adds a member: event with seq, audit change, the open socket starts hearing the property', async () => {
    const harborId = harborDesk.session.user.id;
    const ack = await admin.command('membership.set', { propertyId: admin.propertyId, userId: harborId, role: 'housekeeper' });
    expect(ack).toMatchObject({ ok: true, seq: expect.any(Number), result: { userId: harborId, role: 'housekeeper', previousRole: null } });
    const event = await admin.waitForEvent((e) => e.type === 'membership.changed');
    expect(event.payload).toEqual({ userId: harborId, propertyId: admin.propertyId, role: 'housekeeper', previousRole: null });
    const [row] = await server.app.orm.em.fork().execute<{ changes: unknown }[]>("select changes from audit_outbox where command_type = 'membership.set' and outcome = 'ok'");
    expect(row!.changes).toEqual([{ type: 'membership', id: expect.any(String), before: { userId: harborId, role: null }, after: { userId: harborId, role: 'housekeeper' } }]);

    const done = await admin.command('room.setStatus', { roomId: rooms[0]!.id, status: 'dirty' });
    await harborDesk.waitForEvent((e) => e.seq === (done as { seq: number }).seq && e.propertyId === admin.propertyId);
    expect((await login(server.url, 'harbor.frontdesk@innboard.demo')).user.memberships.map((m) => m.role).sort()).toEqual(['front_desk', 'housekeeper']);

    // Setting the role it already has changes nothing: no event, no seq.
    const same = await admin.command('membership.set', { propertyId: admin.propertyId, userId: harborId, role: 'housekeeper' });
    expect(same.ok && !('seq' in same)).toBe(true);
  });

  it('membership.set with role null removes the member and their live feed', async () => {
    const harborId = harborDesk.session.user.id;
    expect(code(await admin.command('membership.set', { propertyId: admin.propertyId, userId: harborId, role: null }))).toBe('OK');
    const heard = harborDesk.events.filter((e) => e.propertyId === admin.propertyId).length;
    await admin.command('room.setStatus', { roomId: rooms[1]!.id, status: 'dirty' });
    await settle();
    expect(harborDesk.events.filter((e) => e.propertyId === admin.propertyId).length).toBe(heard);
    expect(await harborDesk.sync(admin.propertyId)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
