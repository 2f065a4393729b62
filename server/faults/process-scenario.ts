// One process fault, end to end: two real server nodes on a fresh database (our own PostgreSQL) and a
// shared Redis, writers on both nodes sending commands continuously, boards on both nodes, then the
// fault, then the checks the issue names. Returns the figures; the test asserts on them.
import pg from 'pg';
import { addDays } from '../src/domains/property/hotel-date.ts';
import { createTestDatabase } from '../src/testing/databases.ts';
import { health, spawnNode, waitFor, type NodeProcess, type RedisServer } from '../src/testing/cluster.ts';
import { login } from '../src/testing/factory.ts';
import { bookingLane, chargeLane, checkInGuest, domainRows, freeNights, openBar, posLineLane, roomLane, taskLane, ticketLane, type Lane } from './command-mix.ts';
import type { FaultFigures } from './figures.ts';
import type { PostgresServer } from './postgres-server.ts';
import { startBoard, startWriter, type Board, type Sent, type Writer } from './traffic.ts';

export interface FaultContext {
  /** The two nodes as they are when the fault starts (a killed one is replaced before the next scenario). */
  a: NodeProcess;
  b: NodeProcess;
  db: pg.Pool;
  redis: RedisServer;
  postgres: PostgresServer;
  /** Nodes the clients may connect to: take a killed or stopping node out, as a load balancer would. */
  live: Set<NodeProcess>;
  /** Every command this scenario's writers sent so far. */
  sent(): Sent[];
  /** Resolves once the writers got `n` more ok acks than when called. */
  moreAcks(n: number, timeoutMs?: number): Promise<void>;
}

export interface FaultResult {
  recoverMs: number | null;
  notes?: string;
}

export interface ScenarioFigures extends FaultFigures {
  /** Commands still unanswered past the client's timeout on a connected socket (must be 0). */
  hung: number;
  /** Final answers other than ok (e.g. INTERNAL) and commands abandoned at the end (must be 0). */
  failed: Record<string, number>;
  /** Seq numbers missing from the property's event log (must be 0). */
  seqGaps: number;
  /** Ok acks per command type (every type of the mix must have some). */
  ackedByType: Record<string, number>;
  /** Commands without an ok ack whose rows are in the database anyway (must be 0: their final answer said otherwise). */
  rowsUnacked: number;
  /** Committed commands (ok in command_result) whose audit row is missing from the sink or there twice (must be 0). */
  auditMissing: number;
  auditDuplicated: number;
  boardsTotal: number;
  boardsOk: number;
}

/**
 * Each writer: rooms to toggle, and the commands of its role beside them (command-mix.ts). Housekeeping is an
 * attendant and the supervisor, who alone may create tasks (task.manage); the task lane works a room of its own.
 */
const WRITERS = [
  { email: 'frontdesk@innboard.demo', node: 'a', rooms: 2, also: ['charge', 'booking'] },
  { email: 'housekeeping@innboard.demo', node: 'b', rooms: 2, also: ['ticket'] },
  { email: 'frontdesk@innboard.demo', node: 'b', rooms: 2, also: ['charge', 'booking'] },
  { email: 'supervisor@innboard.demo', node: 'a', rooms: 2, also: ['ticket', 'task'] },
  { email: 'pos@innboard.demo', node: 'b', rooms: 0, also: ['posLine'] },
] as const;
const BOARDS = [
  { email: 'supervisor@innboard.demo', node: 'a' },
  { email: 'manager@innboard.demo', node: 'b' },
] as const;

const t0 = Date.now();
/** FAULTS_DEBUG=1 prints each phase with its time, to see where a scenario spends it. */
const phase = (what: string) => {
  if (process.env.FAULTS_DEBUG) console.log(`[faults +${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
};

export interface FaultCluster {
  /** Writers on both nodes, the fault, traffic again, then every check; a node taken out of `live` is replaced afterwards. */
  run(name: string, fault: (ctx: FaultContext) => Promise<FaultResult>): Promise<ScenarioFigures>;
  stop(): Promise<void>;
}

/**
 * One database and two nodes for every scenario (starting nodes is the slow part on a shared 2-core
 * machine); each scenario's figures cover the commands its own writers sent. Boards stay connected
 * across scenarios, so each one also has to survive everything before it.
 */
export async function startFaultCluster(postgres: PostgresServer, redis: RedisServer): Promise<FaultCluster> {
  const databaseUrl = await createTestDatabase(postgres.adminUrl);
  // A pool: its connections die with a PostgreSQL restart and are replaced.
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  db.on('error', () => {});
  // Short shutdown and sink backoff ceilings keep the CI run short (the defaults only stretch the times);
  // a 4 s command deadline lies inside the 5 s Postgres pause, so the pause shows the deadline's UNAVAILABLE.
  const spawn = (name: string) => spawnNode({
    name, databaseUrl, redisUrl: redis.url, transport: 'uws', env: { SHUTDOWN_TIMEOUT_MS: '8000', AUDIT_BACKOFF_MAX_MS: '2000', COMMAND_DEADLINE_MS: '4000' },
  });
  const [a, b] = await Promise.all([spawn('A'), spawn('B')]);
  const nodes = { a: a!, b: b! };
  phase('nodes listening');
  const live = new Set([nodes.a, nodes.b]);
  const urlsFor = (which: 'a' | 'b') => () => {
    const first = nodes[which];
    return [first, ...[...live].filter((n) => n !== first)].filter((n) => live.has(n)).map((n) => n.url);
  };
  const sessions = new Map<string, Awaited<ReturnType<typeof login>>>();
  for (const email of new Set([...WRITERS, ...BOARDS].map((w) => w.email))) sessions.set(email, await login(nodes.a.url, email));
  const propertyId = sessions.get('frontdesk@innboard.demo')!.user.memberships[0]!.propertyId;
  const writerRooms = WRITERS.reduce((n, w) => n + w.rooms, 0);
  // The writers' rooms first, then the in-house guest's room (its folio takes the charges), then the task lane's.
  const { rows: roomIds } = await db.query<{ id: string; room_type_id: string }>(
    'select id, room_type_id from room where property_id = $1 and deleted_at is null order by number limit $2', [propertyId, writerRooms + 2]);
  const [inHouseRoom, taskRoom] = roomIds.splice(writerRooms);
  const { folioId, today } = await checkInGuest(nodes.a.url, propertyId, inHouseRoom!, db);
  const nights = await freeNights(db, propertyId, addDays(today, 7));
  const bar = await openBar(nodes.a.url, propertyId);
  const laneOf = (kind: 'charge' | 'booking' | 'ticket' | 'task' | 'posLine', i: number): Lane =>
    kind === 'charge' ? chargeLane(folioId) : kind === 'booking' ? bookingLane(propertyId, nights)
      : kind === 'ticket' ? ticketLane(propertyId, roomIds[i]!.id) : kind === 'task' ? taskLane(taskRoom!.id) : posLineLane(bar.orderId, bar.productId);
  const boards: Board[] = [];
  for (const bd of BOARDS) boards.push(await startBoard(urlsFor(bd.node), sessions.get(bd.email)!.accessToken, propertyId));
  phase('boards connected');

  async function run(name: string, fault: (ctx: FaultContext) => Promise<FaultResult>): Promise<ScenarioFigures> {
    phase(`${name}: start`);
    // A node the previous scenario took out is replaced now (not right after: the last scenario needs no replacement).
    for (const which of ['a', 'b'] as const) {
      if (live.has(nodes[which])) continue;
      nodes[which].kill('SIGKILL');
      nodes[which] = await spawn(`${nodes[which].name}'`);
      live.add(nodes[which]);
      phase(`${nodes[which].name} started`);
    }
    const writers: Writer[] = [];
    try {
      const { rows } = await db.query<{ id: string; status: string }>('select id, status from room where id = any($1::uuid[])', [roomIds.map((r) => r.id)]);
      const statuses = new Map(rows.map((r) => [r.id, r.status]));
      let next = 0;
      for (const w of WRITERS) {
        const first = next;
        const rooms = roomIds.slice(first, (next += w.rooms)).map((r) => roomLane({ id: r.id, status: statuses.get(r.id)! }));
        writers.push(await startWriter(urlsFor(w.node), sessions.get(w.email)!.accessToken, [...rooms, ...w.also.map((k) => laneOf(k, first))]));
      }
      const sent = () => writers.flatMap((w) => w.sent);
      const acks = () => sent().filter((c) => c.ackedAt).length;
      const moreAcks = async (n: number, timeoutMs = 30_000) => {
        const target = acks() + n;
        await waitFor(`${n} more acks`, async () => acks() >= target, timeoutMs, 50);
      };
      await moreAcks(60); // traffic is flowing through both nodes before anything breaks
      phase('fault');
      const result = await fault({ a: nodes.a, b: nodes.b, db, redis, postgres, live, sent, moreAcks });
      phase('fault over');
      await moreAcks(60); // and flows again afterwards
      await Promise.all(writers.map((w) => w.stop()));
      phase('writers stopped');
      // The audit relay (on whichever node leads it) ships everything that committed.
      const survivor = [...live][0]!;
      await waitFor('the audit outbox to drain', async () => (await health(survivor.url)).dependencies.auditSink!.backlog === 0, 60_000, 200);
      for (const board of boards) await board.catchUp();
      phase('drained and caught up');
      const figures = await measure(name, db, propertyId, writers, boards, result);
      phase('measured');
      return figures;
    } finally {
      await Promise.all(writers.map((w) => w.stop()));
      if (process.env.FAULTS_DEBUG) for (const n of Object.values(nodes)) console.log(n.logs().split('\n').filter((l) => /"level":(40|50)/.test(l)).slice(-20).join('\n'));
    }
  }

  return {
    run,
    async stop() {
      for (const board of boards) board.close();
      for (const n of Object.values(nodes)) n.kill('SIGKILL');
      await db.end();
    },
  };
}

async function measure(scenario: string, db: pg.Pool, propertyId: string, writers: Writer[], boards: Board[], result: FaultResult): Promise<ScenarioFigures> {
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
  // The same in the domain tables, for the commands whose rows carry their id: an ok ack with no row is lost,
  // two rows are a duplicate, and a row of a command never acknowledged is a commit the client was not told of.
  const rows = await domainRows(db, sent);
  const rowsLost = acked.filter((c) => rows.get(c.id) === 0).length;
  const rowsTwice = [...rows.values()].filter((n) => n > 1).length;
  const rowsUnacked = sent.filter((c) => !c.ackedAt && (rows.get(c.id) ?? 0) > 0).length;
  const { rows: seqs } = await db.query<{ n: number; max: number }>('select count(*)::int as n, coalesce(max(seq), 0)::int as max from event_log where property_id = $1', [propertyId]);
  const seqGaps = seqs[0]!.max - seqs[0]!.n;

  // Audit: every committed command exactly once in the sink (audit_log), nothing left in the outbox.
  // One grouped pass over the sink (audit_log has no command_id index; a per-command subquery made this
  // check quadratic, minutes long after a long outage).
  const { rows: audit } = await db.query<{ id: string; committed: boolean; n: number }>(
    `select c.id, (c.ack->>'ok')::boolean as committed, coalesce(l.n, 0)::int as n
       from command_result c
       left join (select command_id, count(*) as n from audit_log where outcome = 'ok' and command_id = any($1::uuid[]) group by command_id) l
         on l.command_id = c.id
      where c.id = any($1::uuid[])`, [ids]);
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
  const slowest = Math.max(...acked.map((c) => c.ackedAt! - c.firstSentAt));
  const mix = new Map<string, number>();
  for (const c of acked) mix.set(c.type, (mix.get(c.type) ?? 0) + 1);
  const notes = [
    result.notes,
    `acked ${[...mix].map(([type, n]) => `${type} ${n}`).join(', ')}`,
    rowsLost || rowsTwice || rowsUnacked ? `domain rows: missing ${rowsLost}, twice ${rowsTwice}, of unacked commands ${rowsUnacked}` : `domain rows ${rows.size}/${rows.size} once`,
    `slowest ok ${(slowest / 1000).toFixed(1)} s after first send`,
    cutOff ? `${cutOff} cut off by a lost connection, resent with the same id` : '',
    Object.keys(failed).length ? `failed: ${JSON.stringify(failed)}` : '',
    hung ? `${hung} hung past the client timeout` : '',
    seqGaps ? `${seqGaps} seq gaps` : '',
    auditMissing || auditDuplicated ? `audit missing ${auditMissing}, twice ${auditDuplicated}` : `audit ${committed.length}/${committed.length} once`,
  ].filter(Boolean).join('; ');
  return {
    table: 'faults', scenario, sent: sent.length, acked: acked.length, lost: lost + rowsLost + auditMissing, duplicated: duplicated + rowsTwice + auditDuplicated, unavailable,
    recoverMs: result.recoverMs, boardsConverged: `${boardsOk}/${boards.length}`, notes,
    hung, failed, seqGaps, rowsUnacked, ackedByType: Object.fromEntries(mix), auditMissing, auditDuplicated, boardsTotal: boards.length, boardsOk,
  };
}
