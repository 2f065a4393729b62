import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationView, TaskView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { useOccupancySource } from './occupancy.ts';
import { countRows, errorCode, isTaskEvent, ok, roomStatusInDb, snapshotOf, taskInDb, type Snapshot } from './test-helpers.ts';

type Conn = Awaited<ReturnType<typeof loginAndConnect>>;

describe('task commands', () => {
  let server: TestServer;
  let sup: Conn;
  let hk: Conn;
  let desk: Conn;
  let snap: Snapshot;
  const room = (n: string) => snap.rooms.find((r) => r.number === n)!;
  const newTask = async (roomNumber: string, extra: Record<string, unknown> = {}) =>
    ok(await sup.command<TaskView>('task.create', { roomId: room(roomNumber).id, type: 'departure_clean', ...extra }));

  beforeAll(async () => {
    server = await startTestServer();
    [sup, hk, desk] = await Promise.all(['supervisor@innboard.demo', 'housekeeping@innboard.demo', 'frontdesk@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    snap = (await snapshotOf(sup, sup.propertyId)).snapshot;
  });
  afterAll(async () => {
    for (const c of [sup, hk, desk]) c?.close();
    await server?.stop();
  });

  it('snapshot has the housekeeping keys and lists the housekeeping staff only', () => {
    expect(snap.tasks).toEqual([]);
    expect(snap.tickets).toEqual([]);
    expect(snap.occupancy).toEqual({ date: snap.property.businessDate, inHouse: [], arrivals: [], departures: [] });
    expect(snap.staff).toEqual([
      { userId: hk.session.user.id, name: 'Hugo Housekeeper', role: 'housekeeper' },
      { userId: sup.session.user.id, name: 'Sara Supervisor', role: 'housekeeping_supervisor' },
    ]);
  });

  it('task.create announces task.created to every board', async () => {
    const ack = await sup.command<TaskView>('task.create', { roomId: room('301').id, type: 'touch_up', note: 'VIP at 3pm' });
    const task = ok(ack);
    expect(task).toMatchObject({ roomId: room('301').id, roomNumber: '301', floor: 3, type: 'touch_up', status: 'open', assigneeId: null, note: 'VIP at 3pm', estimatedMinutes: 10, serviceDate: snap.property.businessDate });
    const e = await desk.waitForEvent(isTaskEvent('task.created', task.taskId));
    expect(e).toMatchObject({ seq: (ack as { seq: number }).seq, payload: { taskId: task.taskId, roomId: room('301').id, type: 'touch_up', status: 'open', assigneeId: null } });
  });

  it('a departure clean goes from dirty to clean to inspected, and a failed inspection reopens it', async () => {
    const r = room('302');
    ok(await sup.command('room.setStatus', { roomId: r.id, status: 'dirty' }));
    const task = await newTask('302');
    const assigned = ok(await sup.command<TaskView>('task.assign', { taskId: task.taskId, assigneeId: hk.session.user.id }));
    expect(assigned.assigneeId).toBe(hk.session.user.id);
    const notice = await hk.waitForNotification((n) => n.ref.id === task.taskId);
    expect(notice).toMatchObject({ kind: 'task_assigned', ref: { type: 'task', id: task.taskId }, read: false });

    expect(ok(await hk.command<TaskView>('task.start', { taskId: task.taskId })).status).toBe('in_progress');
    const done = await hk.command<TaskView>('task.complete', { taskId: task.taskId });
    expect(ok(done).status).toBe('done');
    // The front desk sees the room ready without asking.
    await desk.waitForEvent((e) => e.type === 'room.statusChanged' && (e.payload as { roomId: string }).roomId === r.id && (e.payload as { status: string }).status === 'clean');
    expect(await roomStatusInDb(server, r.id)).toBe('clean');

    const failAck = await sup.command<TaskView>('task.inspect', { taskId: task.taskId, passed: false, note: 'Hair in the sink' });
    expect(ok(failAck)).toMatchObject({ status: 'open', inspectionNote: 'Hair in the sink', assigneeId: hk.session.user.id, completedAt: null });
    expect(await roomStatusInDb(server, r.id)).toBe('dirty');
    const failSeq = (failAck as { seq: number }).seq;
    await desk.waitForEvent((e) => e.seq === failSeq);
    const fromInspection = desk.events.filter((e) => e.seq > (done as { seq: number }).seq && e.seq <= failSeq).map((e) => [e.type, e.payload]);
    expect(fromInspection).toEqual([
      ['task.updated', expect.objectContaining({ taskId: task.taskId, status: 'open' })],
      ['room.statusChanged', { roomId: r.id, status: 'dirty', previousStatus: 'clean', reason: 'Inspection failed: Hair in the sink' }],
    ]);
    // The attendant's notice goes to them alone, outside the property stream.
    const reopened = await hk.waitForNotification((n) => n.kind === 'task_reopened');
    expect(reopened).toMatchObject({ body: 'Hair in the sink', ref: { type: 'task', id: task.taskId } });
    expect(desk.notifications.some((n) => n.kind === 'task_reopened')).toBe(false);

    ok(await hk.command('task.complete', { taskId: task.taskId }));
    const passed = ok(await sup.command<TaskView>('task.inspect', { taskId: task.taskId, passed: true }));
    expect(passed.status).toBe('inspected');
    expect(await roomStatusInDb(server, r.id)).toBe('inspected');
    await desk.waitForEvent((e) => e.type === 'room.statusChanged' && (e.payload as { roomId: string }).roomId === r.id && (e.payload as { status: string }).status === 'inspected');
  });

  it('only supervisors assign and inspect; the front desk cannot inspect', async () => {
    const task = await newTask('303');
    const before = await taskInDb(server, task.taskId);
    expect(errorCode(await hk.command('task.assign', { taskId: task.taskId, assigneeId: hk.session.user.id }))).toBe('FORBIDDEN');
    expect(errorCode(await hk.command('task.create', { roomId: room('303').id, type: 'touch_up' }))).toBe('FORBIDDEN');
    ok(await sup.command('task.complete', { taskId: task.taskId }));
    expect(errorCode(await hk.command('task.inspect', { taskId: task.taskId, passed: true }))).toBe('FORBIDDEN');
    expect(errorCode(await desk.command('task.inspect', { taskId: task.taskId, passed: true }))).toBe('FORBIDDEN');
    expect(errorCode(await desk.command('task.start', { taskId: task.taskId }))).toBe('FORBIDDEN');
    const after = await taskInDb(server, task.taskId);
    expect(after).toMatchObject({ status: 'done', assignee_id: null, version: before!.version + 1 });
  });

  it('an attendant cannot start, finish or skip someone else\'s task', async () => {
    const task = await newTask('304');
    ok(await sup.command('task.assign', { taskId: task.taskId, assigneeId: sup.session.user.id }));
    const before = await taskInDb(server, task.taskId);
    for (const [type, payload] of [['task.start', {}], ['task.complete', {}], ['task.skip', { reason: 'not mine' }], ['task.setDoNotDisturb', { doNotDisturb: true }]] as const) {
      const ack = await hk.command(type, { taskId: task.taskId, ...payload });
      expect(ack, type).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('304') } });
    }
    expect(await taskInDb(server, task.taskId)).toEqual(before);
  });

  it('an attendant who starts an unassigned task claims it', async () => {
    const task = await newTask('305');
    const started = ok(await hk.command<TaskView>('task.start', { taskId: task.taskId }));
    expect(started).toMatchObject({ status: 'in_progress', assigneeId: hk.session.user.id });
  });

  it('assigns only to housekeeping staff, and refuses to inspect unfinished work', async () => {
    const task = await newTask('306');
    const res = await sup.command('task.assign', { taskId: task.taskId, assigneeId: desk.session.user.id });
    expect(errorCode(res)).toBe('VALIDATION');
    expect(errorCode(await sup.command('task.assign', { taskId: task.taskId, assigneeId: randomUUID() }))).toBe('VALIDATION');
    expect((await taskInDb(server, task.taskId))!.assignee_id).toBeNull();
    expect(await sup.command('task.inspect', { taskId: task.taskId, passed: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(errorCode(await sup.command('task.start', { taskId: randomUUID() }))).toBe('NOT_FOUND');
  });

  it('skip needs a reason; do-not-disturb keeps the task open at the end of the list', async () => {
    const task = await newTask('307');
    ok(await sup.command('task.assign', { taskId: task.taskId, assigneeId: hk.session.user.id }));
    ok(await hk.command('task.start', { taskId: task.taskId }));
    const dnd = ok(await hk.command<TaskView>('task.setDoNotDisturb', { taskId: task.taskId, doNotDisturb: true }));
    expect(dnd).toMatchObject({ status: 'open', doNotDisturb: true });
    const unchanged = await hk.command('task.setDoNotDisturb', { taskId: task.taskId, doNotDisturb: true });
    expect(unchanged.ok && !('seq' in unchanged)).toBe(true);
    expect(errorCode(await hk.command('task.skip', { taskId: task.taskId, reason: '  ' }))).toBe('VALIDATION');
    const skipped = ok(await hk.command<TaskView>('task.skip', { taskId: task.taskId, reason: 'Guest declined service' }));
    expect(skipped).toMatchObject({ status: 'skipped', skipReason: 'Guest declined service' });
    expect(errorCode(await hk.command('task.complete', { taskId: task.taskId }))).toBe('CONFLICT');
  });

  it('validation errors change nothing and emit nothing', async () => {
    const tasks = await countRows(server, 'housekeeping_task');
    const heard = desk.events.length;
    for (const [type, payload] of [
      ['task.create', { roomId: room('308').id, type: 'polish' }],
      ['task.create', { roomId: 'nope', type: 'stayover' }],
      ['task.create', { roomId: room('308').id, type: 'stayover', estimatedMinutes: 0 }],
      ['task.inspect', { taskId: randomUUID(), passed: 'yes' }],
      ['task.assign', { taskId: randomUUID() }],
    ] as const) {
      expect(errorCode(await sup.command(type, payload)), `${type} ${JSON.stringify(payload)}`).toBe('VALIDATION');
    }
    await settle();
    expect(await countRows(server, 'housekeeping_task')).toBe(tasks);
    expect(desk.events.length).toBe(heard);
  });

  it('room.setStatus follows the status machine: no inspecting a dirty room without task.inspect', async () => {
    const r = room('309');
    ok(await hk.command('room.setStatus', { roomId: r.id, status: 'dirty' }));
    expect(await hk.command('room.setStatus', { roomId: r.id, status: 'inspected' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('309') } });
    expect(await desk.command('room.setStatus', { roomId: r.id, status: 'inspected' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await roomStatusInDb(server, r.id)).toBe('dirty');
    expect(ok(await sup.command('room.setStatus', { roomId: r.id, status: 'inspected' }))).toEqual({ roomId: r.id, status: 'inspected', previousStatus: 'dirty' });
    ok(await desk.command('room.setStatus', { roomId: r.id, status: 'out_of_order', reason: 'Broken window' }));
    ok(await hk.command('room.setStatus', { roomId: r.id, status: 'dirty' }));
    const audit = await server.app.orm.em.fork().execute<{ changes: Array<{ id: string; after: { status: string } }> }[]>(
      "select changes from audit_outbox where command_type = 'room.setStatus' and outcome = 'ok' and changes @> ?::jsonb order by at",
      [JSON.stringify([{ id: r.id }])],
    );
    expect(audit.map((a) => a.changes[0]!.after.status)).toEqual(['dirty', 'inspected', 'out_of_order', 'dirty']);
  });

  it('tells the front desk when an arriving guest\'s room is ready', async () => {
    const r = room('310');
    const restore = useOccupancySource(async () => ({ inHouse: new Set(), arrivals: new Set([r.id]), departures: new Set() }));
    try {
      ok(await sup.command('room.setStatus', { roomId: r.id, status: 'dirty' }));
      const task = await newTask('310');
      expect(task.priority).toBe('high');
      ok(await hk.command('task.complete', { taskId: task.taskId }));
      const isReady = (n: NotificationView) => n.kind === 'room_ready' && n.ref.id === r.id;
      const n = await desk.waitForNotification(isReady);
      expect(n).toMatchObject({ title: 'Room 310 is ready', body: 'Room 310 is clean for today\'s arrival.', ref: { type: 'room', id: r.id } });
      // Everyone who checks guests in is told (front desk, manager, admin), nobody else.
      await settle();
      const users = await server.app.orm.em.fork().execute<{ id: string }[]>(
        "select u.id from app_user u join membership m on m.user_id = u.id where m.property_id = ? and m.role_name in ('front_desk', 'manager', 'admin') order by u.id", [desk.propertyId],
      );
      const told = await server.app.orm.em.fork().execute<{ user_id: string }[]>(
        "select user_id from notification where kind = 'room_ready' and ref->>'id' = ? order by user_id", [r.id],
      );
      expect(told.map((t) => t.user_id)).toEqual(users.map((u) => u.id));
      expect(hk.notifications.some(isReady)).toBe(false);
      // Going on from clean to inspected is not news for the desk.
      const count = () => desk.notifications.filter(isReady).length;
      const heard = count();
      ok(await sup.command('task.inspect', { taskId: task.taskId, passed: true }));
      await settle();
      expect(count()).toBe(heard);
    } finally {
      restore();
    }
  });

  it('a new snapshot carries the tasks in working order', async () => {
    const { snapshot } = await snapshotOf(hk, hk.propertyId);
    const numbers = snapshot.tasks.map((t) => t.roomNumber);
    expect(numbers).toContain('302');
    expect(numbers[0]).toBe('310');
    expect(snapshot.tasks.find((t) => t.roomNumber === '302')).toMatchObject({ status: 'inspected', type: 'departure_clean' });
  });
});
