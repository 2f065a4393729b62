import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type TestServer } from '../../testing/factory.ts';
import { countRows, errorCode, ok, roomStatusInDb, snapshotOf, type Snapshot } from './test-helpers.ts';

type Conn = Awaited<ReturnType<typeof loginAndConnect>>;

describe('maintenance tickets', () => {
  let server: TestServer;
  let sup: Conn;
  let hk: Conn;
  let desk: Conn;
  let snap: Snapshot;
  const room = (n: string) => snap.rooms.find((r) => r.number === n)!;
  const report = (by: Conn, extra: Record<string, unknown> = {}) =>
    by.command<TicketView>('ticket.create', { propertyId: by.propertyId, category: 'plumbing', priority: 'normal', description: 'Dripping tap', ...extra });
  const isTicket = (type: string, ticketId: string) => (e: { type: string; payload: unknown }) => e.type === type && (e.payload as TicketView).ticketId === ticketId;

  beforeAll(async () => {
    server = await startTestServer();
    [sup, hk, desk] = await Promise.all(['supervisor@innboard.demo', 'housekeeping@innboard.demo', 'frontdesk@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    snap = (await snapshotOf(sup, sup.propertyId)).snapshot;
  });
  afterAll(async () => {
    for (const c of [sup, hk, desk]) c?.close();
    await server?.stop();
  });

  it('anyone on the boards can report a problem; every board hears of it', async () => {
    const ack = await report(hk, { roomId: room('110').id, category: 'hvac', priority: 'high', description: 'AC is loud' });
    const ticket = ok(ack);
    expect(ticket).toMatchObject({
      roomId: room('110').id, roomNumber: '110', category: 'hvac', priority: 'high', description: 'AC is loud', status: 'open',
      assigneeId: null, reporterId: hk.session.user.id, outOfOrder: false, resolution: null, comments: [],
    });
    const e = await desk.waitForEvent(isTicket('ticket.created', ticket.ticketId));
    expect(e.seq).toBe((ack as { seq: number }).seq);
    expect(await roomStatusInDb(server, room('110').id)).toBe('clean');
    // The front desk reports too, without a room.
    expect(ok(await report(desk, { category: 'it', description: 'Lobby printer offline' })).roomId).toBeNull();
  });

  it('flows open -> in progress -> resolved -> closed with comments, and notifies the assignee', async () => {
    const t = ok(await report(desk, { roomId: room('111').id }));
    const assigned = ok(await sup.command<TicketView>('ticket.update', { ticketId: t.ticketId, assigneeId: hk.session.user.id, priority: 'urgent' }));
    expect(assigned).toMatchObject({ assigneeId: hk.session.user.id, priority: 'urgent', status: 'open' });
    const notice = await hk.waitForNotification((n) => n.ref.id === t.ticketId);
    expect(notice).toMatchObject({ kind: 'ticket_assigned', ref: { type: 'ticket', id: t.ticketId } });

    // The assignee works it.
    expect(ok(await hk.command<TicketView>('ticket.update', { ticketId: t.ticketId, status: 'in_progress' })).status).toBe('in_progress');
    const commented = ok(await desk.command<TicketView>('ticket.comment', { ticketId: t.ticketId, body: 'Guest says it is worse now' }));
    expect(commented.comments).toEqual([{ commentId: expect.any(String), authorId: desk.session.user.id, authorName: 'Frida Frontdesk', body: 'Guest says it is worse now', createdAt: expect.any(String), toGuest: false, fromGuest: false }]);
    await sup.waitForEvent((e) => isTicket('ticket.updated', t.ticketId)(e) && (e.payload as TicketView).comments.length === 1);
    const resolved = ok(await hk.command<TicketView>('ticket.resolve', { ticketId: t.ticketId, resolution: 'Replaced washer' }));
    expect(resolved).toMatchObject({ status: 'resolved', resolution: 'Replaced washer', resolvedAt: expect.any(String) });
    expect(errorCode(await hk.command('ticket.resolve', { ticketId: t.ticketId, resolution: 'again' }))).toBe('CONFLICT');
    // Closing is the supervisor's call.
    expect(errorCode(await hk.command('ticket.update', { ticketId: t.ticketId, status: 'closed' }))).toBe('FORBIDDEN');
    expect(ok(await sup.command<TicketView>('ticket.update', { ticketId: t.ticketId, status: 'closed' })).status).toBe('closed');
    expect(errorCode(await sup.command('ticket.update', { ticketId: t.ticketId, status: 'open' }))).toBe('CONFLICT');
  });

  it('only the assignee or a supervisor works a ticket; only a supervisor reassigns it', async () => {
    const t = ok(await report(hk));
    expect(errorCode(await desk.command('ticket.update', { ticketId: t.ticketId, status: 'in_progress' }))).toBe('FORBIDDEN');
    expect(errorCode(await desk.command('ticket.resolve', { ticketId: t.ticketId, resolution: 'fixed' }))).toBe('FORBIDDEN');
    expect(errorCode(await hk.command('ticket.update', { ticketId: t.ticketId, assigneeId: hk.session.user.id }))).toBe('FORBIDDEN');
    expect(errorCode(await hk.command('ticket.update', { ticketId: t.ticketId, priority: 'urgent' }))).toBe('FORBIDDEN');
    expect(errorCode(await sup.command('ticket.update', { ticketId: t.ticketId, assigneeId: randomUUID() }))).toBe('VALIDATION');
    const [row] = await server.app.orm.em.fork().execute<{ status: string; assignee_id: string | null; priority: string; version: number }[]>(
      'select status, assignee_id, priority, version from maintenance_ticket where id = ?', [t.ticketId]);
    expect(row).toEqual({ status: 'open', assignee_id: null, priority: 'normal', version: t.version });
  });

  it('outOfOrder takes the room out of order until resolved, then hands it back dirty', async () => {
    const r = room('112');
    expect(errorCode(await report(hk, { roomId: r.id, outOfOrder: true }))).toBe('FORBIDDEN');
    expect(errorCode(await report(desk, { roomId: r.id, outOfOrder: true }))).toBe('FORBIDDEN');
    expect(await roomStatusInDb(server, r.id)).toBe('clean');

    const ack = await report(sup, { roomId: r.id, outOfOrder: true, category: 'plumbing', priority: 'urgent', description: 'Burst pipe behind the toilet' });
    const t = ok(ack);
    expect(t.outOfOrder).toBe(true);
    expect(await roomStatusInDb(server, r.id)).toBe('out_of_order');
    const ooo = await desk.waitForEvent((e) => e.type === 'room.statusChanged' && (e.payload as { roomId: string }).roomId === r.id);
    expect(ooo).toMatchObject({ seq: (ack as { seq: number }).seq, payload: { status: 'out_of_order', previousStatus: 'clean', reason: 'Maintenance: Burst pipe behind the toilet' } });

    // While the ticket holds it, nobody returns the room by hand; cleaning work does not touch it.
    expect(errorCode(await sup.command('room.setStatus', { roomId: r.id, status: 'clean' }))).toBe('CONFLICT');
    const task = ok(await sup.command<{ taskId: string }>('task.create', { roomId: r.id, type: 'deep_clean' }));
    ok(await sup.command('task.complete', { taskId: task.taskId }));
    expect(await roomStatusInDb(server, r.id)).toBe('out_of_order');

    // A second ticket holds it too: resolving the first does not free the room.
    const second = ok(await report(sup, { roomId: r.id, outOfOrder: true, category: 'electrical', description: 'Socket sparks' }));
    ok(await sup.command('ticket.resolve', { ticketId: t.ticketId, resolution: 'Pipe replaced' }));
    expect(await roomStatusInDb(server, r.id)).toBe('out_of_order');
    ok(await sup.command('ticket.update', { ticketId: second.ticketId, status: 'closed' }));
    expect(await roomStatusInDb(server, r.id)).toBe('dirty');
    await desk.waitForEvent((e) => e.type === 'room.statusChanged' && (e.payload as { roomId: string }).roomId === r.id && (e.payload as { status: string }).status === 'dirty');

    // Reopening a ticket that held the room takes it out of order again.
    ok(await sup.command('ticket.update', { ticketId: t.ticketId, status: 'open' }));
    expect(await roomStatusInDb(server, r.id)).toBe('out_of_order');
  });

  it('validation errors change nothing and emit nothing', async () => {
    const before = { tickets: await countRows(server, 'maintenance_ticket'), comments: await countRows(server, 'ticket_comment') };
    const created = await report(sup);
    const t = ok(created);
    await desk.waitForEvent((e) => e.seq === (created as { seq: number }).seq);
    const heard = desk.events.length;
    for (const [type, payload] of [
      ['ticket.create', { propertyId: sup.propertyId, category: 'magic', priority: 'normal', description: 'x' }],
      ['ticket.create', { propertyId: sup.propertyId, category: 'other', priority: 'whenever', description: 'x' }],
      ['ticket.create', { propertyId: sup.propertyId, category: 'other', priority: 'low', description: '   ' }],
      ['ticket.create', { propertyId: sup.propertyId, category: 'other', priority: 'low', description: 'no room', outOfOrder: true }],
      ['ticket.update', { ticketId: t.ticketId }],
      ['ticket.update', { ticketId: t.ticketId, status: 'resolved' }],
      ['ticket.comment', { ticketId: t.ticketId, body: '' }],
      ['ticket.resolve', { ticketId: t.ticketId }],
    ] as const) {
      expect(errorCode(await sup.command(type, payload)), `${type} ${JSON.stringify(payload)}`).toBe('VALIDATION');
    }
    await settle();
    expect(await countRows(server, 'maintenance_ticket')).toBe(before.tickets + 1);
    expect(await countRows(server, 'ticket_comment')).toBe(before.comments);
    expect(desk.events.length).toBe(heard);
  });

  it('the snapshot lists open tickets with their comments, not resolved or closed ones', async () => {
    const { snapshot } = await snapshotOf(desk, desk.propertyId);
    expect(snapshot.tickets.every((t) => t.status === 'open' || t.status === 'in_progress')).toBe(true);
    const descriptions = snapshot.tickets.map((t) => t.description);
    expect(descriptions).toContain('AC is loud');
    expect(descriptions).toContain('Burst pipe behind the toilet');
    expect(descriptions).not.toContain('Socket sparks');
  });
});
