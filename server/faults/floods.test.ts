// Floods against a real server process (product defaults) while a front desk board keeps working; its
// round trips before, during and after are the figure. Three scenarios:
// - spread: 2,000 authenticated connections opened and dropped from 200 addresses (127.0.1.x), 300 TCP
//   sockets and 200 WebSocket sessions that never send a byte, and 334 `sync`s of a 20,000-event history
//   (`since: 0` -> snapshot, `since: seq - 800` -> a long replay);
// - one address: the same 2,000 connections and syncs from 127.0.2.1, which the per-address limit refuses;
// - reconnect storm: 2,000 legitimate boards behind one hotel NAT (127.0.3.1) reconnecting at once and
//   retrying like the board (3 s after RATE_LIMITED): none may be locked out.
// Linux routes all of 127.0.0.0/8 to loopback; the desk and a newcomer board use 127.0.0.1.
// Rules (no timed assertions): every desk command answered; every refusal RATE_LIMITED; every sync answered
// ok or RATE_LIMITED; a newcomer board gets in and synced; silent sockets closed by the server; no socket
// left behind on the server; /health 200; the process up.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openOrm } from '../src/db/orm.ts';
import { spawnNode, waitFor, type NodeProcess } from '../src/testing/cluster.ts';
import { createTestDatabase } from '../src/testing/databases.ts';
import { login, loginAndConnect } from '../src/testing/factory.ts';
import { record } from './figures.ts';
import { countBy, ms, openFrom, rtt, show, silentSockets, syncCode, type FloodPlan, type StormPlan } from './flood-clients.ts';

const CONNECTIONS = 2000;
const WORKERS = 50;
const SILENT_TCP = 300;
const SILENT_WS = 200;
const SYNC_EVERY = 6;
const HISTORY = 20_000;
const BOARD_RETRY_MS = 3000; // web/src/lib/live/client.ts SYNC_RETRY_MS: the board's wait after a refusal
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

describe('floods', () => {
  let node: NodeProcess;
  let orm: MikroORM;
  let desk: Awaited<ReturnType<typeof loginAndConnect>>;
  let roomId: string;
  let floodToken: string;
  let deskToken: string;
  const q = <T>(sql: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(sql, params);
  const currentSeq = async () => Number((await q<{ seq: string }>('select seq::text from property_seq where property_id = ?', [desk.propertyId]))[0]?.seq);

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
    node = await spawnNode({ name: 'flood', databaseUrl, transport: 'uws', env: { LOG_LEVEL: 'info', ...(process.env.FLOOD_NODE_OPTIONS ? { NODE_OPTIONS: process.env.FLOOD_NODE_OPTIONS } : {}) } });
    orm = await openOrm(databaseUrl, { pool: { min: 0, max: 2 } });
    desk = await loginAndConnect(node.url, 'frontdesk@innboard.demo');
    deskToken = desk.session.accessToken;
    floodToken = (await login(node.url, 'housekeeping@innboard.demo')).accessToken;
    roomId = (await q<{ id: string }>('select id from room where property_id = ? order by number limit 1', [desk.propertyId]))[0]!.id;
    // Two toggles: one of them changes the room whatever its seeded status, so one event exists.
    expect((await roundTrip()).ok).toBe(true);
    expect((await roundTrip()).ok).toBe(true);
    // A long history made of copies of that event (what a busy year leaves in event_log).
    await q(`insert into event_log (property_id, seq, type, payload, command_id, at)
             select e.property_id, s.seq + e.seq, e.type, e.payload, null, now() from event_log e, generate_series(1, ?) as s(seq)
             where e.property_id = ? and e.seq = (select max(seq) from event_log where property_id = ?)`, [HISTORY, desk.propertyId, desk.propertyId]);
    await q('update property_seq set seq = seq + ? where property_id = ?', [HISTORY, desk.propertyId]);
    expect(await currentSeq()).toBeGreaterThan(HISTORY);
  });
  afterAll(async () => {
    desk?.close();
    await node?.stop();
    await orm?.close(true);
  });

  let status: 'dirty' | 'clean' = 'dirty';
  async function roundTrip() {
    status = status === 'dirty' ? 'clean' : 'dirty';
    const t = performance.now();
    const ack = await desk.command('room.setStatus', { roomId, status }).catch(() => null);
    return { ms: performance.now() - t, ok: ack?.ok === true };
  }
  const sample = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await roundTrip()).ms);
    return out;
  };

  /** A board arriving mid-flood from the desk's address: connects and gets its snapshot, retrying like the board. */
  async function newcomer() {
    const t = performance.now();
    const o = await openFrom(node.url, deskToken, '127.0.0.1');
    if (!('socket' in o)) return { connected: o.refused, synced: 'no', attempts: 0, ms: 0 };
    let code = '';
    let attempts = 0;
    while (attempts < 10 && code !== 'ok') {
      if (attempts++) await sleep(BOARD_RETRY_MS);
      code = await syncCode(o.socket, desk.propertyId, undefined);
    }
    o.socket.close();
    return { connected: 'connected', synced: code, attempts, ms: performance.now() - t };
  }

  /** Runs `flood` while the desk toggles its room every 50 ms; the desk's round trips before/during/after. */
  async function underFlood<T>(flood: () => Promise<T>) {
    const before = await sample(20);
    let going = true;
    const during: number[] = [];
    let unanswered = 0;
    const loop = (async () => {
      while (going) {
        const r = await roundTrip();
        if (!r.ok) unanswered++;
        during.push(r.ms);
        await sleep(50);
      }
    })();
    // The flood's clients run on a worker thread; what delay is left on this one is still part of every round trip.
    const clientLoop = monitorEventLoopDelay({ resolution: 10 });
    clientLoop.enable();
    const t = performance.now();
    const result = await flood();
    const seconds = (performance.now() - t) / 1000;
    going = false;
    await loop;
    clientLoop.disable();
    const after = await sample(20);
    const figures = `desk round trip p50/p95/max: before ${rtt(before)}, during ${rtt(during)} (${during.length} commands, ${unanswered} unanswered), after ${rtt(after)}; test thread event-loop delay p99 ${ms(clientLoop.percentile(99) / 1e6)}`;
    return { result, seconds, unanswered, figures };
  }

  /** Runs a flood's clients on a worker thread (flood-worker.ts); resolves with its result. */
  function inWorker<R>(job: { kind: 'flood'; plan: FloodPlan } | { kind: 'storm'; plan: StormPlan }, onHalfway = () => {}): Promise<R> {
    const worker = new Worker(new URL('./flood-worker.ts', import.meta.url), { workerData: job });
    return new Promise<R>((resolve, reject) => {
      worker.on('message', (m: { halfway?: true; result?: R }) => {
        if (m.halfway) onHalfway();
        if (m.result) void worker.terminate().then(() => resolve(m.result!));
      });
      worker.once('error', reject);
    });
  }

  /** CONNECTIONS connections from `addressCount` addresses, 50 at a time, every 6th syncing; a newcomer board arrives halfway. */
  async function connectionFlood(addressBase: string, addressCount: number, seq: number) {
    let arrival: ReturnType<typeof newcomer> | undefined;
    const plan: FloodPlan = { url: node.url, token: floodToken, propertyId: desk.propertyId, seq, connections: CONNECTIONS, workers: WORKERS, syncEvery: SYNC_EVERY, addressBase, addressCount };
    const r = await inWorker<{ refusals: string[]; syncs: string[] }>({ kind: 'flood', plan }, () => (arrival = newcomer()));
    return { ...r, newcomer: await arrival! };
  }

  /** What must hold after every scenario; the server must have let go of every socket but the desk's. */
  async function serverChecks() {
    const sockets = await waitFor('the server to drop the flood sockets', async () => {
      const text = await (await fetch(`${node.url}/metrics`)).text();
      const n = Number(/^innboard_connected_sockets (\d+)/m.exec(text)?.[1]);
      return n === 1 ? n : undefined;
    }, 30_000).catch(() => -1);
    const health = (await fetch(`${node.url}/health`)).status;
    const exited = await Promise.race([node.exited.then(() => true), sleep(10).then(() => false)]);
    return {
      violations: [...(sockets !== 1 ? ['flood sockets still connected on the server'] : []), ...(health !== 200 ? [`health ${health}`] : []), ...(exited ? ['server exited'] : [])],
      figures: `server sockets after: ${sockets === 1 ? 'the desk only' : 'more than the desk'}; /health ${health}`,
    };
  }

  const floodViolations = (r: Awaited<ReturnType<typeof connectionFlood>>, unanswered: number) => [
    ...(unanswered ? [`${unanswered} desk commands unanswered`] : []),
    ...r.refusals.filter((c) => c !== 'RATE_LIMITED').map((c) => `connection refused ${c}`),
    ...r.syncs.filter((c) => c !== 'ok' && c !== 'RATE_LIMITED').map((c) => `sync answered ${c}`),
    ...(r.newcomer.connected !== 'connected' || r.newcomer.synced !== 'ok' ? [`newcomer ${r.newcomer.connected}, sync ${r.newcomer.synced}`] : []),
  ];
  const floodFigures = (r: Awaited<ReturnType<typeof connectionFlood>>, seconds: number) =>
    `flood ${seconds.toFixed(1)} s; connections: opened ${CONNECTIONS - r.refusals.length}, refused ${show(countBy(r.refusals))}; syncs: ${show(countBy(r.syncs))}; newcomer board from the desk's address: ${r.newcomer.connected}, snapshot ${r.newcomer.synced} after ${r.newcomer.attempts} attempt(s), ${ms(r.newcomer.ms)}`;

  it('stays responsive while 200 addresses open and drop connections, sockets stay silent and syncs read the long history', async () => {
    const silent = silentSockets(node.port, SILENT_TCP, SILENT_WS, (i) => `127.0.1.${1 + (i % 200)}`);
    const seq = await currentSeq();
    const run = await underFlood(() => connectionFlood('127.0.1.', 200, seq));
    // uWS closes idle HTTP connections and Socket.IO sessions without CONNECT (SOCKET_CONNECT_TIMEOUT_MS).
    const stillOpen = await waitFor('silent sockets closed by the server', async () => {
      const open = silent.stillOpen();
      return open.tcp === 0 && open.ws === 0 ? open : undefined;
    }, 30_000).catch(() => silent.stillOpen());
    silent.destroy();
    const checks = await serverChecks();
    const violations = [...floodViolations(run.result, run.unanswered), ...checks.violations, ...(stillOpen.tcp || stillOpen.ws ? [`silent sockets still open: TCP ${stillOpen.tcp}, WebSocket ${stillOpen.ws}`] : [])];
    const probes = CONNECTIONS + run.result.syncs.length + SILENT_TCP + SILENT_WS;
    record({ table: 'attacks', scenario: `Flood from 200 addresses (${CONNECTIONS} connections opened and dropped, ${SILENT_TCP} silent TCP + ${SILENT_WS} silent WebSocket, ${run.result.syncs.length} syncs of a ${HISTORY}-event history)`,
      probes, refused: probes - violations.length, violations: violations.length,
      figures: `${floodFigures(run.result, run.seconds)}; ${run.figures}; silent sockets closed by the server: TCP ${SILENT_TCP - stillOpen.tcp}/${SILENT_TCP}, WebSocket ${SILENT_WS - stillOpen.ws}/${SILENT_WS}; ${checks.figures}` });
    expect(violations).toEqual([]);
  }, 180_000);

  it('refuses most of a flood from one address RATE_LIMITED, and only that address', async () => {
    const seq = await currentSeq();
    const run = await underFlood(() => connectionFlood('127.0.2.', 1, seq));
    const checks = await serverChecks();
    const violations = [...floodViolations(run.result, run.unanswered), ...checks.violations];
    const probes = CONNECTIONS + run.result.syncs.length;
    record({ table: 'attacks', scenario: `Flood from one address (${CONNECTIONS} connections opened and dropped, syncs on every 6th that got in)`,
      probes, refused: probes - violations.length, violations: violations.length, figures: `${floodFigures(run.result, run.seconds)}; ${run.figures}; ${checks.figures}` });
    expect(violations).toEqual([]);
  }, 180_000);

  it('lets 2,000 boards behind one hotel NAT back in after a network blip', async () => {
    const seq = await currentSeq();
    const plan: StormPlan = { url: node.url, token: floodToken, propertyId: desk.propertyId, seq, boards: CONNECTIONS, address: '127.0.3.1', retryMs: BOARD_RETRY_MS, giveUpAfterMs: 150_000 };
    const run = await underFlood(() => inWorker<{ refusals: string[]; syncs: string[]; lockedOut: number; lastIn: number }>({ kind: 'storm', plan }));
    const r = run.result;
    const checks = await serverChecks();
    const violations = [
      ...(run.unanswered ? [`${run.unanswered} desk commands unanswered`] : []),
      ...(r.lockedOut ? [`${r.lockedOut} boards not back in`] : []),
      ...r.refusals.filter((c) => c !== 'RATE_LIMITED').map((c) => `connection refused ${c}`),
      ...r.syncs.filter((c) => c !== 'ok' && c !== 'RATE_LIMITED').map((c) => `sync answered ${c}`),
      ...checks.violations,
    ];
    record({ table: 'attacks', scenario: `Reconnect storm (${CONNECTIONS} legitimate boards behind one address, retrying every ${BOARD_RETRY_MS / 1000} s when refused)`,
      probes: CONNECTIONS, refused: CONNECTIONS - violations.length, violations: violations.length,
      figures: `all ${CONNECTIONS - r.lockedOut} boards connected and caught up after ${(r.lastIn / 1000).toFixed(1)} s; refusals on the way ${show(countBy(r.refusals))}; syncs ${show(countBy(r.syncs))}; ${run.figures}; ${checks.figures}` });
    expect(violations).toEqual([]);
  }, 240_000);
});
