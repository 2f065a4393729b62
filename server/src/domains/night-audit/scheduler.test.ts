// The schedule: every node polls, the audit lock lets exactly one run each day (two real server
// processes here), a hotel days behind is caught up one day per run, and "due" is read on each
// hotel's own clock.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../../testing/databases.ts';
import { spawnNode, startRedis, waitFor, type NodeProcess, type RedisServer } from '../../testing/cluster.ts';
import { loginAndConnect } from '../../testing/factory.ts';
import { openOrm, type MikroORM } from '../../db/orm.ts';
import { addDays } from '../property/hotel-date.ts';
import { hotelOf, type Conn } from '../reservations/testing.ts';
import { dueProperties } from './scheduler.ts';
import { isAuditDue, localDateTime } from './schedule.ts';

const DEMO_ZONE = 'Europe/Berlin';
// An audit time at least an hour away from the demo hotel's clock, so no audit falls due while the test runs.
const auditTime = ['02', '03'].includes(localDateTime(DEMO_ZONE, new Date()).slice(11, 13)) ? '06:00' : '03:00';

/** The business date the schedule settles on now: the first date, going forward, whose audit is not due yet. */
function settledDate(from: string): string {
  let date = from;
  while (isAuditDue(date, auditTime, DEMO_ZONE, new Date())) date = addDays(date, 1);
  return date;
}

describe('scheduled night audit on two nodes', () => {
  let db: pg.Client;
  let redis: RedisServer;
  const nodes: NodeProcess[] = [];
  let board: Conn;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    // Redis carries each node's events to the other's boards, as in production.
    redis = await startRedis();
    for (const name of ['poller-1', 'poller-2']) {
      nodes.push(await spawnNode({ name, databaseUrl, redisUrl: redis.url, transport: 'node', env: { NIGHT_AUDIT_POLL_MS: '50', NIGHT_AUDIT_TIME: auditTime } }));
    }
    board = await loginAndConnect(nodes[1]!.url, 'manager@innboard.demo');
  });
  afterAll(async () => {
    board?.close();
    for (const n of nodes) await n.stop();
    await redis?.stop();
    await db?.end();
  });

  it('catches a hotel three days behind up, each day closed once by one node as the system', { timeout: 60_000 }, async () => {
    const h = await hotelOf(board);
    // Between midnight and the audit time the calendar is a day ahead of the schedule: count from what the schedule reaches.
    const today = settledDate(addDays(h.businessDate, -7));
    await db.query('update property set business_date = $1 where id = $2', [addDays(today, -3), board.propertyId]);
    const last = await board.waitForEvent((e) => e.type === 'nightAudit.completed' && (e.payload as { businessDate: string }).businessDate === addDays(today, -1), 30_000);
    expect(last.payload).toMatchObject({ nextBusinessDate: today });

    const { rows: runs } = await db.query(`select business_date::text as date, status, attempts, started_by from night_audit_run where property_id = $1 order by business_date`, [board.propertyId]);
    expect(runs).toEqual([-3, -2, -1].map((d) => ({ date: addDays(today, d), status: 'completed', attempts: 1, started_by: null })));
    const { rows: completed } = await db.query(`select payload->>'businessDate' as date from event_log where property_id = $1 and type = 'nightAudit.completed' order by seq`, [board.propertyId]);
    expect(completed.map((r) => r.date)).toEqual([-3, -2, -1].map((d) => addDays(today, d)));
    const { rows: started } = await db.query(`select distinct actor_role from audit_outbox where command_type = 'nightAudit.start'`);
    expect(started).toEqual([{ actor_role: 'system' }]);
    expect(board.events.filter((e) => e.type === 'nightAudit.started').map((e) => (e.payload as { startedBy: unknown }).startedBy)).toEqual([null, null, null]);
    // The settled date's audit is not due yet: the hotel's date stays.
    await waitFor('business date to settle on today', async () => (await db.query('select business_date::text as d from property where id = $1', [board.propertyId])).rows[0].d === today);
  });
});

describe('which audits are due, on each hotel\'s clock', () => {
  let orm: MikroORM;
  let ids: Record<'berlin' | 'newYork' | 'auckland', string>;

  beforeAll(async () => {
    orm = await openOrm(await createTestDatabase(inject('pgAdminUrl')), { pool: { min: 0, max: 2 } });
    const em = orm.em.fork();
    await em.execute('update property set business_date = ?', ['2026-12-05'], 'run');
    const [berlin] = await em.execute<{ id: string }[]>(`select id from property where time_zone = 'Europe/Berlin'`);
    const [newYork] = await em.execute<{ id: string }[]>(`select id from property where time_zone = 'America/New_York'`);
    const auckland = randomUUID();
    await em.execute(`insert into property (id, name, time_zone, currency, business_date, created_at) values (?, 'Kiwi Lodge', 'Pacific/Auckland', 'NZD', '2026-12-05', now())`, [auckland], 'run');
    ids = { berlin: berlin!.id, newYork: newYork!.id, auckland };
  });
  afterAll(async () => {
    await orm?.close(true);
  });

  const due = async (at: string, time = '03:00') => {
    const list = await dueProperties(orm, time, new Date(at));
    return (Object.keys(ids) as Array<keyof typeof ids>).filter((k) => list.some((d) => d.propertyId === ids[k] && d.businessDate === '2026-12-05'));
  };

  it('starts each hotel at 03:00 of its own night after the business date', async () => {
    expect(await due('2026-12-05T13:59:00Z')).toEqual([]);
    expect(await due('2026-12-05T14:00:00Z')).toEqual(['auckland']);
    expect(await due('2026-12-06T02:00:00Z')).toEqual(['berlin', 'auckland']);
    expect(await due('2026-12-06T08:00:00Z')).toEqual(['berlin', 'newYork', 'auckland']);
    // An evening audit time belongs to the business day itself.
    expect(await due('2026-12-05T22:30:00Z', '23:30')).toEqual(['berlin', 'auckland']);
  });

  it('follows a hotel\'s own time and leaves out hotels set to manual', async () => {
    const em = orm.em.fork();
    await em.execute(`insert into night_audit_setting (property_id, time, automatic) values (?, '01:00', true), (?, null, false)`, [ids.newYork, ids.berlin], 'run');
    // 01:00 in New York on Dec 6 is 06:00 UTC.
    expect(await due('2026-12-06T05:59:00Z')).toEqual(['auckland']);
    expect(await due('2026-12-06T06:00:00Z')).toEqual(['newYork', 'auckland']);
  });
});
