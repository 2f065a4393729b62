// room.setStatus's single-statement path (pipeline/types.ts FastWrite) through real sockets and Postgres:
// concurrent commands keep the stream gapless and in order, ids stay idempotent, and a command whose
// statement loses a race to another change falls back to the unit of work and answers as before. Once a
// room's property is known, the statement goes out alone (no preflight) and answers everything it does not
// apply to through the checked path, exactly as before.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import type { Ack, NotificationView, RoomStatus } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../testing/factory.ts';
import { guest, hotelOf, ok, sql, type Conn, type Hotel } from '../domains/reservations/testing.ts';

type StatusResult = { roomId: string; status: RoomStatus; previousStatus: RoomStatus };

/** The statements `server` sent while `work` ran, in order (the audit sink's shipping, on its own timer, left out). */
async function statementsOf<T>(server: TestServer, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const connection = server.app.orm.em.getConnection() as unknown as { logQuery(query: string, context?: unknown): void };
  const spy = vi.spyOn(connection, 'logQuery');
  try {
    const result = await work();
    return { result, statements: spy.mock.calls.map((c) => c[0]).filter((q) => !/\baudit_log\b/.test(q)) };
  } finally {
    spy.mockRestore();
  }
}
/**
 * These tests count a command's statements, and the gateway's heartbeat reads property_seq every HEARTBEAT_MS (1 s
 * in tests): on a loaded machine a command took long enough for it to land in the count. An hour keeps it out.
 */
const startQuietServer = () => startTestServer({ env: { HEARTBEAT_MS: '3600000' } });
/** The single statement of a fast room.setStatus. */
const ONE_STATEMENT = /^with dom as \(update room /;

describe('room.setStatus in one statement', () => {
  let server: TestServer;
  let desk: Conn;
  let hk: Conn;
  let board: Conn;
  let h: Hotel;
  const statusOf = async (roomId: string) => (await sql<{ status: RoomStatus }>(server, 'select status from room where id = ?', [roomId]))[0]!.status;
  const rowsFor = async (table: 'event_log' | 'audit_outbox' | 'command_result', commandId: string) =>
    (await sql<{ n: number }>(server, `select count(*)::int as n from ${table} where ${table === 'command_result' ? 'id' : 'command_id'} = ?`, [commandId]))[0]!.n;
  const currentSeq = async () => ((await desk.sync(desk.propertyId, 0)) as { seq: number }).seq;
  const statementsDuring = <T>(work: () => Promise<T>) => statementsOf(server, work);

  beforeAll(async () => {
    server = await startQuietServer();
    [desk, hk, board] = await Promise.all(['frontdesk@innboard.demo', 'housekeeping@innboard.demo', 'supervisor@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, hk, board]) c?.close();
    await server?.stop();
  });

  it('numbers concurrent commands from two sockets gaplessly; a board hears every seq once, in order; a repeated id acts once', async () => {
    const start = await currentSeq();
    const rooms = h.snapshot.rooms.filter((r) => r.number < '311');
    // Moves that never make a room ready for an arrival: all of them qualify for the single statement.
    const sends = rooms.map((r, i) => ({ conn: i % 2 ? hk : desk, id: randomUUID(), roomId: r.id, status: (r.status === 'dirty' ? 'out_of_service' : 'dirty') as RoomStatus }));
    // Every fourth command is sent twice at once with the same id, as a flaky connection's retry would.
    const acks = await Promise.all(sends.flatMap((s, i) => {
      const send = () => s.conn.command<StatusResult>('room.setStatus', { roomId: s.roomId, status: s.status }, s.id);
      return i % 4 === 0 ? [send(), send()] : [send()];
    }));
    expect(acks.every((a) => a.ok)).toBe(true);
    const byId = new Map<string, Ack<StatusResult>[]>();
    let k = 0;
    sends.forEach((s, i) => byId.set(s.id, acks.slice(k, (k += i % 4 === 0 ? 2 : 1))));
    for (const [, same] of byId) for (const a of same) expect(a).toEqual(same[0]);

    const seqs = [...byId.values()].map((a) => (a[0] as { seq: number }).seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: sends.length }, (_, i) => start + 1 + i));
    for (const s of sends) expect(await rowsFor('event_log', s.id)).toBe(1);
    for (const s of sends) expect(await statusOf(s.roomId)).toBe(s.status);
    // One node broadcasts a property's events in seq order, each once.
    await expect.poll(() => board.events.filter((e) => e.seq > start).length).toBe(sends.length);
    await settle();
    expect(board.events.filter((e) => e.seq > start).map((e) => e.seq)).toEqual(seqs);
  });

  it('falls back to the unit of work when the room changes between the preflight and the statement', async () => {
    const room = h.room('312');
    expect(await statusOf(room.id)).toBe('clean');
    // Hold the room's row: the command's statement waits on it with the status its preflight saw.
    const other = new pg.Client({ connectionString: server.databaseUrl });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select id from room where id = $1 for update', [room.id]);
      const id = randomUUID();
      const pending = desk.command<StatusResult>('room.setStatus', { roomId: room.id, status: 'dirty' }, id);
      // Read from outside the held transaction: inside one, Postgres keeps serving the first stats snapshot.
      await expect.poll(async () => (await sql<{ n: number }>(server,
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like 'with dom as (update room%'",
      ))[0]!.n, { timeout: 10_000 }).toBe(1);
      // Someone else takes the room out of service meanwhile: the statement no longer applies.
      await other.query("update room set status = 'out_of_service' where id = $1", [room.id]);
      await other.query('commit');

      const ack = await pending;
      expect(ack).toMatchObject({ ok: true, result: { roomId: room.id, status: 'dirty', previousStatus: 'out_of_service' }, seq: expect.any(Number) });
      const seq = (ack as { seq: number }).seq;
      const event = await board.waitForEvent((e) => e.seq === seq);
      expect(event.payload).toEqual({ roomId: room.id, status: 'dirty', previousStatus: 'out_of_service' });
      expect(await statusOf(room.id)).toBe('dirty');
      expect([await rowsFor('event_log', id), await rowsFor('audit_outbox', id), await rowsFor('command_result', id)]).toEqual([1, 1, 1]);
      const [audit] = await sql<{ changes: unknown }>(server, 'select changes from audit_outbox where command_id = ?', [id]);
      expect(audit!.changes).toEqual([{ type: 'room', id: room.id, before: { status: 'out_of_service' }, after: { status: 'dirty' } }]);
    } finally {
      await other.query('rollback').catch(() => {});
      await other.end();
    }
  });

  it('tells the front desk from the same single statement when a room becomes ready for today\'s arrival', async () => {
    const [arriving, quiet] = [h.room('411'), h.room('412')];
    expect(arriving!.roomTypeId).toBe(quiet!.roomTypeId);
    ok(await desk.command('reservation.create', { propertyId: desk.propertyId, roomTypeId: arriving!.roomTypeId, roomId: arriving!.id, arrival: h.day(0), departure: h.day(1), adults: 1, guest: guest('Ada') }));
    // These moves teach the node both rooms' property: the next ones go out without the preflight.
    for (const r of [arriving!, quiet!]) ok(await hk.command('room.setStatus', { roomId: r.id, status: 'dirty' }));
    const isReady = (roomId: string) => (n: NotificationView) => n.kind === 'room_ready' && n.ref.id === roomId;
    const toldAbout = async (roomId: string) => (await sql<{ user_id: string; seq: number }>(server,
      "select user_id, seq from notification where kind = 'room_ready' and ref->>'id' = ? order by created_at, user_id", [roomId]));
    const membersWith = async (roles: string[]) => (await sql<{ user_id: string }>(server,
      'select user_id from membership where property_id = ? and role_name = any(?::text[]) order by user_id', [desk.propertyId, `{${roles.join(',')}}`])).map((m) => m.user_id);

    const { result: ack, statements } = await statementsDuring(() => hk.command('room.setStatus', { roomId: arriving!.id, status: 'clean' }));
    ok(ack);
    // Compared whole, so a failure shows what else went out.
    expect(statements).toEqual([expect.stringMatching(ONE_STATEMENT)]);
    const notice = await desk.waitForNotification(isReady(arriving!.id));
    expect(notice).toMatchObject({ title: `Room ${arriving!.number} is ready`, body: `Room ${arriving!.number} is clean for today's arrival.`, ref: { type: 'room', id: arriving!.id }, read: false });
    // Everyone who checks guests in and hears room_ready by default (front desk, manager, admin), nobody else,
    // each on their own next notification seq (notifications.sync catches up from it).
    const told = await toldAbout(arriving!.id);
    expect(told.map((t) => t.user_id).sort()).toEqual(await membersWith(['front_desk', 'manager', 'admin']));
    const synced = await desk.socket.emitWithAck('notifications.sync', {});
    expect(synced.notifications.at(-1)).toMatchObject({ notificationId: notice.notificationId, seq: notice.seq });
    expect(hk.notifications.some(isReady(arriving!.id))).toBe(false);
    // The same move with no arrival due, and a move between two ready statuses: no notice.
    ok(await hk.command('room.setStatus', { roomId: quiet!.id, status: 'clean' }));
    ok(await board.command('room.setStatus', { roomId: arriving!.id, status: 'inspected' }));
    await settle();
    expect(desk.notifications.filter(isReady(quiet!.id))).toEqual([]);
    expect(desk.notifications.filter(isReady(arriving!.id))).toHaveLength(1);
    expect(await toldAbout(arriving!.id)).toHaveLength(told.length);

    // The property's rule row wins over the defaults, and nobody hears of their own move: with the front desk
    // not hearing room_ready, the manager making the room ready tells the admin alone.
    const manager = await loginAndConnect(server.url, 'manager@innboard.demo');
    try {
      ok(await manager.command('notification.configure', { propertyId: desk.propertyId, role: 'front_desk', kinds: ['arrival_assigned'] }));
      ok(await hk.command('room.setStatus', { roomId: arriving!.id, status: 'dirty' }));
      const { statements: again } = await statementsDuring(() => manager.command('room.setStatus', { roomId: arriving!.id, status: 'clean' }));
      expect(again).toEqual([expect.stringMatching(ONE_STATEMENT)]);
      expect((await toldAbout(arriving!.id)).slice(told.length).map((t) => t.user_id)).toEqual(await membersWith(['admin']));
    } finally {
      ok(await manager.command('notification.configure', { propertyId: desk.propertyId, role: 'front_desk', kinds: ['arrival_assigned', 'room_ready', 'ticket_assigned'] }));
      manager.close();
    }
  });
});

describe('room.setStatus as one statement without the preflight', () => {
  let server: TestServer;
  let desk: Conn;
  let hk: Conn;
  let board: Conn;
  let h: Hotel;
  const statusOf = async (roomId: string) => (await sql<{ status: RoomStatus }>(server, 'select status from room where id = ?', [roomId]))[0]!.status;
  const rowsFor = async (commandId: string) => Promise.all((['event_log', 'audit_outbox', 'command_result'] as const).map(async (table) =>
    (await sql<{ n: number }>(server, `select count(*)::int as n from ${table} where ${table === 'command_result' ? 'id' : 'command_id'} = ?`, [commandId]))[0]!.n));
  const statementsDuring = <T>(work: () => Promise<T>) => statementsOf(server, work);
  const setStatus = (conn: Conn, roomId: string, status: RoomStatus, id?: string, reason?: string) =>
    conn.command<StatusResult>('room.setStatus', { roomId, status, ...(reason ? { reason } : {}) }, id);

  beforeAll(async () => {
    server = await startQuietServer();
    [desk, hk, board] = await Promise.all(['frontdesk@innboard.demo', 'housekeeping@innboard.demo', 'supervisor@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, hk, board]) c?.close();
    await server?.stop();
  });

  it('sends a change of a room seen before as ONE statement, leaving the same event, audit row and answer', async () => {
    const room = h.room('201')!;
    // The first command on a room goes through the preflight (two statements); its commit teaches the node the room.
    const first = await statementsDuring(() => setStatus(desk, room.id, 'out_of_service'));
    ok(first.result);
    expect(first.statements).toHaveLength(2);
    const moves: Array<[Conn, RoomStatus, RoomStatus, string, string | undefined]> = [
      [hk, 'dirty', 'out_of_service', 'housekeeper', undefined],
      [desk, 'out_of_service', 'dirty', 'front_desk', 'Leak under the sink'],
      [hk, 'dirty', 'out_of_service', 'housekeeper', undefined],
    ];
    for (const [conn, status, previousStatus, role, reason] of moves) {
      const id = randomUUID();
      const { result: ack, statements } = await statementsDuring(() => setStatus(conn, room.id, status, id, reason));
      expect(statements).toEqual([expect.stringMatching(ONE_STATEMENT)]);
      expect(ack).toEqual({ ok: true, result: { roomId: room.id, status, previousStatus }, seq: expect.any(Number) });
      const seq = (ack as { seq: number }).seq;
      const event = await board.waitForEvent((e) => e.seq === seq);
      expect(event).toMatchObject({ type: 'room.statusChanged', payload: { roomId: room.id, status, previousStatus, ...(reason ? { reason } : {}) } });
      const [logged] = await sql<{ seq: string; payload: unknown }>(server, 'select seq, payload from event_log where command_id = ?', [id]);
      expect([Number(logged!.seq), logged!.payload]).toEqual([seq, event.payload]);
      const [audit] = await sql<{ actor_role: string; outcome: string; changes: unknown }>(server, 'select actor_role, outcome, changes from audit_outbox where command_id = ?', [id]);
      expect(audit).toEqual({ actor_role: role, outcome: 'ok', changes: [{ type: 'room', id: room.id, before: { status: previousStatus }, after: { status, ...(reason ? { reason } : {}) } }] });
      const [stored] = await sql<{ ack: unknown }>(server, 'select ack from command_result where id = ?', [id]);
      expect(stored!.ack).toEqual(ack);
      expect(await statusOf(room.id)).toBe(status);
    }
  });

  /** A resent id whose statement would apply now: one statement, the first answer, and the room left as it is. */
  const expectReplayed = async (resend: () => Promise<Ack<StatusResult>>, first: Ack<StatusResult>, roomId: string, status: RoomStatus) => {
    const again = await statementsDuring(resend);
    expect(again.result).toEqual(first);
    expect(again.statements[0]).toMatch(ONE_STATEMENT);
    expect(await statusOf(roomId)).toBe(status);
  };

  it('replays a repeated id although its statement would apply again, writing nothing twice; another user gets CONFLICT', async () => {
    const room = h.room('202')!;
    ok(await setStatus(desk, room.id, 'out_of_service'));
    const id = randomUUID();
    const first = await setStatus(hk, room.id, 'dirty', id);
    expect(first).toMatchObject({ ok: true, result: { previousStatus: 'out_of_service' } });
    // The room moves back: the same command would change it again, but its id is taken.
    ok(await setStatus(desk, room.id, 'out_of_service'));
    await expectReplayed(() => setStatus(hk, room.id, 'dirty', id), first, room.id, 'out_of_service');
    expect(await rowsFor(id)).toEqual([1, 1, 1]);
    expect(await setStatus(desk, room.id, 'dirty', id)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await statusOf(room.id)).toBe('out_of_service');
    expect(await rowsFor(id)).toEqual([1, 1, 1]);
  });

  it('replays a remembered failure although the statement would now apply, changing nothing', async () => {
    const room = h.room('206')!;
    ok(await setStatus(desk, room.id, 'dirty'));
    const id = randomUUID();
    const refused = await setStatus(hk, room.id, 'inspected', id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Once the room is clean, a housekeeper may mark it inspected: only the id's first answer stops the statement.
    ok(await setStatus(desk, room.id, 'clean'));
    await expectReplayed(() => setStatus(hk, room.id, 'inspected', id), refused, room.id, 'clean');
    expect((await rowsFor(id))[0]).toBe(0);
  });

  it('answers a foreign room, a caller without the permission, a forbidden move and no change exactly as the checked path, writing no change', async () => {
    const harbor = await loginAndConnect(server.url, 'harbor.frontdesk@innboard.demo');
    const pos = await loginAndConnect(server.url, 'pos@innboard.demo');
    try {
      const harborRoom = (await hotelOf(harbor)).snapshot.rooms[0]!;
      const [known, unknown] = [h.room('203')!, h.room('204')!];
      // `unknown` is not known to the node yet: its answers come from the preflight and `handle` alone.
      // The same commands on rooms the node knows try the one statement first and must answer alike.
      ok(await setStatus(harbor, harborRoom.id, 'dirty'));
      ok(await setStatus(desk, known.id, 'dirty'));
      const asBefore = {
        foreign: await setStatus(desk, randomUUID(), 'out_of_service'),
        permission: await setStatus(pos, unknown.id, 'out_of_service'),
      };
      ok(await setStatus(desk, unknown.id, 'dirty'));
      const before = await sql<{ n: number }>(server, 'select count(*)::int as n from event_log');

      const cases: Array<[string, Conn, string, RoomStatus, unknown, Array<{ outcome: string; error_code: string | null }>]> = [
        ['foreign', desk, harborRoom.id, 'out_of_service', asBefore.foreign, [{ outcome: 'denied', error_code: 'NOT_FOUND' }]],
        ['permission', pos, known.id, 'out_of_service', asBefore.permission, [{ outcome: 'denied', error_code: 'FORBIDDEN' }]],
        ['forbidden move', hk, known.id, 'inspected', { ok: false, error: { code: 'FORBIDDEN', message: `Room ${known.number} is dirty; it has to be cleaned before it can be marked inspected (or a supervisor inspects it)` } }, [{ outcome: 'failed', error_code: 'FORBIDDEN' }]],
        ['no change', desk, known.id, 'dirty', { ok: true, result: { roomId: known.id, status: 'dirty', previousStatus: 'dirty' } }, [{ outcome: 'ok', error_code: null }]],
      ];
      for (const [what, conn, roomId, status, expected, audit] of cases) {
        const id = randomUUID();
        const { result: ack, statements } = await statementsDuring(() => setStatus(conn, roomId, status, id));
        expect(ack, what).toEqual(expected);
        expect(statements[0], what).toMatch(ONE_STATEMENT);
        expect((await rowsFor(id))[0], what).toBe(0);
        expect(await sql(server, 'select outcome, error_code from audit_outbox where command_id = ?', [id]), what).toEqual(audit);
      }
      expect([await statusOf(harborRoom.id), await statusOf(known.id)]).toEqual(['dirty', 'dirty']);
      expect(await sql<{ n: number }>(server, 'select count(*)::int as n from event_log')).toEqual(before);
    } finally {
      harbor.close();
      pos.close();
    }
  });

  it('answers a deactivated user UNAUTHORIZED and drops the socket, also on a room the node knows', async () => {
    const manager = await loginAndConnect(server.url, 'manager@innboard.demo');
    const room = h.room('207')!;
    try {
      ok(await setStatus(manager, room.id, 'dirty'));
      await sql(server, "update app_user set active = false where email = 'manager@innboard.demo'");
      const dropped = new Promise((resolve) => manager.socket.once('disconnect', resolve));
      const id = randomUUID();
      const { result: ack, statements } = await statementsDuring(() => setStatus(manager, room.id, 'out_of_service', id));
      expect(ack).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Your account is no longer active' } });
      expect(statements[0]).toMatch(ONE_STATEMENT);
      await dropped;
      expect(await statusOf(room.id)).toBe('dirty');
      expect((await rowsFor(id))[0]).toBe(0);
    } finally {
      await sql(server, "update app_user set active = true where email = 'manager@innboard.demo'");
      manager.close();
    }
  });

  it('sends at most WRITES_PER_PROPERTY (3) single statements of a property to PostgreSQL at once; the rest wait their turn', async () => {
    const pool = (await server.app.orm.em.getConnection().getNativeClient()) as pg.Pool;
    const query = pool.query.bind(pool) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
    let inFlight = 0;
    let most = 0;
    const spy = vi.spyOn(pool, 'query').mockImplementation(((config: pg.QueryConfig) => {
      if (!ONE_STATEMENT.test(config.text)) return query(config);
      most = Math.max(most, ++inFlight);
      return query(config).finally(() => inFlight--);
    }) as never);
    try {
      const rooms = ['101', '102', '103', '104'].map((n) => h.room(n)!);
      const statuses: RoomStatus[] = ['dirty', 'clean'];
      const acks = await Promise.all(Array.from({ length: 16 }, (_, i) => setStatus(i % 2 ? hk : desk, rooms[i % 4]!.id, statuses[Math.floor(i / 4) % 2]!)));
      acks.forEach((a) => ok(a));
    } finally {
      spy.mockRestore();
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(3);
  });

  it('keeps concurrent changes of one room gapless, each with the status it really left', async () => {
    const room = h.room('205')!;
    ok(await setStatus(desk, room.id, 'out_of_service'));
    const start = ((await desk.sync(desk.propertyId, 0)) as { seq: number }).seq;
    const statuses: RoomStatus[] = ['dirty', 'out_of_service', 'clean'];
    const acks = await Promise.all(Array.from({ length: 24 }, (_, i) => setStatus(i % 2 ? hk : desk, room.id, statuses[i % 3]!)));
    const results = acks.map((a) => ok(a));
    const changes = acks.filter((a): a is Ack<StatusResult> & { seq: number } => 'seq' in a).sort((a, b) => a.seq - b.seq);
    expect(changes.map((a) => a.seq)).toEqual(changes.map((_, i) => start + 1 + i));
    // A command that found the room already in its status changed nothing and numbered nothing.
    expect(results.filter((r) => r.previousStatus === r.status)).toHaveLength(acks.length - changes.length);
    changes.forEach((a, i) => {
      const { status, previousStatus } = ok(a);
      expect(previousStatus).toBe(i === 0 ? 'out_of_service' : ok(changes[i - 1]!).status);
      expect(status).not.toBe(previousStatus);
    });
    expect(await statusOf(room.id)).toBe(ok(changes[changes.length - 1]!).status);
    const logged = await sql<{ seq: string; payload: StatusResult }>(server, 'select seq, payload from event_log where property_id = ? and seq > ? order by seq', [desk.propertyId, start]);
    expect(logged.map((e) => [Number(e.seq), e.payload])).toEqual(changes.map((a) => [a.seq, ok(a)]));
    await expect.poll(() => board.events.filter((e) => e.seq > start).length).toBe(changes.length);
    expect(board.events.filter((e) => e.seq > start).map((e) => e.seq)).toEqual(changes.map((a) => a.seq));
  });
});
