// One process fault, end to end: two real server nodes on a fresh database (our own PostgreSQL) and a
// shared Redis, writers on both nodes sending commands continuously, boards on both nodes, then the
// fault, then the checks the issue names. Returns the figures; the test asserts on them.
import pg from 'pg';
import { createTestDatabase } from '../src/testing/databases.ts';
import { health, spawnNode, waitFor, type NodeProcess, type RedisServer } from '../src/testing/cluster.ts';
import { login } from '../src/testing/factory.ts';
import type { FaultFigures } from './figures.ts';
import type { PostgresServer } from './postgres-server.ts';
import { startBoard, startWriter, type Board, type Sent, type Writer } from './traffic.ts';

export interface FaultContext {
  a: NodeProcess;
  b: NodeProcess;
  db: pg.Client;
  redis: RedisServer;
  postgres: PostgresServer;
  /** Nodes the clients may connect to (a killed or stopping node is taken out, as a load balancer would). */
  live: Set<NodeProcess>;
  /** Every command the writers sent so far. */
  sent(): Sent[];
  /** Resolves once the writers got `n` more ok acks than when called. */
  moreAcks(n: number, timeoutMs?: number): Promise<void>;
}

export interface FaultResult {
  recoverMs: number | null;
  notes?: string;
}

export interface ScenarioOptions {
  name: string;
  /** Extra environment for both nodes. */
  env?: Record<string, string>;
  fault(ctx: FaultContext): Promise<FaultResult>;
}

export interface ScenarioFigures extends FaultFigures {
  /** Commands still unanswered past the client's timeout on a connected socket (must be 0). */
  hung: number;
  /** Final answers other than ok (e.g. INTERNAL) and commands abandoned at the end (must be 0). */
  failed: Record<string, number>;
  /** Seq numbers missing from the property's event log (must be 0). */
  seqGaps: number;
  /** Committed commands (ok in command_result) whose audit row is missing from the sink or there twice (must be 0). */
  auditMissing: number;
  auditDuplicated: number;
  boardsTotal: number;
  boardsOk: number;
}

const WRITERS = [
  { email: 'frontdesk@innboard.demo', node: 'a', rooms: 2 },
  { email: 'housekeeping@innboard.demo', node: 'b', rooms: 2 },
  { email: 'frontdesk@innboard.demo', node: 'b', rooms: 2 },
  { email: 'housekeeping@innboard.demo', node: 'a', rooms: 2 },
] as const;
const BOARDS = [
  { email: 'supervisor@innboard.demo', node: 'a' },
  { email: 'manager@innboard.demo', node: 'b' },
] as const;

export async function runFaultScenario(infra: { postgres: PostgresServer; redis: RedisServer }, opts: ScenarioOptions): Promise<ScenarioFigures> {
  const databaseUrl = await createTestDatabase(infra.postgres.adminUrl);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const nodeEnv = { SHUTDOWN_TIMEOUT_MS: '8000', AUDIT_BACKOFF_MAX_MS: '2000', ...opts.env };
  const [a, b] = await Promise.all(['A', 'B'].map((name) => spawnNode({ name, databaseUrl, redisUrl: infra.redis.url, transport: 'uws', env: nodeEnv })));
  const live = new Set([a!, b!]);
  const urlsFor = (first: NodeProcess) => () => [first, ...[...live].filter((n) => n !== first)].filter((n) => live.has(n)).map((n) => n.url);
  const pick = (node: 'a' | 'b') => (node === 'a' ? a! : b!);
  const writers: Writer[] = [];
  const boards: Board[] = [];
  try {
    const sessions = new Map<string, Awaited<ReturnType<typeof login>>>();
    for (const email of new Set([...WRITERS, ...BOARDS].map((w) => w.email))) sessions.set(email, await login(a!.url, email));
    const propertyId = sessions.get('frontdesk@innboard.demo')!.user.memberships[0]!.propertyId;
    const { rows: rooms } = await db.query<{ id: string }>('select id from room where property_id = $1 and deleted_at is null order by number limit $2', [propertyId, WRITERS.reduce((n, w) => n + w.rooms, 0)]);
    let next = 0;
    for (const w of WRITERS) {
      const mine = rooms.slice(next, (next += w.rooms)).map((r) => r.id);
      writers.push(await startWriter(urlsFor(pick(w.node)), sessions.get(w.email)!.accessToken, mine));
    }
    for (const bd of BOARDS) boards.push(await startBoard(urlsFor(pick(bd.node)), sessions.get(bd.email)!.accessToken, propertyId));

    const sent = () => writers.flatMap((w) => w.sent);
    const acks = () => sent().filter((c) => c.ackedAt).length;
    const moreAcks = async (n: number, timeoutMs = 30_000) => {
      const target = acks() + n;
      await waitFor(`${n} more acks`, async () => acks() >= target, timeoutMs, 50);
    };
    await moreAcks(60); // traffic is flowing through both nodes before anything breaks
    const result = await opts.fault({ a: a!, b: b!, db, redis: infra.redis, postgres: infra.postgres, live, sent, moreAcks });
    await moreAcks(60); // and flows again afterwards
    await Promise.all(writers.map((w) => w.stop()));

    // The audit relay (on whichever node leads it) ships everything that committed.
    const survivor = [...live][0]!;
    await waitFor('the audit outbox to drain', async () => (await health(survivor.url)).dependencies.auditSink!.backlog === 0, 60_000, 200);
    for (const board of boards) await board.catchUp();
    return await measure(opts.name, db, propertyId, writers, boards, result);
  } finally {
    for (const board of boards) board.close();
    for (const n of [a!, b!]) n.kill('SIGKILL');
    await db.end();
  }
}

async function measure(scenario: string, db: pg.Client, propertyId: string, writers: Writer[], boards: Board[], result: FaultResult): Promise<ScenarioFigures> {
  const sent = writers.flatMap((w) => w.sent);
  const acked = sent.filter((c) => c.ackedAt);
  const ids = sent.map((c) => c.id);
  // Lost: an ok ack whose event is not in the log with the seq the ack announced.
  const { rows: logged } = await db.query<{ command_id: string; seq: string; type: string }>('select command_id, seq, type from event_log where command_id = any($1::uuid[])', [ids]);
  const seqsOf = new Map<string, Set<number>>();
  for (const r of logged) seqsOf.set(r.command_id, (seqsOf.get(r.command_id) ?? new Set()).add(Number(r.seq)));
  const lost = acked.filter((c) => !seqsOf.get(c.id)?.has(c.seq!)).length;
  // Duplicated: a command whose effect is in the log twice (same event type twice for one command id).
  const perType = new Map<string, number>();
  for (const r of logged) perType.set(`${r.command_id}|${r.type}`, (perType.get(`${r.command_id}|${r.type}`) ?? 0) + 1);
  const duplicated = [...perType.values()].filter((n) => n > 1).length;
  const { rows: seqs } = await db.query<{ n: number; max: number }>('select count(*)::int as n, coalesce(max(seq), 0)::int as max from event_log where property_id = $1', [propertyId]);
  const seqGaps = seqs[0]!.max - seqs[0]!.n;

  // Audit: every committed command exactly once in the sink (audit_log), nothing left in the outbox.
  const { rows: audit } = await db.query<{ id: string; committed: boolean; n: number }>(
    `select c.id, (c.ack->>'ok')::boolean as committed, (select count(*)::int from audit_log l where l.command_id = c.id and l.outcome = 'ok') as n
       from command_result c where c.id = any($1::uuid[])`, [ids]);
  const committed = audit.filter((r) => r.committed);
  const auditMissing = committed.filter((r) => r.n === 0).length;
  const auditDuplicated = audit.filter((r) => r.n > 1).length;

  // Boards: after their catch-up sync, each one's read model equals the server's.
  const { rows: truth } = await db.query<{ id: string; status: string }>('select id, status from room where property_id = $1 and deleted_at is null', [propertyId]);
  const boardsOk = boards.filter((bd) => bd.seq() === seqs[0]!.max && truth.every((r) => bd.statuses.get(r.id) === r.status)).length;

  const failed: Record<string, number> = {};
  for (const c of sent) if (c.failed) failed[c.failed] = (failed[c.failed] ?? 0) + 1;
  const unavailable = sent.reduce((n, c) => n + c.retries.filter((r) => r === 'UNAVAILABLE').length, 0);
  const cutOff = sent.filter((c) => c.retries.includes('disconnected')).length;
  const hung = writers.reduce((n, w) => n + w.hung, 0);
  const notes = [
    result.notes,
    cutOff ? `${cutOff} cut off by a lost connection, resent with the same id` : '',
    Object.keys(failed).length ? `failed: ${JSON.stringify(failed)}` : '',
    hung ? `${hung} hung past the client timeout` : '',
    seqGaps ? `${seqGaps} seq gaps` : '',
    auditMissing || auditDuplicated ? `audit missing ${auditMissing}, twice ${auditDuplicated}` : `audit ${committed.length}/${committed.length} once`,
  ].filter(Boolean).join('; ');
  return {
    table: 'faults', scenario, sent: sent.length, acked: acked.length, lost: lost + auditMissing, duplicated: duplicated + auditDuplicated, unavailable,
    recoverMs: result.recoverMs, boardsConverged: `${boardsOk}/${boards.length}`, notes,
    hung, failed, seqGaps, auditMissing, auditDuplicated, boardsTotal: boards.length, boardsOk,
  };
}
