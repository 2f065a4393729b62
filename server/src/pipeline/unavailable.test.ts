import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import type { Ack, PropertySnapshotBase } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';

/** Cuts the server off its database (no new connections, existing ones terminated) and back. */
async function setDatabaseReachable(adminUrl: string, databaseUrl: string, reachable: boolean) {
  const db = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`alter database ${db} allow_connections ${reachable}`);
    if (!reachable) await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [db]);
  } finally {
    await admin.end();
  }
}

describe('database outage', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await setDatabaseReachable(inject('pgAdminUrl'), server.databaseUrl, true);
    await server?.stop();
  });

  it('answers UNAVAILABLE while the database is gone, reports 503, and recovers', async () => {
    const board = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    const snap = (await board.sync(board.propertyId)) as { snapshot: PropertySnapshotBase };
    const roomId = snap.snapshot.rooms[0]!.id;

    await setDatabaseReachable(inject('pgAdminUrl'), server.databaseUrl, false);
    const ack: Ack = await board.command('room.setStatus', { roomId, status: 'dirty' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(JSON.stringify(ack)).not.toMatch(/terminat|pg_|sql/i);
    expect((await fetch(`${server.url}/health`)).status).toBe(503);

    await setDatabaseReachable(inject('pgAdminUrl'), server.databaseUrl, true);
    const retry = await board.command('room.setStatus', { roomId, status: 'dirty' });
    expect(retry).toMatchObject({ ok: true, seq: expect.any(Number) });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    board.close();
  });
});
