// Authorization matrix generated from the protocol (every command in COMMANDS, so commands other
// domains add are covered without editing this file) x every Demo Hotel role x two payload shapes:
//  - foreign: every id in the payload is the Harbor Inn's (its property, or a row of the table the field names);
//  - mixed: the caller's own property id, every other id the Harbor Inn's.
// Rule: nothing commits (no event, no seq), and the answer never reveals the other property: never ok on
// its property, no foreign id in any answer, never FORBIDDEN unless the role lacks the permission on its own.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS_BY_TYPE, type Ack } from '@innboard/shared';
import { DEMO_USERS } from '../src/db/seeders/DemoSeeder.ts';
import { protocolDocument } from '../src/http/protocol-schema.ts';
import { loginAndConnect, startTestServer, type TestServer } from '../src/testing/factory.ts';
import { record } from './figures.ts';
import { repair, sample, tableOf, type Schema } from './payloads.ts';

describe('authorization matrix', () => {
  let server: TestServer;
  const q = <T>(sql: string, params: unknown[] = []) => server.app.orm.em.fork().execute<T[]>(sql, params);
  beforeAll(async () => {
    server = await startTestServer({ transport: 'uws', env: { COMMANDS_PER_SECOND: '5000', USER_COMMANDS_PER_SECOND: '20000' } });
  });
  afterAll(() => server?.stop());

  /** Commands the admin (member of both hotels) runs in the Harbor Inn first, so probes name its real rows (a booking opens its folio). */
  const FIXTURE = ['ratePlan.create', 'guest.create', 'reservation.create', 'reservation.create', 'task.create', 'ticket.create',
    'pos.outlet.create', 'pos.product.create', 'pos.terminal.register', 'pos.order.open', 'pos.order.addLine', 'stock.item.create',
    'group.create', 'offer.create', 'content.create'];

  it('denies every command x role x foreign reference server-side, writes nothing and leaks nothing', async () => {
    const demo = (await q<{ id: string }>("select id from property where name not like '%Harbor%' limit 1"))[0]!.id;
    const harbor = (await q<{ id: string }>("select id from property where name like '%Harbor%' limit 1"))[0]!.id;
    const tables = (await q<{ table_name: string }>("select table_name from information_schema.columns where column_name = 'property_id' and table_schema = 'public'")).map((r) => r.table_name);
    // One Harbor Inn row per table that has a property_id (plus order lines): ids for fields named after the table.
    const foreign = new Map<string, string>();
    const loadForeign = async () => {
      for (const t of tables) {
        const [row] = await q<{ id: string }>(`select id::text from "${t}" where property_id = ? order by id limit 1`, [harbor]).catch(() => []);
        if (row) foreign.set(t, row.id);
      }
      const [line] = await q<{ id: string }>('select l.id::text from pos_order_line l join pos_order o on o.id = l.order_id where o.property_id = ? limit 1', [harbor]).catch(() => []);
      if (line) foreign.set('line', line.id);
    };
    const harborUserId = (await q<{ id: string }>("select id from app_user where email = 'harbor.frontdesk@innboard.demo'"))[0]!.id;
    let referencedOther = false;
    const idFor = (field: string) => {
      if (field === 'propertyId') return harbor;
      referencedOther = true;
      if (/^(user|assignee|attendant|cashier)Id$/.test(field)) return harborUserId;
      const table = tableOf(field);
      return foreign.get(table) ?? foreign.get(`pos_${table}`) ?? foreign.get(table.split('_').pop()!) ?? randomUUID();
    };
    const schemas = new Map(protocolDocument().commands.map((c) => [c.type, c.payload as Schema]));
    const payloadFor = (type: string, minimal = false) => repair(COMMANDS_BY_TYPE.get(type)!.payload, sample(schemas.get(type)!, '', idFor, minimal));

    await loadForeign();
    const seededTables = foreign.size;
    const admin = await loginAndConnect(server.url, 'admin@innboard.demo');
    const fixture: string[] = [];
    for (const type of FIXTURE) {
      // Without opening hours an outlet is always open, so the fixture can open an order at any time of day.
      const payload = { ...(payloadFor(type, true).payload as object), ...(type === 'pos.outlet.create' ? { openingHours: null } : {}) };
      const ack = await admin.command(type, payload);
      if (ack.ok) fixture.push(type);
      await loadForeign();
    }
    admin.close();

    const commands = protocolDocument().commands;
    const users = DEMO_USERS.filter((u) => u.property === 'demo' && u.role !== 'admin'); // admin is a member of both hotels
    const invalid = new Set<string>();
    const eventsBefore = Number((await q<{ n: string }>('select count(*) as n from event_log'))[0]!.n);
    const codes: Record<string, number> = {};
    const violations: string[] = [];
    let probes = 0;
    await Promise.all(users.map(async (u) => {
      const c = await loginAndConnect(server.url, u.email);
      const permissions = new Set(c.session.user.memberships.find((m) => m.propertyId === demo)!.permissions);
      for (const cmd of commands) {
        referencedOther = false;
        const generated = payloadFor(cmd.type);
        if (!generated.valid) invalid.add(cmd.type);
        const foreignPayload = generated.payload as Record<string, unknown>;
        const variants: Array<[string, unknown]> = [['foreign', foreignPayload]];
        // Own property plus another hotel's rows: only meaningful when the payload names rows besides its property.
        if ('propertyId' in foreignPayload && referencedOther) variants.push(['mixed', { ...foreignPayload, propertyId: demo }]);
        for (const [shape, payload] of variants) {
          probes++;
          const ack = (await c.command(cmd.type, payload).catch(() => null)) as Ack | null;
          const code = ack === null ? 'NO ANSWER' : ack.ok ? 'OK' : ack.error.code;
          codes[code] = (codes[code] ?? 0) + 1;
          const allowedForbidden = !permissions.has(cmd.permission) && (shape === 'mixed' && 'propertyId' in foreignPayload);
          // A read that filters by another hotel's ids may answer ok, if it says nothing of them and commits nothing.
          const foreignIds = [harbor, ...foreign.values()];
          const okLeak = ack?.ok === true && (shape === 'foreign' || ack.seq !== undefined || foreignIds.some((fid) => JSON.stringify(ack.result ?? null).includes(fid)));
          // A payload the schema accepts that names another hotel's row must answer NOT_FOUND, not "does not exist" as VALIDATION.
          const existenceAsValidation = code === 'VALIDATION' && generated.valid && /does not exist|not found|unknown/i.test(ack && !ack.ok ? ack.error.message : '');
          const bad = okLeak || existenceAsValidation || code === 'NO ANSWER' || code === 'INTERNAL' || (code === 'FORBIDDEN' && !allowedForbidden) || (ack && !ack.ok && JSON.stringify(ack).includes('Harbor'));
          if (bad) violations.push(`${u.role} ${cmd.type} (${shape}): ${code}${ack && !ack.ok ? ` ${ack.error.message}` : ''}`);
        }
      }
      c.close();
    }));
    const eventsAfter = Number((await q<{ n: string }>('select count(*) as n from event_log'))[0]!.n);
    if (eventsAfter !== eventsBefore) violations.push(`${eventsAfter - eventsBefore} events committed`);
    record({ table: 'attacks', scenario: `Authorization matrix (${commands.length} commands x ${users.length} roles x foreign/mixed payloads)`, probes, refused: probes - violations.length,
      violations: violations.length,
      figures: `answers: ${Object.entries(codes).sort().map(([k, v]) => `${k} ${v}`).join(', ')}; payloads the generator could not make valid: ${invalid.size} (${[...invalid].join(', ') || 'none'}); events written: ${eventsAfter - eventsBefore}; Harbor rows referenced from ${foreign.size} tables (${seededTables} seeded + fixture ${fixture.length}/${FIXTURE.length} commands)` });
    expect(violations).toEqual([]);
  });
});
