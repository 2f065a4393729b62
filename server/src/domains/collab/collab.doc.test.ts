// Shared documents over the `doc` channel of one real server: convergence, presence, who may open
// and edit what, and content pages publishing immutable versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docName, type Ack, type ContentPageView, type PropertySnapshotBase } from '@innboard/shared';
import type { DocSession } from '@innboard/shared/collab';
import { loginAndConnect, startTestServer, type Client, type TestServer } from '../../testing/factory.ts';
import { waitFor } from '../../testing/cluster.ts';
import { loadDocumentState } from './document.store.ts';
import { findPublishedPage } from './published-page.ts';
import { ackCode, append, openSession, sessionOn, textOf, untilText } from './test-helpers.ts';
import * as Y from 'yjs';

type Conn = Awaited<ReturnType<typeof loginAndConnect>>;

describe('collaborative documents', () => {
  let server: TestServer;
  let snapshot: PropertySnapshotBase;
  const clients: Client[] = [];
  const sessions: DocSession[] = [];
  const as = async (email: string): Promise<Conn> => {
    const c = await loginAndConnect(server.url, email);
    clients.push(c);
    return c;
  };
  const open = async (c: Client, name: string) => {
    const s = await openSession(c.socket, name);
    sessions.push(s);
    return s;
  };
  const storedText = async (name: string) => {
    const state = await loadDocumentState(server.app.orm.em.fork(), name);
    const doc = new Y.Doc();
    if (state) Y.applyUpdate(doc, state);
    return doc.getText('body').toString();
  };
  const ok = <R>(ack: Ack<R>): R => {
    if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
    return ack.result;
  };

  beforeAll(async () => {
    server = await startTestServer();
    const probe = await as('frontdesk@innboard.demo');
    snapshot = ((await probe.sync(probe.propertyId)) as { snapshot: PropertySnapshotBase }).snapshot;
  });
  afterAll(async () => {
    for (const s of sessions) s.awareness.destroy();
    for (const c of clients) c.close();
    await server?.stop();
  });
  const shiftLog = () => docName({ kind: 'shiftLog', propertyId: snapshot.property.id, date: snapshot.property.businessDate });

  it('two staff typing into the shift log at the same time converge on the same text, and it is stored', async () => {
    const desk = await as('frontdesk@innboard.demo');
    const hk = await as('housekeeping@innboard.demo');
    const a = await open(desk, shiftLog());
    const b = await open(hk, shiftLog());
    // Interleaved edits at the same position, sent without waiting for each other.
    for (let i = 0; i < 20; i++) {
      a.text.insert(0, `a${i};`);
      b.text.insert(0, `b${i};`);
    }
    expect((await a.flush()).map(ackCode)).not.toContain('VALIDATION');
    await b.flush();
    const expectAll = (t: string) => Array.from({ length: 20 }, (_, i) => [`a${i};`, `b${i};`]).flat().every((piece) => t.includes(piece));
    await untilText(a, expectAll);
    await untilText(b, expectAll);
    expect(textOf(a)).toBe(textOf(b));
    expect(await storedText(shiftLog())).toBe(textOf(a));
  });

  it('a late joiner gets the whole document, and presence (name, cursor) reaches the others and leaves with them', async () => {
    const desk = await as('frontdesk@innboard.demo');
    const sup = await as('supervisor@innboard.demo');
    const a = await open(desk, shiftLog());
    a.setPresence({ user: { name: 'Frida Frontdesk', color: '#c00' }, cursor: { anchor: 1, head: 3 } });
    const b = await open(sup, shiftLog());
    expect(textOf(b)).toBe(await storedText(shiftLog()));
    // B joined after A announced itself: the join asks A to repeat its presence.
    await waitFor('presence of A at B', async () => [...b.awareness.getStates().values()].some((s) => s.user?.name === 'Frida Frontdesk'));
    b.setPresence({ user: { name: 'Sara Supervisor', color: '#0c0' } });
    await waitFor('presence of B at A', async () => [...a.awareness.getStates().values()].some((s) => s.user?.name === 'Sara Supervisor'));
    // A's tab goes away without saying goodbye: the server retracts its presence.
    desk.close();
    await waitFor('A gone at B', async () => ![...b.awareness.getStates().values()].some((s) => s.user?.name === 'Frida Frontdesk'));
  });

  it('a document of another property, or of nothing, is NOT_FOUND; a malformed frame is VALIDATION', async () => {
    const harbor = await as('harbor.frontdesk@innboard.demo');
    const room = snapshot.rooms[0]!;
    for (const name of [shiftLog(), docName({ kind: 'roomNotes', roomId: room.id }), docName({ kind: 'roomNotes', roomId: '00000000-0000-4000-8000-000000000000' }), 'shiftLog:nonsense']) {
      const ack = await sessionOn(harbor.socket, name).join();
      expect(ackCode(ack), name).toBe('NOT_FOUND');
    }
    // Never joined: the harbor desk hears nothing of the demo hotel's shift log.
    const desk = await as('frontdesk@innboard.demo');
    const a = await open(desk, shiftLog());
    const heard: unknown[] = [];
    harbor.socket.on('doc', (f) => heard.push(f));
    expect(ackCode(await append(a, ' private'))).toBe('OK');
    // An edit sent to a document never opened, and frames that are not frames.
    expect(ackCode(await harbor.socket.timeout(5000).emitWithAck('doc', { doc: shiftLog(), type: 'sync', data: new Uint8Array([2, 1, 0]) }))).toBe('VALIDATION');
    expect(ackCode(await harbor.socket.timeout(5000).emitWithAck('doc', 'hello'))).toBe('VALIDATION');
    expect(ackCode(await desk.socket.timeout(5000).emitWithAck('doc', { doc: shiftLog(), type: 'sync', data: new Uint8Array([9, 9]) }))).toBe('VALIDATION');
    expect(heard).toEqual([]);
  });

  it('a read-only role (POS cashier) receives edits live but its own edits are refused and never stored', async () => {
    const desk = await as('frontdesk@innboard.demo');
    const pos = await as('pos@innboard.demo');
    const writer = await open(desk, shiftLog());
    const reader = await open(pos, shiftLog());
    expect(reader.readOnly).toBe(true);
    expect(writer.readOnly).toBe(false);
    expect(ackCode(await append(writer, ' visible to the bar'))).toBe('OK');
    await untilText(reader, (t) => t.includes(' visible to the bar'));
    const refused = await append(reader, ' cashier was here');
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(reader.lastError?.message).toMatch(/read this document but not edit/);
    expect(await storedText(shiftLog())).not.toContain('cashier was here');
  });

  it('room notes belong to the room\'s property; content pages are edited by managers and published as immutable versions', async () => {
    const manager = await as('manager@innboard.demo');
    const desk = await as('frontdesk@innboard.demo');
    const notes = await open(desk, docName({ kind: 'roomNotes', roomId: snapshot.rooms[1]!.id }));
    expect(ackCode(await append(notes, 'Window latch sticks'))).toBe('OK');

    const page = ok(await manager.command<ContentPageView>('content.create', { propertyId: manager.propertyId, slug: 'spa', title: 'Spa' }));
    expect(ackCode(await manager.command('content.create', { propertyId: manager.propertyId, slug: 'spa', title: 'Again' }) as never)).toBe('CONFLICT');
    const name = docName({ kind: 'contentPage', pageId: page.id });
    expect(await findPublishedPage(server.app.orm.em.fork(), 'demo-hotel', 'spa')).toBeNull();
    expect(ackCode(await manager.command('content.publish', { pageId: page.id }) as never)).toBe('VALIDATION');

    const editor = await open(manager, name);
    expect(ackCode(await append(editor, 'Open daily 9-21.'))).toBe('OK');
    // The draft is not public until published.
    expect(await findPublishedPage(server.app.orm.em.fork(), 'demo-hotel', 'spa')).toBeNull();
    const first = ok(await manager.command<ContentPageView>('content.publish', { pageId: page.id }));
    expect(first.publishedVersion).toBe(1);
    expect(await findPublishedPage(server.app.orm.em.fork(), 'demo-hotel', 'spa')).toMatchObject({ title: 'Spa', body: 'Open daily 9-21.', version: 1 });

    expect(ackCode(await append(editor, ' Sauna closed Mondays.'))).toBe('OK');
    expect(await findPublishedPage(server.app.orm.em.fork(), 'demo-hotel', 'spa')).toMatchObject({ body: 'Open daily 9-21.', version: 1 });
    const second = ok(await manager.command<ContentPageView>('content.publish', { pageId: page.id, title: 'Spa & sauna' }));
    expect(second.publishedVersion).toBe(2);
    expect(await findPublishedPage(server.app.orm.em.fork(), 'demo-hotel', 'spa')).toMatchObject({ title: 'Spa & sauna', body: 'Open daily 9-21. Sauna closed Mondays.', version: 2 });
    await desk.waitForEvent((e) => e.type === 'content.published' && (e.payload as ContentPageView).publishedVersion === 2);

    // Front desk may read the draft but not edit or publish it; another property's desk cannot see it.
    const reader = await open(desk, name);
    expect(reader.readOnly).toBe(true);
    expect(ackCode(await desk.command('content.publish', { pageId: page.id }) as never)).toBe('FORBIDDEN');
    const harbor = await as('harbor.frontdesk@innboard.demo');
    expect(ackCode(await sessionOn(harbor.socket, name).join())).toBe('NOT_FOUND');
    const listed = ok(await desk.command<ContentPageView[]>('content.list', { propertyId: desk.propertyId }));
    expect(listed.map((p) => [p.slug, p.publishedVersion])).toEqual([['spa', 2]]);
  });

  it('reservation notes: another hotel\'s desk gets NOT_FOUND, a cashier reads but cannot edit; another hotel\'s page cannot be published', async () => {
    const desk = await as('frontdesk@innboard.demo');
    const room = snapshot.rooms[3]!;
    const departure = new Date(Date.parse(`${snapshot.property.businessDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const { reservationId } = ok(await desk.command<{ reservationId: string }>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: room.roomTypeId, roomId: room.id, arrival: snapshot.property.businessDate, departure, adults: 1, guest: { firstName: 'Ada', lastName: 'Lovelace' },
    }));
    const name = docName({ kind: 'reservationNotes', reservationId });
    const writer = await open(desk, name);
    expect(writer.readOnly).toBe(false);
    expect(ackCode(await append(writer, 'Allergic to feathers.'))).toBe('OK');

    const harbor = await as('harbor.frontdesk@innboard.demo');
    expect(ackCode(await sessionOn(harbor.socket, name).join())).toBe('NOT_FOUND');
    const reader = await open(await as('pos@innboard.demo'), name);
    expect(reader.readOnly).toBe(true);
    expect(textOf(reader)).toBe('Allergic to feathers.');
    expect(await append(reader, ' Free upgrade!')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await storedText(name)).toBe('Allergic to feathers.');

    const manager = await as('manager@innboard.demo');
    const page = ok(await manager.command<ContentPageView>('content.create', { propertyId: manager.propertyId, slug: 'terrace', title: 'Terrace' }));
    expect(ackCode(await harbor.command('content.publish', { pageId: page.id }) as never)).toBe('NOT_FOUND');
    expect(ackCode(await harbor.command('content.create', { propertyId: manager.propertyId, slug: 'harbor-was-here', title: 'X' }) as never)).toBe('NOT_FOUND');
  });
});
