// Size limits of shared documents (COLLAB_MAX_UPDATE_BYTES / COLLAB_MAX_DOCUMENT_BYTES, set small here):
// an edit above either limit answers TOO_LARGE and changes nothing, neither stored nor sent to others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docName, type PropertySnapshotBase } from '@innboard/shared';
import type { DocSession } from '@innboard/shared/collab';
import { loginAndConnect, settle, startTestServer, type Client, type TestServer } from '../../testing/factory.ts';
import { loadDocumentState } from './document.store.ts';
import { ackCode, append, openSession, textOf, untilText } from './test-helpers.ts';

const MAX_UPDATE = 2048;
const MAX_DOCUMENT = 8192;

describe('document size limits', () => {
  let server: TestServer;
  let rooms: PropertySnapshotBase['rooms'];
  const clients: Client[] = [];
  const sessions: DocSession[] = [];

  const open = async (email: string, name: string) => {
    const c = await loginAndConnect(server.url, email);
    clients.push(c);
    const s = await openSession(c.socket, name);
    sessions.push(s);
    return s;
  };
  /** What the server has: the stored text and the row the per-document limit counts. */
  const stored = async (name: string) => {
    const em = server.app.orm.em.fork();
    const state = await loadDocumentState(em, name);
    const doc = new Y.Doc();
    if (state) Y.applyUpdate(doc, state);
    const [row] = await em.execute<{ size_bytes: number; updates: string }[]>(
      'select d.size_bytes, (select count(*) from collab_update u where u.document_id = d.id) as updates from collab_document d where d.name = ?', [name]);
    return { text: doc.getText('body').toString(), sizeBytes: row?.size_bytes ?? 0, updates: Number(row?.updates ?? 0) };
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { COLLAB_MAX_UPDATE_BYTES: String(MAX_UPDATE), COLLAB_MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT) } });
    const probe = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    clients.push(probe);
    rooms = ((await probe.sync(probe.propertyId)) as { snapshot: PropertySnapshotBase }).snapshot.rooms;
  });
  afterAll(async () => {
    for (const s of sessions) s.awareness.destroy();
    for (const c of clients) c.close();
    await server?.stop();
  });

  it('an update above the per-update limit answers TOO_LARGE, is not stored and reaches nobody', async () => {
    const name = docName({ kind: 'roomNotes', roomId: rooms[0]!.id });
    const writer = await open('housekeeping@innboard.demo', name);
    const other = await open('frontdesk@innboard.demo', name);
    expect(ackCode(await append(writer, 'Minibar restocked.'))).toBe('OK');
    await untilText(other, (t) => t === 'Minibar restocked.');
    const before = await stored(name);

    const refused = await append(writer, 'x'.repeat(MAX_UPDATE + 100));
    expect(refused).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(!refused.ok && refused.error.message).toMatch(/too large .* at most 2048 per update/);
    expect(writer.lastError?.code).toBe('TOO_LARGE');
    expect(await stored(name)).toEqual(before);
    await settle(300);
    expect(textOf(other)).toBe('Minibar restocked.');

    // Presence frames are bound by the same limit.
    writer.setPresence({ user: { name: 'y'.repeat(MAX_UPDATE + 100) } });
    await settle(300);
    expect([...other.awareness.getStates().values()].some((s) => String(s.user?.name ?? '').startsWith('yyy'))).toBe(false);
  });

  it('an edit that would take the document above the per-document limit answers TOO_LARGE and changes nothing', async () => {
    const name = docName({ kind: 'roomNotes', roomId: rooms[1]!.id });
    const writer = await open('housekeeping@innboard.demo', name);
    const other = await open('frontdesk@innboard.demo', name);
    // Each chunk is well under the per-update limit; together they fill the document.
    const chunk = (i: number) => `${i}:${'n'.repeat(1500)}|`;
    let accepted = 0;
    for (let i = 0; i < 10; i++) {
      const ack = await append(writer, chunk(i));
      if (!ack.ok) {
        expect(ack.error.code).toBe('TOO_LARGE');
        expect(ack.error.message).toMatch(/document is full \(at most 8192 bytes\)/);
        break;
      }
      accepted++;
    }
    // 5 chunks of ~1.5 kB fit in 8 kB, the 6th does not.
    expect(accepted).toBe(5);
    const full = await stored(name);
    expect(full.sizeBytes).toBeLessThanOrEqual(MAX_DOCUMENT);
    expect(full.updates).toBe(accepted);
    expect(full.text).toBe(Array.from({ length: accepted }, (_, i) => chunk(i)).join(''));
    await untilText(other, (t) => t === full.text);

    // Still full for everyone: another editor's chunk is refused as well, and nothing moved.
    expect(ackCode(await append(other, chunk(99)))).toBe('TOO_LARGE');
    expect(await stored(name)).toEqual(full);
    await settle(300);
    expect(textOf(writer)).not.toContain('99:');
  });
  it('after a refused edit the editor drops it and resyncs, so its next edits reach everyone', async () => {
    const name = docName({ kind: 'roomNotes', roomId: rooms[2]!.id });
    const writer = await open('housekeeping@innboard.demo', name);
    const other = await open('frontdesk@innboard.demo', name);
    expect(ackCode(await append(writer, 'Kettle replaced.'))).toBe('OK');
    expect(ackCode(await append(writer, 'z'.repeat(MAX_UPDATE + 100)))).toBe('TOO_LARGE');
    // The refused text is gone from the writer's own copy too: it shows what everyone else has.
    await untilText(writer, (t) => t === 'Kettle replaced.', 'the writer back in step with the server');
    expect(writer.lastError?.code).toBe('TOO_LARGE'); // still said after the resync
    expect(ackCode(await append(writer, ' Descaled.'))).toBe('OK');
    expect(writer.lastError).toBeNull(); // the next accepted edit clears it
    await untilText(other, (t) => t === 'Kettle replaced. Descaled.', 'the next edit at the other editor');
    expect((await stored(name)).text).toBe('Kettle replaced. Descaled.');
  });
});
