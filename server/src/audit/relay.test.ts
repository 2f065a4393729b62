// The relay against a sink that fails for a while: the outbox grows and health/metrics show it;
// when the sink is back it drains completely, and a batch shipped twice is stored once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm } from '../db/orm.ts';
import { createLogger } from '../logger.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { waitFor } from '../testing/cluster.ts';
import { writeAudit } from './outbox.ts';
import { copyOutboxBatch, createPostgresAuditSink } from './postgres-sink.ts';
import { backoffMs, startAuditRelay, type AuditRelay } from './relay.ts';
import type { AuditRecord, AuditSink } from './sink.ts';

/** Wraps a sink: `down` fails every write; `loseAcks` stores the batch, then fails (the relay re-ships it). */
function flaky(inner: AuditSink) {
  const state = { down: false, loseAcks: 0, attempts: 0, shippedIds: [] as string[] };
  const sink: AuditSink = {
    ...inner,
    async write(records: AuditRecord[]) {
      state.attempts++;
      if (state.down) throw new Error('sink unreachable (test)');
      await inner.write(records);
      state.shippedIds.push(...records.map((r) => r.id));
      if (state.loseAcks > 0) {
        state.loseAcks--;
        throw new Error('connection reset after write (test)');
      }
    },
    async ping() {
      if (state.down) throw new Error('sink unreachable (test)');
      return inner.ping();
    },
  };
  return { sink, state };
}

describe('audit relay with a sink that fails for a while', () => {
  let server: TestServer;
  let ctl: ReturnType<typeof flaky>['state'];
  const q = <T>(sql: string, params: unknown[] = []) => server.app.orm.em.fork().execute<T[]>(sql, params);
  const healthOf = async () => ((await (await fetch(`${server.url}/health`)).json()) as { dependencies: { auditSink: Record<string, unknown> } }).dependencies.auditSink;
  const gauge = async (name: string) => Number((await (await fetch(`${server.url}/metrics`)).text()).match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);

  beforeAll(async () => {
    server = await startTestServer({
      env: { AUDIT_RELAY_INTERVAL_MS: '50', AUDIT_BACKOFF_INITIAL_MS: '50', AUDIT_BACKOFF_MAX_MS: '400', AUDIT_BATCH_SIZE: '7' },
      appOptions: {
        wrapAuditSink: (inner) => {
          const f = flaky(inner);
          ctl = f.state;
          return f.sink;
        },
      },
    });
  });
  afterAll(() => server?.stop());

  it('grows the outbox while the sink is down, reports it, then drains with no duplicates', async () => {
    await waitFor('the relay to lead', async () => (await healthOf()).relay === 'leader');
    ctl.down = true;
    const desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const rooms = ((await desk.sync(desk.propertyId)) as { snapshot: { rooms: Array<{ id: string }> } }).snapshot.rooms;
    for (const r of rooms.slice(0, 20)) expect((await desk.command('room.setStatus', { roomId: r.id, status: 'dirty' })).ok).toBe(true);

    const down = await waitFor('health to report the sink down', async () => {
      const h = await healthOf();
      return h.state === 'down' && (h.backlog as number) >= 20 ? h : undefined;
    });
    expect(down).toMatchObject({ kind: 'postgres', relay: 'leader', oldestSeconds: expect.any(Number) });
    expect(await gauge('innboard_audit_backlog')).toBeGreaterThanOrEqual(20);
    expect(await gauge('innboard_audit_oldest_seconds')).toBeGreaterThan(0);
    const failedAttempts = ctl.attempts;
    await waitFor('the relay to keep retrying', async () => ctl.attempts > failedAttempts);

    // Back, but the first two batches are stored and then "lost" on the way back: they are re-shipped.
    ctl.loseAcks = 2;
    ctl.down = false;
    await waitFor('the outbox to drain', async () => (await healthOf()).backlog === 0, 30_000);
    const [counts] = await q<{ outbox: number; log: number; distinct_log: number }>(
      'select (select count(*) from audit_outbox)::int as outbox, (select count(*) from audit_log)::int as log, (select count(distinct id) from audit_log)::int as distinct_log',
    );
    expect(counts!.log).toBe(counts!.outbox);
    expect(counts!.distinct_log).toBe(counts!.log);
    expect(ctl.shippedIds.length).toBeGreaterThan(new Set(ctl.shippedIds).size); // something really was shipped twice
    const missing = await q('select id from audit_outbox where id not in (select id from audit_log)');
    expect(missing).toEqual([]);
    expect(await healthOf()).toMatchObject({ state: 'up', backlog: 0, oldestSeconds: 0 });
    expect(await gauge('innboard_audit_backlog')).toBe(0);
    desk.close();
  });
});

describe('one active relay across nodes', () => {
  it('only the advisory-lock holder ships; when it stops, another takes over and finishes', async () => {
    const url = await createTestDatabase(inject('pgAdminUrl'));
    const orm = await openOrm(url, { pool: { min: 0, max: 4 } });
    const logger = createLogger('silent');
    const writes: Array<Array<string>> = [[], []];
    const counting = (i: number): AuditSink => {
      const inner = createPostgresAuditSink(orm);
      return { ...inner, write: async (records) => { writes[i]!.push(...records.map((r) => r.id)); await inner.write(records); } };
    };
    const opts = { databaseUrl: url, logger, intervalMs: 30, batchSize: 5, backoffInitialMs: 30, backoffMaxMs: 100, retentionDays: 7 };
    const relays: AuditRelay[] = [startAuditRelay({ ...opts, sink: counting(0) }), startAuditRelay({ ...opts, sink: counting(1) })];
    const insert = (n: number) => Promise.all(Array.from({ length: n }, () => writeAudit(orm.em.fork(), {
      at: new Date(), actorId: null, actorRole: null, propertyId: randomUUID(), commandType: 'test.thing', commandId: randomUUID(), changes: [], outcome: 'ok',
    })));
    try {
      await waitFor('one relay to lead', async () => relays.some((r) => r.status().role === 'leader'));
      await insert(30);
      await waitFor('the first 30 to ship', async () => writes[0]!.length + writes[1]!.length >= 30);
      const leader = relays.findIndex((r) => r.status().role === 'leader');
      expect(relays.map((r) => r.status().role).sort()).toEqual(['leader', 'standby']);
      expect(writes[1 - leader]).toEqual([]);

      await relays[leader]!.stop();
      await insert(30);
      await waitFor('the standby to take over and ship the rest', async () => writes[0]!.length + writes[1]!.length >= 60);
      expect(relays[1 - leader]!.status().role).toBe('leader');
      const all = [...writes[0]!, ...writes[1]!];
      expect(new Set(all).size).toBe(60);
      expect(all.length).toBe(60);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await orm.close(true);
    }
  });
});

describe('shipping inside the database (the Postgres sink)', () => {
  const unshipped = async (orm: Awaited<ReturnType<typeof openOrm>>) =>
    (await orm.em.fork().execute<Array<{ n: number }>>('select count(*)::int as n from audit_outbox where shipped_at is null'))[0]!.n;

  it('copies every outbox row to audit_log once, in batches of the configured size, a row already there included, and marks them shipped', async () => {
    const url = await createTestDatabase(inject('pgAdminUrl'));
    const orm = await openOrm(url, { pool: { min: 0, max: 4 } });
    const q = <T>(sql: string) => orm.em.fork().execute<T[]>(sql);
    await q('delete from audit_log');
    await q('delete from audit_outbox');
    for (let i = 0; i < 10; i++) {
      await writeAudit(orm.em.fork(), {
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), actorId: null, actorRole: 'manager', propertyId: randomUUID(), commandType: 'test.thing',
        commandId: randomUUID(), changes: [{ type: 'room', id: randomUUID(), before: { status: 'clean' }, after: { status: 'dirty' } }], outcome: 'ok',
      });
    }
    // Copied before by a relay that stopped before marking it: stored once, and marked now.
    await q(`insert into audit_log select id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code, now()
               from audit_outbox order by at limit 1`);
    const batches: number[] = [];
    const relay = startAuditRelay({
      databaseUrl: url, logger: createLogger('silent'), intervalMs: 30, batchSize: 4, backoffInitialMs: 30, backoffMaxMs: 100, retentionDays: 7,
      sink: { ...createPostgresAuditSink(orm), write: () => Promise.reject(new Error('a sink in the database is not handed batches')) },
      shipInDatabase: async (client, batchSize) => {
        const shipped = await copyOutboxBatch(client, batchSize);
        if (shipped) batches.push(shipped);
        return shipped;
      },
    });
    const columns = 'id, at, actor_id, actor_role, property_id, command_type, command_id, entities, changes, outcome, error_code';
    try {
      await waitFor('the outbox to drain', async () => (await unshipped(orm)) === 0);
      expect(batches).toEqual([4, 4, 2]);
      expect(relay.status()).toMatchObject({ role: 'leader', sink: 'up', consecutiveFailures: 0 });
      expect(await q(`(select ${columns} from audit_outbox except select ${columns} from audit_log)
                      union all (select ${columns} from audit_log except select ${columns} from audit_outbox)`)).toEqual([]);
      expect(await q('select count(*)::int as n from audit_log')).toEqual([{ n: 10 }]);
      expect(await q('select attempts from audit_outbox group by attempts')).toEqual([{ attempts: 1 }]);
    } finally {
      await relay.stop();
      await orm.close(true);
    }
  });

  it('ends a tick at a short batch: rows committed while it ships wait for the next tick, and a flush ships them', async () => {
    const url = await createTestDatabase(inject('pgAdminUrl'));
    const orm = await openOrm(url, { pool: { min: 0, max: 4 } });
    const q = <T>(sql: string) => orm.em.fork().execute<T[]>(sql);
    const row = () => writeAudit(orm.em.fork(), {
      at: new Date(), actorId: null, actorRole: 'manager', propertyId: randomUUID(), commandType: 'test.thing', commandId: randomUUID(), changes: [], outcome: 'ok',
    });
    await q('delete from audit_outbox');
    for (let i = 0; i < 10; i++) await row();
    const batches: number[] = [];
    const relay = startAuditRelay({
      // Only the first tick runs on its own (the next is an hour away).
      databaseUrl: url, logger: createLogger('silent'), intervalMs: 3600_000, batchSize: 4, backoffInitialMs: 30, backoffMaxMs: 100, retentionDays: 7,
      sink: createPostgresAuditSink(orm),
      shipInDatabase: async (client, batchSize) => {
        const shipped = await copyOutboxBatch(client, batchSize);
        if (batches.length < 4) await row(); // a command commits while the relay ships (before the batch is counted)
        batches.push(shipped);
        return shipped;
      },
    });
    try {
      await waitFor('the first tick to reach its short batch', async () => batches.length >= 4);
      expect(batches.slice(0, 4)).toEqual([4, 4, 4, 1]);
      expect(await unshipped(orm)).toBe(1);
      // flush waits for the tick in progress, then drains. A tick that chased the row committed meanwhile would
      // have shipped it and found nothing (1, 0) before the flush found nothing again (0).
      expect(await relay.flush(5000)).toBe('drained');
      expect(batches).toEqual([4, 4, 4, 1, 1, 0]);
      expect(await unshipped(orm)).toBe(0);
    } finally {
      await relay.stop();
      await orm.close(true);
    }
  });
});

describe('audit relay prune', () => {
  it('deletes outbox rows shipped longer ago than the retention, and keeps the recently shipped and the unshipped', async () => {
    const url = await createTestDatabase(inject('pgAdminUrl'));
    const orm = await openOrm(url, { pool: { min: 0, max: 4 } });
    const q = <T>(sql: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(sql, params);
    await q('delete from audit_outbox');
    const ids: Record<'longAgo' | 'yesterday' | 'pending', string> = { longAgo: randomUUID(), yesterday: randomUUID(), pending: randomUUID() };
    for (const [name, commandId] of Object.entries(ids)) {
      await writeAudit(orm.em.fork(), {
        at: new Date(Date.now() - 30 * 86400_000), actorId: null, actorRole: 'manager', propertyId: randomUUID(), commandType: `test.${name}`, commandId, changes: [], outcome: 'ok',
      });
    }
    await q(`update audit_outbox set shipped_at = now() - interval '8 days' where command_id = ?`, [ids.longAgo]);
    await q(`update audit_outbox set shipped_at = now() - interval '1 day' where command_id = ?`, [ids.yesterday]);
    const relay = startAuditRelay({
      // One tick: it ships the pending row, then prunes (the first prune of a relay runs at its first tick).
      databaseUrl: url, logger: createLogger('silent'), intervalMs: 3600_000, batchSize: 10, backoffInitialMs: 30, backoffMaxMs: 100, retentionDays: 7,
      sink: createPostgresAuditSink(orm), shipInDatabase: copyOutboxBatch,
    });
    try {
      await waitFor('the row shipped 8 days ago to be pruned', async () => (await q(`select 1 from audit_outbox where command_id = ?`, [ids.longAgo])).length === 0);
      expect(await q(`select command_type, shipped_at > now() - interval '1 minute' as just_shipped from audit_outbox order by command_type`))
        .toEqual([{ command_type: 'test.pending', just_shipped: true }, { command_type: 'test.yesterday', just_shipped: false }]);
    } finally {
      await relay.stop();
      await orm.close(true);
    }
  });
});

describe('backoff', () => {
  it('doubles per failure from the initial delay, with jitter in the upper half, up to the cap', () => {
    for (let failures = 1; failures <= 12; failures++) {
      const ceiling = Math.min(60_000, 500 * 2 ** (failures - 1));
      for (let i = 0; i < 50; i++) {
        const d = backoffMs(failures, 500, 60_000);
        expect(d).toBeGreaterThanOrEqual(ceiling / 2);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});
