// A night audit whose server process is killed (SIGKILL) half-way through the postings, then run again
// by another node: the lock died with the process, and no night is posted twice. Real processes, real
// Postgres; the test holds one folio's row lock so the kill lands between two batches for certain.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EventPayloadOf, nightAuditProgress } from '@innboard/shared';
import { createTestDatabase } from '../../testing/databases.ts';
import { spawnNode, waitFor, type NodeProcess } from '../../testing/cluster.ts';
import { loginAndConnect } from '../../testing/factory.ts';
import { addDays } from '../property/hotel-date.ts';
import { hotelOf, ok, type Conn } from '../reservations/testing.ts';
import { businessDateOf, checkedInStay, moveHotelBack, ofRun, roomLines, startAudit, type Query } from './testing.ts';


describe('night audit killed half-way', () => {
  let databaseUrl: string;
  let db: pg.Client;
  const nodes: NodeProcess[] = [];
  const conns: Conn[] = [];
  // The nodes are other processes: this test reads their database through a client of its own.
  const q: Query = async (query, params = []) => {
    let i = 0;
    return (await db.query(query.replace(/\?/g, () => `$${++i}`), params)).rows;
  };

  const node = async (name: string) => {
    const n = await spawnNode({ name, databaseUrl, transport: 'node', env: { NIGHT_AUDIT_BATCH_SIZE: '2' } });
    nodes.push(n);
    return n;
  };
  const connect = async (n: NodeProcess, email: string) => {
    const c = await loginAndConnect(n.url, email);
    conns.push(c);
    return c;
  };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    for (const c of conns) c.close();
    for (const n of nodes) if (n.pid) n.kill();
    await db?.end();
  });

  it('resumes on another node after a SIGKILL between batches, posting every night exactly once', { timeout: 90_000 }, async () => {
    const first = await node('audit-1');
    const manager = await connect(first, 'manager@innboard.demo');
    const desk = await connect(first, 'frontdesk@innboard.demo');
    const h = await hotelOf(manager);
    const date = await moveHotelBack(q, manager, h, 3, 12_000);
    const rooms = h.snapshot.rooms.filter((r) => r.roomTypeId === h.type('STD').id).map((r) => r.number);
    const stays: string[] = [];
    for (const [i, name] of ['Kai', 'Kim', 'Kit', 'Kya', 'Kurt'].entries()) {
      stays.push(await checkedInStay(desk, h, { type: 'STD', room: rooms[i]!, arrival: date, departure: addDays(date, 2), name }));
    }
    stays.sort();
    // The guest folio of the third stay (in the second batch), locked by this test: that batch waits on it.
    ok(await desk.command('folio.get', { reservationId: stays[2] }));
    await db.query('begin');
    await db.query('select id from folio where reservation_id = $1 for update', [stays[2]]);

    const { runId } = await startAudit(manager);
    const firstBatch = await manager.waitForEvent((e) => ofRun(runId, 'nightAudit.progress')(e) && (e.payload as EventPayloadOf<typeof nightAuditProgress>).step === 'room_charges', 20_000);
    expect(firstBatch.payload).toMatchObject({ done: 2, total: 5 });
    // The second batch is blocked in Postgres (waiting for our lock) when the node dies.
    await waitFor('the second batch to wait on the folio lock', async () =>
      (await q<{ n: number }>(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`))[0]!.n > 0);
    first.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    await db.query('rollback');
    // The audit lock died with the node's session: Postgres holds no advisory lock any more.
    await waitFor('the dead node\'s audit lock to go', async () => (await q<{ n: number }>(`select count(*)::int as n from pg_locks where locktype = 'advisory'`))[0]!.n === 0);

    const half = await roomLines(q, stays, date);
    expect(stays.map((id) => half.get(id)!.n)).toEqual([1, 1, 0, 0, 0]);
    expect(await businessDateOf(q, manager.propertyId)).toBe(date);

    // Another node: the dead node's session (and lock) is gone, so it starts at once and resumes the run.
    const second = await node('audit-2');
    const manager2 = await connect(second, 'manager@innboard.demo');
    const again = await startAudit(manager2);
    expect(again).toEqual({ runId, businessDate: date });
    const done = await manager2.waitForEvent(ofRun(runId, 'nightAudit.completed'), 20_000);
    expect(done.payload).toMatchObject({ businessDate: date, nextBusinessDate: addDays(date, 1), statistics: { roomsSold: 5, roomRevenue: 5 * 12_000 } });
    const progress = manager2.events.filter(ofRun(runId, 'nightAudit.progress')).map((e) => e.payload as EventPayloadOf<typeof nightAuditProgress>);
    expect(progress.filter((p) => p.step === 'room_charges').map((p) => p.done)).toEqual([4, 5]);
    const all = await roomLines(q, stays, date);
    expect(stays.map((id) => all.get(id))).toEqual(stays.map(() => ({ n: 1, total: 12_000 })));
    expect((await db.query('select attempts, status from night_audit_run where id = $1', [runId])).rows).toEqual([{ attempts: 2, status: 'completed' }]);
    expect(await businessDateOf(q, manager.propertyId)).toBe(addDays(date, 1));
  });
});
