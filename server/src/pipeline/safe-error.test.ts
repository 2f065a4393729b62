import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '@innboard/shared';
import { createLogger } from '../logger.ts';
import { loginAndConnect, startTestServer, type TestServer } from '../testing/factory.ts';
import { createDispatcher } from './dispatch.ts';
import { handlers, reactions } from '../registry.ts';
import { byPropertyId, defineHandler, type CommandHandler } from './types.ts';
import { scrubMessage, toSafeError } from './safe-error.ts';

const EMAIL = 'ada.lovelace@example.com';

describe('toSafeError', () => {
  it('keeps name, SQLSTATE and constraint, and drops every value MikroORM inlined into the message', () => {
    const message = `insert into "guest" ("id", "property_id", "first_name", "last_name", "email", "phone", "document_number", "preferences") values `
      + `('7d7f5b8e-2c1a-4a57-9d0e-1f1f2b2c3d4e', 'b1c2d3e4-0000-4000-8000-000000000000', 'Ada', 'O''Brien-Lovelace', '${EMAIL}', '+4915112345678', 'X1234567', '{"pillow":"soft"}') `
      + `returning "version" - duplicate key value violates unique constraint "guest_email_unique"`;
    const err = Object.assign(new Error(message), { name: 'UniqueConstraintViolationException', code: '23505', constraint: 'guest_email_unique', detail: `Key (email)=(${EMAIL}) already exists.`, table: 'guest' });
    const safe = toSafeError(err);
    const logged = JSON.stringify(safe);
    for (const secret of [EMAIL, 'Ada', 'Brien', '4915112345678', 'X1234567', 'pillow', '7d7f5b8e']) expect(logged).not.toContain(secret);
    expect(safe).toMatchObject({ name: 'UniqueConstraintViolationException', code: '23505', constraint: 'guest_email_unique', table: 'guest' });
    // What went wrong stays readable: the statement's shape and the database's complaint.
    expect(safe.message).toContain('insert into "guest" ("id", "property_id", "first_name"');
    expect(safe.message).toContain('duplicate key value violates unique constraint "guest_email_unique"');
    expect(safe.stack).toMatch(/^\s+at /);
  });

  it('scrubs pg details, unquoted e-mails and numbers', () => {
    expect(scrubMessage(`Key (email)=(${EMAIL}) already exists.`)).toBe('Key (email)=(?) already exists.');
    expect(scrubMessage('Failing row contains (1, Ada, ada@x.io, null).')).toBe('Failing row contains (?).');
    expect(scrubMessage(`select * from guest where email = ${EMAIL} and total > 12000`)).toBe('select * from guest where email = ? and total > ?');
    expect(scrubMessage('update "room_type_night" set "sold" = sold + 1')).toBe('update "room_type_night" set "sold" = sold + ?');
  });
});

/** A command whose database error carries a guest's e-mail, run by the real dispatcher with a logger we can read. */
describe('the INTERNAL log line of a failed command', () => {
  let server: TestServer;
  let lines: string[];
  const failing = defineCommand('test.saveGuestBadly', {
    permission: 'reservation.write',
    description: 'test: a guest insert the database refuses',
    payload: z.object({ propertyId: z.uuid() }),
  });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  it('has the error name, code and constraint but no guest name or e-mail', async () => {
    lines = [];
    let raw: Error | undefined;
    const sink = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
    const handler = defineHandler(failing, {
      scope: byPropertyId,
      handle: async (ctx, { propertyId }) => {
        // A guest without a last name: Postgres refuses the row and quotes all of it in the error's detail.
        try {
          await ctx.em.execute(
            "insert into guest (id, property_id, first_name, last_name, email, phone, preferences, version, created_at) values (gen_random_uuid(), ?, 'Ada', null, ?, '+4915112345678', '{}', 1, now())",
            [propertyId, EMAIL], 'run',
          );
        } catch (err) {
          raw = err as Error;
          throw err;
        }
        return null;
      },
    });
    const dispatch = createDispatcher({
      orm: server.app.orm,
      handlers: new Map<string, CommandHandler>([...handlers, [failing.type, handler as CommandHandler]]),
      reactions,
      logger: createLogger('info', sink),
      publish: () => {},
    });
    const desk = await loginAndConnect(server.url, 'frontdesk@innboard.demo');
    desk.close();
    const { ack } = await dispatch({ userId: desk.session.user.id, consume: async () => true }, { id: randomUUID(), type: failing.type, payload: { propertyId: desk.propertyId } });
    expect(ack).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const failed = lines.map((l) => JSON.parse(l) as { msg: string; err: Record<string, string> }).filter((l) => l.msg === 'command failed');
    expect(failed).toHaveLength(1);
    // The error as thrown does carry the guest's data; the log line must not.
    expect(JSON.stringify({ ...raw, message: raw?.message })).toContain(EMAIL);
    expect(failed[0]!.err).toMatchObject({ name: raw!.name, code: '23502', table: 'guest', column: 'last_name' });
    expect(failed[0]!.err.message).toContain('null value in column "last_name"');
    const written = lines.join('\n');
    expect(written).not.toContain(EMAIL);
    expect(written).not.toContain('Ada');
    expect(written).not.toContain('4915112345678');
  });
});
