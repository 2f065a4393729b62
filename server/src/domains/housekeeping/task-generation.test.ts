import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TaskView } from '@innboard/shared';
import { addDays } from '../property/hotel-date.ts';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { useOccupancySource, type RoomOccupancy } from './occupancy.ts';
import { checkOutHarness, countRows, errorCode, ok, roomStatusInDb, snapshotOf, type Snapshot } from './test-helpers.ts';

type Conn = Awaited<ReturnType<typeof loginAndConnect>>;

describe('tasks made by rules', () => {
  let server: TestServer;
  let sup: Conn;
  let hk: Conn;
  let desk: Conn;
  let snap: Snapshot;
  let checkOut: ReturnType<typeof checkOutHarness>;
  let restoreOccupancy = () => {};
  const room = (n: string) => snap.rooms.find((r) => r.number === n)!;
  const occupancy = (o: Partial<Record<keyof RoomOccupancy, string[]>>) => {
    restoreOccupancy = useOccupancySource(async () => ({
      inHouse: new Set((o.inHouse ?? []).map((n) => room(n).id)),
      arrivals: new Set((o.arrivals ?? []).map((n) => room(n).id)),
      departures: new Set((o.departures ?? []).map((n) => room(n).id)),
    }));
  };

  beforeAll(async () => {
    server = await startTestServer();
    [sup, hk, desk] = await Promise.all(['supervisor@innboard.demo', 'housekeeping@innboard.demo', 'frontdesk@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    snap = (await snapshotOf(sup, sup.propertyId)).snapshot;
    checkOut = checkOutHarness(server);
  });
  afterEach(() => restoreOccupancy());
  afterAll(async () => {
    for (const c of [sup, hk, desk]) c?.close();
    await server?.stop();
  });

  describe('check-out', () => {
    it('makes the room dirty and queues a departure clean in the same transaction, seen live by every board', async () => {
      const r = room('201');
      occupancy({ arrivals: ['201'] });
      const reservationId = randomUUID();
      const { ack, events } = await checkOut(desk.session.user.id, { propertyId: desk.propertyId, reservationId, roomId: r.id, departure: snap.property.businessDate, early: false });
      expect(ack).toMatchObject({ ok: true, seq: expect.any(Number) });
      expect(events.map((e) => e.type)).toEqual(['reservation.checkedOut', 'room.statusChanged', 'task.created']);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3].map((i) => events[0]!.seq + i - 1));
      const created = await sup.waitForEvent((e) => e.type === 'task.created' && (e.payload as TaskView).roomId === r.id);
      expect(created.payload).toMatchObject({ roomId: r.id, type: 'departure_clean', status: 'open', assigneeId: null, priority: 'high', reservationId, estimatedMinutes: 35 });
      const dirty = await hk.waitForEvent((e) => e.type === 'room.statusChanged' && (e.payload as { roomId: string }).roomId === r.id);
      expect(dirty.payload).toEqual({ roomId: r.id, status: 'dirty', previousStatus: 'clean', reason: 'Guest checked out' });
      expect(await roomStatusInDb(server, r.id)).toBe('dirty');
      // A board that was offline catches up from the event log.
      const caughtUp = await desk.sync(desk.propertyId, events[0]!.seq - 1);
      expect(caughtUp).toMatchObject({ ok: true, events: events.map((e) => expect.objectContaining({ seq: e.seq, type: e.type })) });
    });

    it('does not queue a second clean when the same check-out is seen again, and leaves a dirty room dirty', async () => {
      const r = room('202');
      const payload = { propertyId: desk.propertyId, reservationId: randomUUID(), roomId: r.id, departure: snap.property.businessDate, early: true };
      const first = await checkOut(desk.session.user.id, payload);
      expect(first.events.map((e) => e.type)).toEqual(['reservation.checkedOut', 'room.statusChanged', 'task.created']);
      expect(first.events[2]!.payload).toMatchObject({ note: 'Early departure', priority: 'normal' });
      const again = await checkOut(desk.session.user.id, payload);
      expect(again.events.map((e) => e.type)).toEqual(['reservation.checkedOut']);
      const [row] = await server.app.orm.em.fork().execute<{ n: string }[]>("select count(*) as n from housekeeping_task where room_id = ? and type = 'departure_clean'", [r.id]);
      expect(Number(row!.n)).toBe(1);
    });

    it('skips the room\'s stayover and turndown of the day', async () => {
      occupancy({ inHouse: ['203'] });
      const made = ok(await sup.command<{ created: TaskView[] }>('task.generateDaily', { propertyId: sup.propertyId, date: snap.property.businessDate, turndown: true }));
      const mine = made.created.filter((t) => t.roomNumber === '203');
      expect(mine.map((t) => t.type)).toEqual(['stayover', 'turndown']);
      const { events } = await checkOut(desk.session.user.id, { propertyId: desk.propertyId, reservationId: randomUUID(), roomId: room('203').id, departure: snap.property.businessDate, early: true });
      const skipped = events.filter((e) => e.type === 'task.updated').map((e) => e.payload as TaskView);
      expect(skipped.map((t) => [t.taskId, t.status, t.skipReason])).toEqual(mine.map((t) => [t.taskId, 'skipped', 'Guest checked out']));
    });

    it('is all or nothing: when the reaction fails, the check-out fails and nothing is written', async () => {
      const before = { tasks: await countRows(server, 'housekeeping_task'), seq: (await snapshotOf(desk, desk.propertyId)).seq };
      // A room that is not this property's: the reaction refuses it inside the check-out's unit of work.
      const [harborRoom] = await server.app.orm.em.fork().execute<{ id: string }[]>('select id from room where property_id <> ? limit 1', [desk.propertyId]);
      for (const roomId of [harborRoom!.id, randomUUID()]) {
        const { ack, events } = await checkOut(desk.session.user.id, { propertyId: desk.propertyId, reservationId: randomUUID(), roomId, departure: snap.property.businessDate, early: false });
        expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'Room not found' } });
        expect(events).toEqual([]);
      }
      expect(await countRows(server, 'housekeeping_task')).toBe(before.tasks);
      // Not even the check-out's own event was logged: the seq did not move.
      expect((await snapshotOf(desk, desk.propertyId)).seq).toBe(before.seq);
      expect(await roomStatusInDb(server, harborRoom!.id)).toBe('clean');
      // Someone without the check-out permission is refused before anything runs.
      expect(errorCode((await checkOut(hk.session.user.id, { propertyId: hk.propertyId, reservationId: randomUUID(), roomId: room('204').id, departure: snap.property.businessDate, early: false })).ack)).toBe('FORBIDDEN');
      expect(await roomStatusInDb(server, room('204').id)).toBe('clean');
    });
  });

  describe('daily service', () => {
    it('creates stayovers for in-house rooms not departing, once per day', async () => {
      occupancy({ inHouse: ['401', '402', '403', '404'], departures: ['403'], arrivals: ['405'] });
      ok(await sup.command('room.setStatus', { roomId: room('404').id, status: 'out_of_order', reason: 'Leak' }));
      const date = snap.property.businessDate;
      const ack = await sup.command<{ date: string; created: TaskView[] }>('task.generateDaily', { propertyId: sup.propertyId, date });
      const { created } = ok(ack);
      expect(created.map((t) => [t.roomNumber, t.type, t.serviceDate, t.status])).toEqual([['401', 'stayover', date, 'open'], ['402', 'stayover', date, 'open']]);
      await desk.waitForEvent((e) => e.seq === (ack as { seq: number }).seq);
      expect(desk.events.filter((e) => e.type === 'task.created' && created.some((t) => t.taskId === (e.payload as TaskView).taskId))).toHaveLength(2);

      const rerun = await sup.command<{ created: TaskView[] }>('task.generateDaily', { propertyId: sup.propertyId, date });
      expect(ok(rerun).created).toEqual([]);
      expect(rerun).not.toHaveProperty('seq');
      // Tomorrow is its own day.
      expect(ok(await sup.command<{ created: TaskView[] }>('task.generateDaily', { propertyId: sup.propertyId, date: addDays(date, 1) })).created).toHaveLength(2);
    });

    it('two racing runs for a day create each task once', async () => {
      occupancy({ inHouse: ['407', '408', '409'] });
      const date = addDays(snap.property.businessDate, 2);
      const acks = await Promise.all([sup, sup, sup].map((c) => c.command<{ created: TaskView[] }>('task.generateDaily', { propertyId: sup.propertyId, date, turndown: true })));
      for (const a of acks) expect(['OK', 'CONFLICT']).toContain(errorCode(a));
      expect(acks.flatMap((a) => (a.ok ? a.result.created : [])).map((t) => `${t.roomNumber}:${t.type}`).sort()).toEqual(['407:stayover', '407:turndown', '408:stayover', '408:turndown', '409:stayover', '409:turndown']);
      const [row] = await server.app.orm.em.fork().execute<{ n: string }[]>('select count(*) as n from housekeeping_task where service_date = ?', [date]);
      expect(Number(row!.n)).toBe(6);
    });

    it('refuses a closed day and attendants, and changes nothing', async () => {
      const before = await countRows(server, 'housekeeping_task');
      occupancy({ inHouse: ['406'] });
      expect(errorCode(await sup.command('task.generateDaily', { propertyId: sup.propertyId, date: addDays(snap.property.businessDate, -1) }))).toBe('VALIDATION');
      expect(errorCode(await sup.command('task.generateDaily', { propertyId: sup.propertyId, date: 'tomorrow' }))).toBe('VALIDATION');
      expect(errorCode(await hk.command('task.generateDaily', { propertyId: hk.propertyId, date: snap.property.businessDate }))).toBe('FORBIDDEN');
      expect(await countRows(server, 'housekeeping_task')).toBe(before);
    });
  });

  describe('auto-assignment', () => {
    it('splits the open tasks by floor and minutes, and tells each attendant once', async () => {
      // Start from a clean slate: everything earlier in this file is taken by the supervisor.
      const leftovers = (await snapshotOf(sup, sup.propertyId)).snapshot.tasks.filter((t) => t.status === 'open' && !t.assigneeId);
      for (const t of leftovers) ok(await sup.command('task.skip', { taskId: t.taskId, reason: 'test reset' }));
      const ids: string[] = [];
      for (const n of ['101', '102', '103', '104', '301', '302', '303', '304']) {
        ids.push(ok(await sup.command<TaskView>('task.create', { roomId: room(n).id, type: 'departure_clean' })).taskId);
      }
      const attendants = [hk.session.user.id, sup.session.user.id];
      const ack = await sup.command<{ assignments: Array<{ taskId: string; assigneeId: string }> }>('task.autoAssign', { propertyId: sup.propertyId, attendantIds: attendants });
      const { assignments } = ok(ack);
      expect(assignments.map((a) => a.taskId).sort()).toEqual([...ids].sort());
      const floorOf = new Map(ids.map((id, i) => [id, i < 4 ? 1 : 3]));
      const floorsOf = (userId: string) => new Set(assignments.filter((a) => a.assigneeId === userId).map((a) => floorOf.get(a.taskId)));
      expect(assignments.filter((a) => a.assigneeId === hk.session.user.id)).toHaveLength(4);
      expect(floorsOf(hk.session.user.id).size).toBe(1);
      expect(floorsOf(sup.session.user.id).size).toBe(1);
      await hk.waitForNotification((n) => n.kind === 'task_assigned');
      await settle();
      const notices = hk.notifications.filter((n) => n.kind === 'task_assigned');
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ title: '4 rooms added to your list', propertyId: sup.propertyId, read: false });
      // Nothing left to assign: no change, no seq.
      const again = await sup.command('task.autoAssign', { propertyId: sup.propertyId, attendantIds: attendants });
      expect(ok(again)).toEqual({ assignments: [] });
      expect(again).not.toHaveProperty('seq');
    });

    it('only to housekeeping staff', async () => {
      expect(errorCode(await sup.command('task.autoAssign', { propertyId: sup.propertyId, attendantIds: [desk.session.user.id] }))).toBe('VALIDATION');
      await settle(50);
    });
  });
});
