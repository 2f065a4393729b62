// Floods against a real server process while another board works: 2,000 authenticated connections opened
// and dropped, TCP sockets and WebSocket sessions that never send a byte, and boards syncing `since: 0`
// (a snapshot) and `since: seq - 1000` (the longest replay) on a property with a long history. A front
// desk board keeps sending commands throughout; its round trips are the figure. The rule (no timed
// assertions): every one of its commands is answered, every sync is answered, the server is up after.
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openOrm } from '../src/db/orm.ts';
import { spawnNode, type NodeProcess } from '../src/testing/cluster.ts';
import { createTestDatabase } from '../src/testing/databases.ts';
import { login, loginAndConnect } from '../src/testing/factory.ts';
import { record } from './figures.ts';
import { RawSocket } from './raw-socket.ts';

const CONNECTIONS = 2000;
const SILENT_TCP = 300;
const SILENT_WS = 200;
const SYNCS = 300;
const HISTORY = 20_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const ms = (v: number) => `${Math.round(v)} ms`;

describe('floods', () => {
  let node: NodeProcess;
  let orm: MikroORM;
  beforeAll(async () => {
    const databaseUrl = await createTestDatabase(inject('pgAdminUrl'));
    node = await spawnNode({ name: 'flood', databaseUrl, transport: 'uws', env: { LOG_LEVEL: 'info' } });
    orm = await openOrm(databaseUrl, { pool: { min: 0, max: 2 } });
  });
  afterAll(async () => {
    await node?.stop();
    await orm?.close(true);
  });

  it('stays responsive for another board through connection, silence and sync floods', async () => {
    const q = <T>(sql: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(sql, params);
    const desk = await loginAndConnect(node.url, 'frontdesk@innboard.demo');
    const propertyId = desk.propertyId;
    const [room] = await q<{ id: string }>('select id from room where property_id = ? order by number limit 1', [propertyId]);
    // One real event, then a long history made of its copies (what a busy year leaves in event_log).
    let status: 'dirty' | 'clean' = 'dirty';
    const roundTrip = async () => {
      status = status === 'dirty' ? 'clean' : 'dirty';
      const t = performance.now();
      const ack = await desk.command('room.setStatus', { roomId: room!.id, status }).catch(() => null);
      return { ms: performance.now() - t, ok: ack?.ok === true };
    };
    // Two toggles: one of them changes the room whatever its seeded status, so one event exists.
    expect((await roundTrip()).ok).toBe(true);
    expect((await roundTrip()).ok).toBe(true);
    await q(`insert into event_log (property_id, seq, type, payload, command_id, at)
             select e.property_id, s.seq + e.seq, e.type, e.payload, null, now() from event_log e, generate_series(1, ?) as s(seq)
             where e.property_id = ? and e.seq = (select max(seq) from event_log where property_id = ?)`, [HISTORY, propertyId, propertyId]);
    await q('update property_seq set seq = seq + ? where property_id = ?', [HISTORY, propertyId]);
    // The board's next commands must number after the copies.
    const seqRows = await q<{ seq: string }>('select max(seq)::text as seq from event_log where property_id = ?', [propertyId]);
    const seq = Number(seqRows[0]?.seq);
    expect(seq).toBeGreaterThan(HISTORY);

    const baseline: number[] = [];
    for (let i = 0; i < 20; i++) baseline.push((await roundTrip()).ms);

    const { accessToken } = await login(node.url, 'housekeeping@innboard.demo');
    let flooding = true;
    const during: number[] = [];
    let unanswered = 0;
    const measuring = (async () => {
      while (flooding) {
        const r = await roundTrip();
        if (!r.ok) unanswered++;
        during.push(r.ms);
        await new Promise((res) => setTimeout(res, 50));
      }
    })();

    // Sockets that never send: raw TCP, and WebSocket sessions that never send CONNECT or answer a ping.
    const tcp: TcpSocket[] = [];
    let tcpClosedByServer = 0;
    for (let i = 0; i < SILENT_TCP; i++) {
      const s = tcpConnect(node.port, '127.0.0.1');
      s.on('error', () => {});
      s.on('close', () => tcpClosedByServer++);
      tcp.push(s);
    }
    const silentWs: WebSocket[] = [];
    let wsClosedByServer = 0;
    for (let i = 0; i < SILENT_WS; i++) {
      const ws = new WebSocket(`${node.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
      ws.onerror = () => {};
      ws.onclose = () => wsClosedByServer++;
      silentWs.push(ws);
    }

    // 2,000 connections opened and dropped, 50 at a time, with syncs of the long history among them.
    const floodStart = performance.now();
    let opened = 0;
    let refusedConnections = 0;
    const syncSizes: number[] = [];
    let syncAnswered = 0;
    let next = 0;
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (next < CONNECTIONS) {
        const i = next++;
        const sock = await RawSocket.open(node.url, { token: accessToken }).catch(() => null);
        if (!sock) { refusedConnections++; continue; }
        opened++;
        if (i % Math.floor(CONNECTIONS / SYNCS) === 0) {
          const since = i % 2 === 0 ? 0 : seq - 1000;
          const o = await sock.emit('sync', JSON.stringify({ propertyId, since }), 60_000);
          if (o.kind === 'ack' && (o.args[0] as { ok?: boolean }).ok) {
            syncAnswered++;
            syncSizes.push(JSON.stringify(o.args[0]).length);
          }
        }
        sock.close();
      }
    }));
    const floodSeconds = (performance.now() - floodStart) / 1000;
    flooding = false;
    await measuring;
    const after: number[] = [];
    for (let i = 0; i < 20; i++) after.push((await roundTrip()).ms);

    const health = await fetch(`${node.url}/health`);
    const exited = await Promise.race([node.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10))]);
    const silentStillOpen = { tcp: SILENT_TCP - tcpClosedByServer, ws: SILENT_WS - wsClosedByServer };
    for (const s of tcp) s.destroy();
    for (const ws of silentWs) ws.close();
    desk.close();

    const syncs = Math.ceil(CONNECTIONS / Math.floor(CONNECTIONS / SYNCS));
    const violations = [
      ...(unanswered ? [`${unanswered} of the board's commands unanswered`] : []),
      ...(syncAnswered !== syncs ? [`${syncs - syncAnswered} syncs unanswered`] : []),
      ...(refusedConnections ? [`${refusedConnections} connections refused`] : []),
      ...(health.status !== 200 ? [`health ${health.status}`] : []),
      ...(exited ? ['server exited'] : []),
    ];
    record({ table: 'attacks', scenario: `Floods (${CONNECTIONS} connections opened and dropped, ${SILENT_TCP} silent TCP + ${SILENT_WS} silent WebSocket, ${syncs} syncs of a ${HISTORY}-event history)`,
      probes: CONNECTIONS + syncs + during.length, refused: CONNECTIONS + syncs + during.length - violations.length, violations: violations.length,
      figures: `flood ${floodSeconds.toFixed(1)} s, ${opened} connections (${Math.round(opened / floodSeconds)}/s); syncs answered ${syncAnswered}/${syncs} (since 0: snapshot; since seq-1000: 1000 events, up to ${Math.round(Math.max(...syncSizes) / 1024)} KB); other board's round trip p50/p95/max: before ${ms(pct(baseline, 50))}/${ms(pct(baseline, 95))}/${ms(Math.max(...baseline))}, during ${ms(pct(during, 50))}/${ms(pct(during, 95))}/${ms(Math.max(...during))} (${during.length} commands, ${unanswered} unanswered), after ${ms(pct(after, 50))}/${ms(pct(after, 95))}; silent sockets still open at the end: TCP ${silentStillOpen.tcp}, WebSocket ${silentStillOpen.ws}; /health ${health.status}` });
    expect(violations).toEqual([]);
  });
});
