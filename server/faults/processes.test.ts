// Process faults with figures: 2 real nodes, Redis, our own PostgreSQL, writers and boards on real
// sockets (process-scenario.ts). After each fault: no acknowledged command lost or doubled, every board
// converged by sync, nothing hung past the client's timeout, the audit trail complete and once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, startRedis, waitFor, type RedisServer } from '../src/testing/cluster.ts';
import { record } from './figures.ts';
import { ORPHAN_GRACE_MS, startPostgresServer, type PostgresServer } from './postgres-server.ts';
import { startFaultCluster, type FaultCluster, type FaultContext, type ScenarioFigures } from './process-scenario.ts';

/** How long the audit sink stays unreachable. CI keeps it short; set minutes for a soak (docs/reliability.md). */
const SINK_OUTAGE_MS = Number(process.env.FAULTS_SINK_OUTAGE_MS ?? 5000);
const PAUSE_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** From `since` to the first ok ack of a command the fault had refused or cut off (any command when `why` is omitted). */
function firstAckAfter(ctx: FaultContext, since: number, why: (retries: string[]) => boolean = () => true): number | null {
  const times = ctx.sent().filter((c) => c.ackedAt && c.ackedAt >= since && why(c.retries)).map((c) => c.ackedAt!);
  return times.length ? Math.min(...times) - since : null;
}
const answered = (ctx: FaultContext, code: string) => ctx.sent().filter((c) => c.retries.includes(code)).length;
const nodeStates = async (ctx: FaultContext, dep: 'redis' | 'auditSink') =>
  Promise.all([...ctx.live].map(async (n) => (await health(n.url)).dependencies[dep]!.state));

function expectClean(f: ScenarioFigures) {
  expect({ lost: f.lost, duplicated: f.duplicated, hung: f.hung, failed: f.failed, seqGaps: f.seqGaps, rowsUnacked: f.rowsUnacked, boards: f.boardsConverged })
    .toEqual({ lost: 0, duplicated: 0, hung: 0, failed: {}, seqGaps: 0, rowsUnacked: 0, boards: `${f.boardsTotal}/${f.boardsTotal}` });
  expect(f.acked).toBeGreaterThanOrEqual(120);
  expect(Object.keys(f.ackedByType).sort()).toEqual([
    'folio.postCharge', 'pos.order.addLine', 'reservation.create', 'room.setStatus', 'task.create', 'task.skip', 'task.start', 'ticket.create',
  ]);
  expect(f.recoverMs).not.toBeNull();
}

describe('process faults under continuous traffic', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let cluster: FaultCluster;
  const run = async (name: string, fault: (ctx: FaultContext) => Promise<{ recoverMs: number | null; notes?: string }>) => {
    const f = await cluster.run(name, fault);
    const { hung: _h, failed: _f, seqGaps: _s, rowsUnacked: _r, ackedByType: _a, auditMissing: _m, auditDuplicated: _d, boardsTotal: _t, boardsOk: _o, ...row } = f;
    record(row);
    return f;
  };

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgresServer(), startRedis()]);
    cluster = await startFaultCluster(postgres, redis);
  }, 240_000);
  afterAll(async () => {
    await cluster?.stop();
    await redis?.stop();
    await postgres?.stop();
  });

  it('the audit sink unreachable, then back: commands go on, the trail is complete and once', async () => {
    let during = 0;
    const f = await run(`audit sink (Postgres) unreachable ${SINK_OUTAGE_MS / 1000} s`, async (ctx) => {
      // The Postgres sink's table taken away: every write fails as against an unreachable sink.
      await ctx.db.query('alter table audit_log rename to audit_log_unreachable');
      await waitFor('the relay to see the sink down', async () => (await nodeStates(ctx, 'auditSink')).includes('down'));
      const before = ctx.sent().filter((c) => c.ackedAt).length;
      await sleep(SINK_OUTAGE_MS);
      during = ctx.sent().filter((c) => c.ackedAt).length - before;
      await ctx.db.query('alter table audit_log_unreachable rename to audit_log');
      const { rows } = await ctx.db.query<{ now: Date }>('select now()');
      const back = Date.now();
      await waitFor('the outbox written before the sink came back to ship', async () =>
        (await ctx.db.query<{ n: number }>('select count(*)::int as n from audit_outbox where shipped_at is null and at <= $1', [rows[0]!.now])).rows[0]!.n === 0, Math.max(60_000, SINK_OUTAGE_MS), 100);
      return { recoverMs: Date.now() - back, notes: `${during} commands committed while the sink was down; recover = outbox backlog shipped` };
    });
    expectClean(f);
    expect(during).toBeGreaterThan(0);
  }, SINK_OUTAGE_MS + 120_000);

  it('Redis restart: commands go on, fan-out resumes, boards close the gap by sync', async () => {
    const f = await run('Redis restart', async (ctx) => {
      await ctx.redis.kill();
      await waitFor('the nodes to see Redis down', async () => (await nodeStates(ctx, 'redis')).includes('down'));
      await ctx.moreAcks(40); // Redis is never the truth: commands keep committing
      await ctx.redis.start();
      const back = Date.now();
      await waitFor('both nodes to report Redis up', async () => (await nodeStates(ctx, 'redis')).every((s) => s === 'up'), 30_000, 50);
      return { recoverMs: Date.now() - back, notes: 'recover = both nodes report Redis up' };
    });
    expectClean(f);
  });

  it(`PostgreSQL paused (SIGSTOP) for ${PAUSE_MS / 1000} s`, async () => {
    const f = await run(`PostgreSQL SIGSTOP ${PAUSE_MS / 1000} s`, async (ctx) => {
      await ctx.postgres.pause(PAUSE_MS);
      const back = Date.now();
      await ctx.moreAcks(20);
      return { recoverMs: firstAckAfter(ctx, back), notes: `${answered(ctx, 'UNAVAILABLE')} commands answered UNAVAILABLE at least once (command deadline 4 s)` };
    });
    expectClean(f);
    expect(f.unavailable).toBeGreaterThan(0);
  });

  it('PostgreSQL restart under load', async () => {
    const f = await run('PostgreSQL restart', async (ctx) => {
      const at = Date.now();
      await ctx.postgres.restart();
      const back = Date.now();
      await ctx.moreAcks(20);
      return { recoverMs: firstAckAfter(ctx, back), notes: `down ${((back - at) / 1000).toFixed(1)} s; ${answered(ctx, 'UNAVAILABLE')} commands answered UNAVAILABLE at least once` };
    });
    expectClean(f);
    expect(f.unavailable).toBeGreaterThan(0);
  });

  it('PostgreSQL crash (SIGKILL of the postmaster) under load: crash recovery, nothing acknowledged lost', async () => {
    const f = await run('PostgreSQL crash (kill -9)', async (ctx) => {
      const crash = await ctx.postgres.crash();
      const back = Date.now();
      await ctx.moreAcks(20);
      return {
        recoverMs: firstAckAfter(ctx, back),
        notes: `down ${(crash.downMs / 1000).toFixed(1)} s incl. crash recovery; ${crash.orphans} orphaned processes: ${crash.exitedAlone} exited on their own, ${crash.killed} killed after ${ORPHAN_GRACE_MS / 1000} s; ${answered(ctx, 'UNAVAILABLE')} commands answered UNAVAILABLE at least once`,
      };
    });
    expectClean(f);
    expect(f.unavailable).toBeGreaterThan(0);
  });

  it('SIGTERM of a node: in-flight answered, new ones UNAVAILABLE, clients move to the other node', async () => {
    let code: number | null = -1;
    const f = await run('SIGTERM a node', async (ctx) => {
      ctx.live.delete(ctx.a);
      const at = Date.now();
      ctx.a.kill('SIGTERM');
      code = await ctx.a.exited;
      await ctx.moreAcks(40);
      return { recoverMs: firstAckAfter(ctx, at, (r) => r.includes('disconnected') || r.includes('UNAVAILABLE')), notes: `exit code ${code}` };
    });
    expectClean(f);
    expect(code).toBe(0);
  });

  it('kill -9 of a node: clients move to the other node and resend', async () => {
    const f = await run('kill -9 a node', async (ctx) => {
      ctx.live.delete(ctx.a);
      const at = Date.now();
      ctx.a.kill('SIGKILL');
      await ctx.a.exited;
      await ctx.moreAcks(40);
      return { recoverMs: firstAckAfter(ctx, at, (r) => r.includes('disconnected')) };
    });
    expectClean(f);
  });
});
