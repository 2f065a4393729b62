// Open documents follow permission changes: a role change that takes away a document's read permission
// closes it on the user's open sockets (they stop hearing its edits), like a removal from the property.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docName, type Ack, type PropertySnapshotBase } from '@innboard/shared';
import { loginAndConnect, settle, startTestServer, type Client, type TestServer } from '../testing/factory.ts';
import { append, openSession, textOf, untilText } from '../domains/collab/test-helpers.ts';

describe('document access after a role change', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const as = async (email: string) => {
    const c = await loginAndConnect(server.url, email);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
  });

  it('a role that may not read reservation notes stops hearing an open one; the rest of the room still does', async () => {
    const desk = await as('frontdesk@innboard.demo');
    const admin = await as('admin@innboard.demo');
    const pos = await as('pos@innboard.demo');
    const sup = await as('supervisor@innboard.demo');
    const { snapshot } = (await desk.sync(desk.propertyId)) as { snapshot: PropertySnapshotBase };
    const room = snapshot.rooms[4]!;
    const departure = new Date(Date.parse(`${snapshot.property.businessDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const created = (await desk.command('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: room.roomTypeId, roomId: room.id, arrival: snapshot.property.businessDate, departure, adults: 1, guest: { firstName: 'Ada', lastName: 'Lovelace' },
    })) as Ack<{ reservationId: string }>;
    if (!created.ok) return expect.fail(JSON.stringify(created));
    const name = docName({ kind: 'reservationNotes', reservationId: created.result.reservationId });
    const [writer, reader, witness] = await Promise.all([desk, pos, sup].map((c) => openSession(c.socket, name)));
    expect(await append(writer!, 'Late arrival.')).toEqual({ ok: true });
    await untilText(reader!, (t) => t === 'Late arrival.', 'edit heard by the cashier');

    expect(await admin.command('user.setRole', { propertyId: admin.propertyId, userId: pos.session.user.id, role: 'housekeeper' })).toMatchObject({ ok: true });
    expect(await append(writer!, ' Key at the bar.')).toEqual({ ok: true });
    await untilText(witness!, (t) => t === 'Late arrival. Key at the bar.', 'edit heard by a supervisor');
    await settle();
    expect(textOf(reader!)).toBe('Late arrival.');
    for (const s of [writer!, reader!, witness!]) s.awareness.destroy();
  });
});
