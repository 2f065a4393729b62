// Process faults with figures: 2 real nodes, Redis, our own PostgreSQL, writers and boards on real
// sockets (process-scenario.ts). After each fault: no acknowledged command lost or doubled, every board
// converged by sync, nothing hung past the client's timeout, the audit trail complete and once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, startRedis, waitFor, type RedisServer } from '../src/testing/cluster.ts';
import { record } from './figures.ts';
import { startPostgresServer, type PostgresServer } from './postgres-server.ts';
import { runFaultScenario, type FaultContext, type FaultResult, type ScenarioFigures } from './process-scenario.ts';

/** How long the audit sink stays unreachable. CI keeps it short; set minutes for a real soak (docs/reliability.md). */
const SINK_OUTAGE_MS = Number(process.env.FAULTS_SINK_OUTAGE_MS ?? 5000);
const PAUSE_MS = 5000;

/** The first ok ack, after `since`, of a command the fault had refused or cut off. */
function firstRecoveredAck(ctx: FaultContext, since: number, why: (retries: string[]) => boolean): number | null {
  const times = ctx.sent().filter((c) => c.ackedAt && c.ackedAt >= since && why(c.retries)).map((c) => c.ackedAt!);
  return times.length ? Math.min(...times) - since : null;
}

function expectClean(f: ScenarioFigures) {
  expect({ lost: f.lost, duplicated: f.duplicated, hung: f.hung, failed: f.failed, seqGaps: f.seqGaps, boards: f.boardsConverged })
    .toEqual({ lost: 0, duplicated: 0, hung: 0, failed: {}, seqGaps: 0, boards: `${f.boardsTotal}/${f.boardsTotal}` });
  expect(f.acked).toBeGreaterThan(100);
}

describe('process faults under continuous traffic', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  const run = async (name: string, fault: (ctx: FaultContext) => Promise<FaultResult>, env?: Record<string, string>) => {
    const f = await runFaultScenario({ postgres, redis }, { name, fault, env });
    const { hung: _h, failed: _f, seqGaps: _s, auditMissing: _m, auditDuplicated: _d, boardsTotal: _t, boardsOk: _o, ...row } = f;
    record(row);
    return f;
  };

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgresServer(), startRedis()]);
  }, 180_000);
  afterAll(async () => {
    await redis?.stop();
    await postgres?.stop();
  });

  it('kill -9 of a node', async () => {
    const f = await run('kill -9 a node', async (ctx) => {
      const at = Date.now();
      ctx.live.delete(ctx.a);
      ctx.a.kill('SIGKILL');
      await ctx.a.exited;
      await ctx.moreAcks(40);
      return { recoverMs: firstRecoveredAck(ctx, at, (r) => r.includes('disconnected')) };
    });
    expectClean(f);
  });
});
