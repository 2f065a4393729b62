// A command the server answers UNAVAILABLE (its deadline passed while the database was not answering)
// may still commit. The board must keep it waiting and send the same id again, never a new one, so the
// change is applied exactly once; "Retry now" resends that same id too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Page } from 'playwright-core';
import type { Ack } from '@innboard/shared';
import { connected, launchBrowser, loginPage, screenshot } from '../testing/browser.ts';
import { startTestServer, type TestServer } from '../testing/factory.ts';

const statusOf = (page: Page, room: string) => page.getByTestId(`room-${room}`).getAttribute('data-status');

/**
 * The `room.setStatus` commands this page sends over its socket and the acks it gets back, from the
 * Socket.IO text frames (`42<ackId>["command",{...}]` out, `43<ackId>[{...}]` back).
 */
function recordCommands(page: Page): { ids: string[]; acks: Ack[] } {
  const ids: string[] = [];
  const acks: Ack[] = [];
  const ackIds = new Set<string>();
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      const frame = typeof payload === 'string' ? /^42(\d*)(\[.*)$/s.exec(payload) : null;
      if (!frame) return;
      const [name, envelope] = JSON.parse(frame[2]!) as [string, { id: string; type: string }];
      if (name !== 'command' || envelope.type !== 'room.setStatus') return;
      ids.push(envelope.id);
      ackIds.add(frame[1]!);
    });
    ws.on('framereceived', ({ payload }) => {
      const frame = typeof payload === 'string' ? /^43(\d+)(\[.*)$/s.exec(payload) : null;
      if (frame && ackIds.has(frame[1]!)) acks.push((JSON.parse(frame[2]!) as [Ack])[0]);
    });
  });
  return { ids, acks };
}

describe('a command answered UNAVAILABLE in a real browser', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let db: pg.Client;
  /** Holds room 204's row lock: the database is "not answering" for that room. */
  let lock: pg.Client;
  beforeAll(async () => {
    // A short deadline, so a held row lock (the database "not answering" for this room) makes the
    // server answer UNAVAILABLE while the work goes on and commits once the lock is gone.
    server = await startTestServer({ env: { COMMAND_DEADLINE_MS: '300' } });
    db = new pg.Client({ connectionString: server.databaseUrl });
    lock = new pg.Client({ connectionString: server.databaseUrl });
    await Promise.all([db.connect(), lock.connect()]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    // Ending the locking session (if a failed test left it open) rolls it back, so the server can stop.
    await Promise.allSettled([db?.end(), lock?.end()]);
    await browser?.close();
    await server?.stop();
  });

  it('keeps the change waiting, resends the same id (also on "Retry now") and applies it once', async () => {
    const desk = await loginPage(browser.browser, server.url, 'frontdesk@innboard.demo');
    const { ids: sent, acks } = recordCommands(desk.page);
    await desk.page.reload(); // the session survives; the new socket is the one recorded
    await connected(desk.page);
    expect(await statusOf(desk.page, '204')).toBe('clean');

    const [room] = (await db.query<{ id: string }>("select r.id from room r join property p on p.id = r.property_id where p.name = 'Innboard Demo Hotel' and r.number = '204'")).rows;
    await lock.query('begin');
    await lock.query('select id from room where id = $1 for update', [room!.id]);

    await desk.page.getByTestId('room-204').click();
    await desk.page.getByTestId('set-status-dirty').click();

    // Answered UNAVAILABLE, the board says the change is waiting and offers to send it now.
    await desk.page.getByTestId('retry-now').waitFor({ timeout: 10_000 });
    expect(await desk.page.getByTestId('queued').textContent()).toMatch(/1 change waiting/);
    expect(await desk.page.getByTestId('queued').getAttribute('title')).toMatch(/not answering in time.*Sending again shortly/);
    expect(await statusOf(desk.page, '204')).toBe('dirty'); // shown, not yet confirmed
    await screenshot(desk.page, 'command-waiting-after-unavailable');
    await expect.poll(() => sent.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2); // sent again by itself
    const beforeRetry = sent.length;
    await desk.page.getByTestId('retry-now').click(); // waits until the resend in flight is answered
    await expect.poll(() => sent.length, { timeout: 10_000 }).toBeGreaterThan(beforeRetry);
    expect(await desk.page.getByTestId('toast').count()).toBe(0); // not reported as failed

    await lock.query('commit');
    await desk.page.getByTestId('queued').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await statusOf(desk.page, '204')).toBe('dirty');

    expect(new Set(sent)).toEqual(new Set([sent[0]]));
    expect(acks[0]).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const events = await db.query<{ command_id: string; seq: number }>(
      "select command_id, seq::int from event_log where type = 'room.statusChanged' and payload->>'roomId' = $1",
      [room!.id],
    );
    expect(events.rows).toEqual([{ command_id: sent[0], seq: expect.any(Number) }]);
    expect(acks.at(-1)).toEqual({ ok: true, result: expect.anything(), seq: events.rows[0]!.seq });
    const { rows: [saved] } = await db.query<{ status: string }>('select status from room where id = $1', [room!.id]);
    expect(saved!.status).toBe('dirty');
    await desk.context.close();
  });
});
