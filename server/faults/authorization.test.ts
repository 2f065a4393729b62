// Authorization matrix generated from the protocol (every command in COMMANDS, so commands other
// domains add are covered without editing this file) x every Demo Hotel role x two payload shapes:
//  - foreign: every id in the payload is the Harbor Inn's (its property, or a row of the table the field names);
//  - mixed: the caller's own property id, every other id the Harbor Inn's.
// Rule: nothing commits (no event, no seq), and the answer never reveals the other property: never ok on
// its property, no foreign id in any answer, never FORBIDDEN unless the role lacks the permission on its own.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '@innboard/shared';
import { DEMO_USERS } from '../src/db/seeders/DemoSeeder.ts';
import { protocolDocument } from '../src/http/protocol-schema.ts';
import { loginAndConnect, startTestServer, type TestServer } from '../src/testing/factory.ts';
import { record } from './figures.ts';

type Schema = { type?: string | string[]; format?: string; enum?: unknown[]; const?: unknown; properties?: Record<string, Schema>; required?: string[];
  items?: Schema; minItems?: number; minimum?: number; minLength?: number; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; pattern?: string };

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A payload that satisfies the schema, with every uuid chosen by `idFor(fieldName)`. */
function sample(schema: Schema, field: string, idFor: (field: string) => string): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt) return sample(alt.find((s) => s.type !== 'null') ?? alt[0]!, field, idFor);
  if (schema.allOf) return sample(schema.allOf[0]!, field, idFor);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sample(v, k, idFor);
      return out;
    }
    case 'array': return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items ?? {}, field.replace(/s$/, ''), idFor));
    case 'integer': case 'number': return Math.max(schema.minimum ?? 1, 1);
    case 'boolean': return false;
    case 'string':
      if (schema.format === 'uuid' || /Id$/.test(field)) return idFor(field);
      if (schema.format === 'date' || /^\^\\d\{4\}/.test(schema.pattern ?? '')) return '2027-03-10';
      if (schema.format === 'date-time') return '2027-03-10T10:00:00.000Z';
      if (schema.format === 'email') return 'probe@example.com';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default: return null;
  }
}

describe('authorization matrix', () => {
  let server: TestServer;
  const q = <T>(sql: string, params: unknown[] = []) => server.app.orm.em.fork().execute<T[]>(sql, params);
  beforeAll(async () => {
    server = await startTestServer({ transport: 'uws', env: { COMMANDS_PER_SECOND: '5000', USER_COMMANDS_PER_SECOND: '20000' } });
  });
  afterAll(() => server?.stop());

  it('denies every command x role x foreign reference server-side, writes nothing and leaks nothing', async () => {
    const [demo, harbor] = await q<{ id: string }>("select id from property order by slug <> 'demo-hotel', name").then(async () => [
      (await q<{ id: string }>("select id from property where name not like '%Harbor%' limit 1"))[0]!.id,
      (await q<{ id: string }>("select id from property where name like '%Harbor%' limit 1"))[0]!.id,
    ]);
    // One Harbor Inn row per table that has a property_id: ids for fields named after the table.
    const tables = (await q<{ table_name: string }>("select table_name from information_schema.columns where column_name = 'property_id' and table_schema = 'public'")).map((r) => r.table_name);
    const foreign = new Map<string, string>();
    for (const t of tables) {
      const [row] = await q<{ id: string }>(`select id::text from "${t}" where property_id = ? limit 1`, [harbor]).catch(() => []);
      if (row) foreign.set(t, row.id);
    }
    const foreignIds = [harbor, ...foreign.values()];
    const harborUserId = (await q<{ id: string }>("select id from app_user where email = 'harbor.frontdesk@innboard.demo'"))[0]!.id;
    let referencedOther = false;
    const idFor = (field: string) => {
      if (field === 'propertyId') return harbor;
      referencedOther = true;
      if (/^(user|assignee|attendant)Id$/.test(field)) return harborUserId;
      const table = snake(field.replace(/Ids?$/, ''));
      return foreign.get(table) ?? foreign.get(table.split('_').pop()!) ?? randomUUID();
    };
    const commands = protocolDocument().commands;
    const users = DEMO_USERS.filter((u) => u.property === 'demo' && u.role !== 'admin'); // admin is a member of both hotels
    const eventsBefore = Number((await q<{ n: string }>('select count(*) as n from event_log'))[0]!.n);
    const codes: Record<string, number> = {};
    const violations: string[] = [];
    let probes = 0;
    await Promise.all(users.map(async (u) => {
      const c = await loginAndConnect(server.url, u.email);
      const permissions = new Set(c.session.user.memberships.find((m) => m.propertyId === demo)!.permissions);
      for (const cmd of commands) {
        referencedOther = false;
        const foreignPayload = sample(cmd.payload as Schema, '', idFor) as Record<string, unknown>;
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
          const okLeak = ack?.ok === true && (shape === 'foreign' || ack.seq !== undefined || foreignIds.some((fid) => JSON.stringify(ack.result ?? null).includes(fid)));
          const bad = okLeak || code === 'NO ANSWER' || code === 'INTERNAL' || (code === 'FORBIDDEN' && !allowedForbidden) || (ack && !ack.ok && JSON.stringify(ack).includes('Harbor'));
          if (bad) violations.push(`${u.role} ${cmd.type} (${shape}): ${code}${ack && !ack.ok ? ` ${ack.error.message}` : ''}`);
        }
      }
      c.close();
    }));
    const eventsAfter = Number((await q<{ n: string }>('select count(*) as n from event_log'))[0]!.n);
    if (eventsAfter !== eventsBefore) violations.push(`${eventsAfter - eventsBefore} events committed`);
    record({ table: 'attacks', scenario: `Authorization matrix (${commands.length} commands x ${users.length} roles x foreign/mixed payloads)`, probes, refused: probes - violations.length,
      violations: violations.length, figures: `answers: ${Object.entries(codes).map(([k, v]) => `${k} ${v}`).join(', ')}; events written: ${eventsAfter - eventsBefore}; Harbor rows referenced from ${foreign.size} tables` });
    expect(violations).toEqual([]);
  });
});
