import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationsReadResult, NotificationsSyncResult, TaskView } from '@innboard/shared';
import { connect, login, loginAndConnect, settle, startTestServer, type Client, type TestServer } from '../testing/factory.ts';
import { errorCode, hotelOf, ok, sql, type Conn, type Hotel } from '../domains/reservations/testing.ts';

// Per-user notifications over real sockets: delivered to the recipient's room only, caught up by
// their own seq after a reconnect, read state on the server, and what raises one set per role.

const syncOf = (c: Client, since?: number) => c.socket.timeout(5000).emitWithAck('notifications.sync', since === undefined ? {} : { since }) as Promise<NotificationsSyncResult>;
const readOf = (c: Client, body: unknown) => c.socket.timeout(5000).emitWithAck('notifications.read', body) as Promise<NotificationsReadResult>;

describe('per-user notifications', () => {
  let server: TestServer;
  let sup: Conn;
  let manager: Conn;
  let desk: Conn;
  let h: Hotel;
  let hkToken: string;
  let hkId: string;

  async function assignNewTask(roomNumber: string): Promise<TaskView> {
    const task = ok(await sup.command<TaskView>('task.create', { roomId: h.room(roomNumber).id, type: 'touch_up' }));
    return ok(await sup.command<TaskView>('task.assign', { taskId: task.taskId, assigneeId: hkId }));
  }

  beforeAll(async () => {
    server = await startTestServer();
    [sup, manager, desk] = await Promise.all(['supervisor@innboard.demo', 'manager@innboard.demo', 'frontdesk@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    const hk = await login(server.url, 'housekeeping@innboard.demo');
    hkToken = hk.accessToken;
    hkId = hk.user.id;
    h = await hotelOf(sup);
  });
  afterAll(async () => {
    for (const c of [sup, manager, desk]) c?.close();
    await server?.stop();
  });

  it('catches up what arrived while the attendant was offline, in seq order, then tracks read state', async () => {
    const hk = await connect(server.url, hkToken);
    await assignNewTask('402');
    const live = await hk.waitForNotification((n) => n.kind === 'task_assigned');
    const first = await syncOf(hk);
    if (!first.ok) expect.fail('sync failed');
    expect(first.seq).toBe(live.seq);
    hk.close();

    const offline = [await assignNewTask('403'), await assignNewTask('404')];
    const back = await connect(server.url, hkToken);
    await settle();
    expect(back.notifications).toEqual([]);
    const caught = await syncOf(back, first.seq);
    if (!caught.ok) expect.fail('sync failed');
    expect(caught.notifications.map((n) => [n.seq, n.ref.id])).toEqual([[first.seq + 1, offline[0]!.taskId], [first.seq + 2, offline[1]!.taskId]]);
    expect(caught.seq).toBe(first.seq + 2);
    expect(caught.unread).toBe(3);
    // Nothing of this went through the property stream.
    expect(desk.events.some((e) => e.type.startsWith('notification.'))).toBe(false);

    const read = await readOf(back, { upTo: first.seq + 1 });
    expect(read).toEqual({ ok: true, unread: 1 });
    const after = await syncOf(back, 0);
    if (!after.ok) expect.fail('sync failed');
    expect(after.notifications.map((n) => n.read)).toEqual([true, true, false]);
    back.close();
  });

  it('marks only the caller\'s own notifications read', async () => {
    const [row] = await sql<{ id: string }>(server, 'select id from notification where user_id = ? and read_at is null limit 1', [hkId]);
    expect(await readOf(desk, { notificationIds: [row!.id] })).toEqual({ ok: true, unread: expect.any(Number) });
    const [still] = await sql<{ read_at: Date | null }>(server, 'select read_at from notification where id = ?', [row!.id]);
    expect(still!.read_at).toBeNull();
    expect(await readOf(desk, { upTo: -1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('what raises a notification is configured per role, by managers only', async () => {
    expect(errorCode(await desk.command('notification.configure', { propertyId: desk.propertyId, role: 'housekeeper', kinds: [] }))).toBe('FORBIDDEN');
    const set = await manager.command('notification.configure', { propertyId: manager.propertyId, role: 'housekeeper', kinds: ['ticket_assigned'] });
    ok(set);
    const changed = await sup.waitForEvent((e) => e.type === 'notification.rulesChanged');
    expect(changed.payload).toEqual({ role: 'housekeeper', kinds: ['ticket_assigned'] });
    const snapshot = await sup.sync(sup.propertyId);
    expect(snapshot.ok && 'snapshot' in snapshot && (snapshot.snapshot as unknown as { notificationRules: Record<string, string[]> }).notificationRules.housekeeper).toEqual(['ticket_assigned']);

    const count = async () => (await sql<{ n: number }>(server, 'select count(*)::int as n from notification where user_id = ?', [hkId]))[0]!.n;
    const before = await count();
    await assignNewTask('405');
    expect(await count()).toBe(before);

    ok(await manager.command('notification.configure', { propertyId: manager.propertyId, role: 'housekeeper', kinds: ['task_assigned', 'ticket_assigned'] }));
    await assignNewTask('406');
    expect(await count()).toBe(before + 1);
    // Another hotel's rules are out of reach (not a member there: no hint it exists).
    const harbor = await sql<{ id: string }>(server, "select id from property where name like '%Harbor%'");
    expect(errorCode(await manager.command('notification.configure', { propertyId: harbor[0]!.id, role: 'housekeeper', kinds: [] }))).toBe('NOT_FOUND');
    expect(await sql(server, 'select 1 from notification_rule where property_id = ?', [harbor[0]!.id])).toEqual([]);
  });
});
