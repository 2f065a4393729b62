// The night audit through real sockets and real Postgres: a full run, the no-show rule, a run stopped
// half-way and resumed without double posting, concurrent starts, the lock held by another session,
// and permissions. One server; the hotel is moved back in time so each test closes its own day.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DailyStatistics, EventEnvelope, FolioGetResult, NightAuditHistoryResult, NightAuditStatusResult, NightAuditStep, ReportDailyResult } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { addDays, hotelToday } from '../property/hotel-date.ts';
import { Property } from '../property/entities.ts';
import { Membership, User } from '../../identity/entities.ts';
import { errorCode, expectEventsMatchContract, hotelOf, ok, setBusinessDate, sql, type Conn, type Hotel } from '../reservations/testing.ts';
import { SYSTEM_ACTOR } from '../../pipeline/types.ts';
import { openRun } from './run.steps.ts';
import { bookStay, businessDateOf, checkedInStay, LOCK_KEY_SQL, moveHotelBack, ofRun, queryOf, roomLines, startAudit, type Query } from './testing.ts';

const PRICE = 10_000;
const CITY_TAX = 250;

describe('night audit', () => {
  let server: TestServer;
  let db: Query;
  let manager: Conn;
  let admin: Conn;
  let desk: Conn;
  let h: Hotel;
  let day0: string;
  let stdRooms: string[];
  /** What the runner does after each committed batch; tests swap it to stop or hold a run. */
  let afterBatch: (step: NightAuditStep, batch: number) => Promise<void> = async () => {};
  const pid = () => manager.propertyId;
  const payloadOf = <T>(e: EventEnvelope) => e.payload as T;

  beforeAll(async () => {
    server = await startTestServer({ env: { NIGHT_AUDIT_BATCH_SIZE: '2' }, appOptions: { nightAuditAfterBatch: (step, batch) => afterBatch(step, batch) } });
    db = queryOf(server);
    [manager, admin, desk] = await Promise.all(['manager@innboard.demo', 'admin@innboard.demo', 'frontdesk@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(manager);
    day0 = await moveHotelBack(db, manager, h, 6, PRICE);
    stdRooms = h.snapshot.rooms.filter((r) => r.roomTypeId === h.type('STD').id).map((r) => r.number);
    ok(await manager.command('billing.configure', { propertyId: pid(), cityTaxPerPersonNight: CITY_TAX }));
  });
  afterAll(async () => {
    for (const c of [manager, admin, desk]) c?.close();
    await server?.stop();
  });

  it('marks no-shows, posts room and city tax, stores the day\'s statistics and rolls the date, live on the board', async () => {
    const inHouse = await checkedInStay(desk, h, { type: 'STD', room: stdRooms[0]!, arrival: day0, departure: addDays(day0, 2), name: 'Inna' });
    const noShow = await bookStay(desk, h, { type: 'STD', arrival: day0, departure: addDays(day0, 1), name: 'Nobody' });
    const later = await bookStay(desk, h, { type: 'DLX', arrival: addDays(day0, 1), departure: addDays(day0, 3), name: 'Later' });
    const [folio] = ok(await desk.command<FolioGetResult>('folio.get', { reservationId: inHouse })).folios;
    ok(await desk.command('folio.takePayment', { folioId: folio!.folioId, method: 'cash', amount: 5_000 }));
    const from = manager.events.length;

    const { runId, businessDate } = await startAudit(manager);
    expect(businessDate).toBe(day0);
    const completed = await manager.waitForEvent(ofRun(runId, 'nightAudit.completed'), 20_000);
    const statistics: DailyStatistics = {
      businessDate: day0, currency: 'EUR', roomsAvailable: h.snapshot.rooms.length, roomsOutOfOrder: 0, roomsSold: 1, occupancy: Math.round((1 / h.snapshot.rooms.length) * 1000) / 10,
      roomRevenue: PRICE, adr: PRICE, revpar: Math.round(PRICE / h.snapshot.rooms.length), arrivals: 1, departures: 0, noShows: 1,
      revenueByDepartment: { room: PRICE, city_tax: CITY_TAX }, paymentsByMethod: { cash: 5_000 },
    };
    expect(completed.payload).toEqual({ businessDate: day0, nextBusinessDate: addDays(day0, 1), runId, statistics });

    // The board saw the run step by step, gapless, in commit order.
    const seen = manager.events.slice(from).filter((e) => e.seq <= completed.seq);
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => seen[0]!.seq + i));
    const progress = seen.filter(ofRun(runId, 'nightAudit.progress')).map((e) => payloadOf<{ step: string; done: number; total: number }>(e));
    expect(progress.map(({ step, done, total }) => [step, done, total])).toEqual([['no_shows', 1, 1], ['room_charges', 1, 1], ['close_day', 1, 1]]);
    expect(seen.find(ofRun(runId, 'nightAudit.started'))!.payload).toEqual({ runId, businessDate: day0, startedBy: manager.session.user.id, resumed: false });
    expect(seen.some((e) => e.type === 'folio.updated' && payloadOf<{ reservationId: string }>(e).reservationId === inHouse)).toBe(true);
    expectEventsMatchContract(seen);

    // The no-show rule: the arrival that never came is a no-show; the stay due tomorrow is untouched.
    const statuses = new Map((await sql<{ id: string; status: string }>(server, 'select id, status from reservation where id = any(?::uuid[])', [`{${[inHouse, noShow, later].join(',')}}`])).map((r) => [r.id, r.status]));
    expect(Object.fromEntries([inHouse, noShow, later].map((id) => [id, statuses.get(id)]))).toEqual({ [inHouse]: 'checked_in', [noShow]: 'no_show', [later]: 'confirmed' });

    expect((await roomLines(db, [inHouse], day0)).get(inHouse)).toEqual({ n: 1, total: PRICE });
    expect(await businessDateOf(db, pid())).toBe(addDays(day0, 1));
    expect(ok(await manager.command<ReportDailyResult>('report.daily', { propertyId: pid(), from: addDays(day0, -3), to: addDays(day0, 3) }))).toEqual({ currency: 'EUR', days: [statistics] });
    const status = ok(await manager.command<NightAuditStatusResult>('nightAudit.status', { propertyId: pid() }));
    expect(status).toMatchObject({ businessDate: addDays(day0, 1), current: null, lastCompleted: { runId, businessDate: day0, status: 'completed', attempts: 1, error: null } });

    // The audit trail names the manager for the start and the system for the work done in the night.
    const trail = await sql<{ command_type: string; actor_id: string; actor_role: string }>(server,
      `select distinct command_type, actor_id, actor_role from audit_outbox where command_type like 'nightAudit.%' and command_type <> 'nightAudit.status' order by command_type`);
    expect(trail).toEqual([
      { command_type: 'nightAudit.closeDay', actor_id: SYSTEM_ACTOR.userId, actor_role: 'system' },
      { command_type: 'nightAudit.markNoShows', actor_id: SYSTEM_ACTOR.userId, actor_role: 'system' },
      { command_type: 'nightAudit.postRoomCharges', actor_id: SYSTEM_ACTOR.userId, actor_role: 'system' },
      { command_type: 'nightAudit.run', actor_id: manager.session.user.id, actor_role: 'manager' },
      { command_type: 'nightAudit.start', actor_id: manager.session.user.id, actor_role: 'manager' },
    ]);
  });

  it('resumes a run stopped half-way through the postings without posting any night twice', async () => {
    const date = await businessDateOf(db, pid());
    const guests = [];
    for (const [i, name] of ['Gus', 'Gia', 'Gil', 'Gwen'].entries()) {
      guests.push(await checkedInStay(desk, h, { type: 'STD', room: stdRooms[i + 1]!, arrival: date, departure: addDays(date, 3), name }));
    }
    const stays = (await sql<{ id: string }>(server, `select id from reservation where property_id = ? and status = 'checked_in' order by id`, [pid()])).map((r) => r.id);
    expect(stays).toHaveLength(5);
    afterBatch = async (step, batch) => {
      if (step === 'room_charges' && batch === 0) throw new Error('crash between batches');
    };
    const first = await startAudit(manager);
    const failed = await manager.waitForEvent(ofRun(first.runId, 'nightAudit.failed'), 20_000);
    expect(failed.payload).toMatchObject({ businessDate: date, step: 'room_charges', message: expect.stringContaining('start it again') });
    const half = await roomLines(db, stays, date);
    expect(stays.map((id) => half.get(id)!.n)).toEqual([1, 1, 0, 0, 0]);
    expect(await businessDateOf(db, pid())).toBe(date);
    expect(ok(await manager.command<NightAuditStatusResult>('nightAudit.status', { propertyId: pid() })).current).toMatchObject({ runId: first.runId, status: 'failed', step: 'room_charges', done: 2, total: 5 });

    afterBatch = async () => {};
    const from = manager.events.length;
    const again = await startAudit(admin);
    expect(again).toEqual({ runId: first.runId, businessDate: date });
    await manager.waitForEvent(ofRun(again.runId, 'nightAudit.completed'), 20_000);
    const run = manager.events.slice(from);
    expect(run.find(ofRun(again.runId, 'nightAudit.started'))!.payload).toMatchObject({ resumed: true, startedBy: admin.session.user.id });
    // The committed batch replays (no event); the rest is posted once.
    expect(run.filter(ofRun(again.runId, 'nightAudit.progress')).map((e) => payloadOf<{ step: string; done: number }>(e)).filter((p) => p.step === 'room_charges').map((p) => p.done)).toEqual([4, 5]);
    const all = await roomLines(db, stays, date);
    expect(stays.map((id) => all.get(id))).toEqual(stays.map(() => ({ n: 1, total: PRICE })));
    expect(await businessDateOf(db, pid())).toBe(addDays(date, 1));
    const history = ok(await manager.command<NightAuditHistoryResult>('nightAudit.history', { propertyId: pid() }));
    expect(history.runs.map((r) => [r.businessDate, r.status, r.attempts])).toEqual([[date, 'completed', 2], [day0, 'completed', 1]]);
  });

  it('re-runs a run that stopped after its last posting: nothing is posted again, the same command id starts nothing new', async () => {
    const date = await businessDateOf(db, pid());
    expect(await sql(server, `select 1 from reservation_night n join reservation r on r.id = n.reservation_id where r.status = 'checked_in' and n.date = ?`, [date])).toHaveLength(4);
    afterBatch = async (step, batch) => {
      if (step === 'room_charges' && batch === 1) throw new Error('crash before closing the day');
    };
    const first = await startAudit(manager);
    await manager.waitForEvent(ofRun(first.runId, 'nightAudit.failed'), 20_000);
    const lines = await sql(server, `select id from folio_line where business_date = ? and department in ('room', 'city_tax') order by id`, [date]);
    // Four guests in house (the first one's stay ended today): a room and a city tax line each.
    expect(lines).toHaveLength(8);

    afterBatch = async () => {};
    const commandId = randomUUID();
    const again = await startAudit(manager, commandId);
    await manager.waitForEvent(ofRun(again.runId, 'nightAudit.completed'), 20_000);
    expect(await sql(server, `select id from folio_line where business_date = ? and department in ('room', 'city_tax') order by id`, [date])).toEqual(lines);
    // The same command id again is answered from the idempotency record: no third attempt, no new run.
    expect(await manager.command('nightAudit.run', { propertyId: pid() }, commandId)).toEqual({ ok: true, result: again });
    expect((await sql<{ attempts: number }>(server, 'select attempts from night_audit_run where id = ?', [again.runId]))[0]!.attempts).toBe(2);
    expect(await businessDateOf(db, pid())).toBe(addDays(date, 1));
  });

  it('lets one of two simultaneous starts run; the other, and any start while another session holds the lock, gets CONFLICT', async () => {
    const date = await businessDateOf(db, pid());
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    afterBatch = () => held;
    const [a, b] = await Promise.all([manager.command('nightAudit.run', { propertyId: pid() }), admin.command('nightAudit.run', { propertyId: pid() })]);
    expect([errorCode(a), errorCode(b)].sort()).toEqual(['CONFLICT', 'OK']);
    const loser = a.ok ? b : a;
    expect(loser).toMatchObject({ ok: false, error: { message: 'A night audit is already running for this hotel' } });
    const winner = (a.ok ? a : b) as { ok: true; result: { runId: string } };

    // The lock is Postgres's, not this process's: another session cannot take it meanwhile.
    const other = new pg.Client({ connectionString: server.databaseUrl });
    await other.connect();
    try {
      expect((await other.query(`select pg_try_advisory_lock(${LOCK_KEY_SQL}) as locked`, [pid()])).rows[0].locked).toBe(false);
      release();
      await manager.waitForEvent(ofRun(winner.result.runId, 'nightAudit.completed'), 20_000);
      afterBatch = async () => {};
      expect(await businessDateOf(db, pid())).toBe(addDays(date, 1));

      // The run let go of the lock before anyone heard it completed (runSystem's afterCommit), so the other session
      // (another node, say) gets it at once; while it holds it, a start is refused and changes nothing.
      expect((await other.query(`select pg_try_advisory_lock(${LOCK_KEY_SQL}) as locked`, [pid()])).rows[0].locked).toBe(true);
      const runs = await sql(server, 'select id, attempts from night_audit_run order by id');
      expect(await manager.command('nightAudit.run', { propertyId: pid() })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(await sql(server, 'select id, attempts from night_audit_run order by id')).toEqual(runs);
    } finally {
      await other.end();
    }
  });

  it('a scheduled start for a date another node closed meanwhile is refused and opens nothing (the next day waits for its own time)', async () => {
    const date = await businessDateOf(db, pid());
    const runs = await sql(server, 'select id, status, attempts from night_audit_run order by id');
    // What a node that saw yesterday due, then got the lock after another node closed it, would send.
    const late = await server.app.runSystem({ propertyId: pid(), type: 'nightAudit.start' }, (ctx) => openRun(ctx, null, addDays(date, -1)));
    expect(late.ack).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: `The audit of ${addDays(date, -1)} already ran; the business date is ${date}` } });
    expect(await sql(server, 'select id, status, attempts from night_audit_run order by id')).toEqual(runs);
    expect(await businessDateOf(db, pid())).toBe(date);
  });

  it('refuses to close a business date that has not begun in the hotel\'s time zone', async () => {
    const before = await businessDateOf(db, pid());
    await setBusinessDate(server, pid(), addDays(h.businessDate, 2));
    try {
      expect(await manager.command('nightAudit.run', { propertyId: pid() })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Europe/Berlin') } });
    } finally {
      await setBusinessDate(server, pid(), before);
    }
  });

  it('closes each hotel\'s own calendar day: Auckland and Honolulu, a day apart', async () => {
    const em = server.app.orm.em.fork();
    const zones = ['Pacific/Auckland', 'Pacific/Honolulu'];
    const hotels = zones.map((timeZone) => em.create(Property, { name: `Lodge ${timeZone}`, timeZone, currency: 'NZD', businessDate: hotelToday(timeZone) }));
    const adminUser = await em.findOneOrFail(User, { email: 'admin@innboard.demo' });
    for (const property of hotels) em.create(Membership, { user: adminUser, property, role: 'admin' });
    await em.flush();
    const remote = await loginAndConnect(server.url, 'admin@innboard.demo');
    try {
      for (const property of hotels) {
        const today = hotelToday(property.timeZone);
        const started = ok(await remote.command<{ runId: string; businessDate: string }>('nightAudit.run', { propertyId: property.id }));
        expect(started.businessDate).toBe(today);
        const done = await remote.waitForEvent(ofRun(started.runId, 'nightAudit.completed'), 20_000);
        expect(done).toMatchObject({ propertyId: property.id, payload: { businessDate: today, nextBusinessDate: addDays(today, 1), statistics: { currency: 'NZD', roomsAvailable: 0, occupancy: 0 } } });
        // Tomorrow has not begun there yet.
        expect(await remote.command('nightAudit.run', { propertyId: property.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(property.timeZone) } });
      }
    } finally {
      remote.close();
    }
  });

  it('needs nightAudit.run to start or configure and report.read to read; another hotel is not found', async () => {
    const harbor = await loginAndConnect(server.url, 'harbor.frontdesk@innboard.demo');
    expect(errorCode(await harbor.command('nightAudit.run', { propertyId: pid() }))).toBe('NOT_FOUND');
    expect(errorCode(await harbor.command('report.daily', { propertyId: pid(), from: day0, to: day0 }))).toBe('NOT_FOUND');
    harbor.close();
    expect(errorCode(await desk.command('nightAudit.run', { propertyId: pid() }))).toBe('FORBIDDEN');
    expect(errorCode(await desk.command('nightAudit.configure', { propertyId: pid(), time: '02:00', automatic: true }))).toBe('FORBIDDEN');
    expect(errorCode(await desk.command('report.daily', { propertyId: pid(), from: day0, to: day0 }))).toBe('FORBIDDEN');
    expect(errorCode(await desk.command('nightAudit.status', { propertyId: pid() }))).toBe('FORBIDDEN');
    expect(errorCode(await manager.command('report.daily', { propertyId: pid(), from: day0, to: addDays(day0, -1) }))).toBe('VALIDATION');
    expect(errorCode(await manager.command('nightAudit.configure', { propertyId: pid(), time: '25:00', automatic: true }))).toBe('VALIDATION');

    expect(ok(await manager.command('nightAudit.configure', { propertyId: pid(), time: '02:30', automatic: false }))).toEqual({ time: '02:30', automatic: false, isDefault: false });
    await manager.waitForEvent((e) => e.type === 'nightAudit.scheduleChanged' && payloadOf<{ time: string }>(e).time === '02:30');
    expect(ok(await manager.command<NightAuditStatusResult>('nightAudit.status', { propertyId: pid() })).schedule).toEqual({ time: '02:30', automatic: false, isDefault: false });
    expect(ok(await manager.command('nightAudit.configure', { propertyId: pid(), time: null, automatic: true }))).toEqual({ time: '03:00', automatic: true, isDefault: true });
  });
});
