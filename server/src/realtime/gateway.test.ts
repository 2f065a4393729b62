import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_EVENT, NOTIFICATION_SOCKET_EVENTS, PROTOCOL_VERSION } from '@innboard/shared';
import { connect, login, startTestServer, TRANSPORTS, type TestServer } from '../testing/factory.ts';

describe.each(TRANSPORTS)('socket gateway over %s', (transport) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ transport });
  });
  afterAll(() => server?.stop());

  it('routes each contract event to its handler and answers an unknown one VALIDATION', async () => {
    const { accessToken, user } = await login(server.url, 'frontdesk@innboard.demo');
    const client = await connect(server.url, accessToken);
    try {
      const propertyId = user.memberships[0]!.propertyId;
      expect(await client.command('room.setStatus', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'Invalid room.setStatus payload' } });
      expect(await client.sync(propertyId)).toMatchObject({ ok: true });
      expect(await client.socket.timeout(5000).emitWithAck(NOTIFICATION_SOCKET_EVENTS.sync, {})).toMatchObject({ ok: true });
      expect(await client.socket.timeout(5000).emitWithAck(NOTIFICATION_SOCKET_EVENTS.read, { upTo: 'not a number' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(await client.socket.timeout(5000).emitWithAck(DOC_EVENT, { doc: 'x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(await client.socket.timeout(5000).emitWithAck('room.setStatus', {})).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'Unknown event "room.setStatus"' } });
      // Without an ack there is nothing to answer; the socket stays usable.
      client.socket.emit('nonsense', 1);
      expect(await client.sync(propertyId)).toMatchObject({ ok: true });
    } finally {
      client.close();
    }
  });

  it('a connected socket keeps its user but not the bearer token it was opened with', async () => {
    const { accessToken, user } = await login(server.url, 'housekeeping@innboard.demo');
    const client = await connect(server.url, accessToken, { protocolVersion: PROTOCOL_VERSION });
    try {
      const mine = server.app.transport.io.of('/').sockets.get(client.socket.id!);
      expect(mine?.handshake.auth).toEqual({ token: undefined, protocolVersion: PROTOCOL_VERSION });
      expect(mine?.data).toEqual({ userId: user.id });
      // The socket still answers commands as that user (a payload this bad is refused before any database work).
      expect(await client.command('room.setStatus', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    } finally {
      client.close();
    }
  });
});
