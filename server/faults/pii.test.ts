// PII read back from where it could leak: a node's pino output (captured at debug level, the chattiest)
// and the audit sink's rows (audit_log, the Postgres sink, plus the outbox it is shipped from), after a
// front desk created a guest with an e-mail, a phone and a passport, booked for a new guest, changed the
// phone, wrote both and document numbers into notes, and someone failed to log in with the guest's address.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createTestDatabase } from '../src/testing/databases.ts';
import { loginAndConnect } from '../src/testing/factory.ts';
import { waitFor } from '../src/testing/cluster.ts';
import { record } from './figures.ts';

const PII = {
  email: 'maria.zyxwandt@example.org', secondEmail: 'booker.qvarnlund@example.net', phone: '+49 170 5550123', phoneDigits: '1705550123',
  newPhone: '+44 20 7946 0958', newPhoneDigits: '2079460958', passport: 'PX99887766', bookerPhone: '+33 6 12 34 56 78',
  notePassport: 'C01X00T47', noteIdCard: 'T22000129', noteLicence: '5A7781234', noteGroupedPassport: 'C02 X11 T58',
  noteGroupedLicence: 'AB 40 71 93',
};
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('PII in logs and in the audit sink', () => {
  let app: App;
  let url: string;
  const logLines: string[] = [];
  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', TRANSPORT: 'uws', DATABASE_URL: await createTestDatabase(inject('pgAdminUrl')),
      SEED_DEMO: 'false', LOG_LEVEL: 'debug', AUDIT_RELAY_INTERVAL_MS: '100',
    });
    app = await createApp(config, createLogger('debug', { write: (line: string) => void logLines.push(line) }));
    url = `http://127.0.0.1:${await app.listen()}`;
  });
  afterAll(() => app?.stop());

  it('masks guest documents, e-mails and phones in the log and in every audit row', async () => {
    const q = <T>(sql: string, params: unknown[] = []) => app.orm.em.fork().execute<T[]>(sql, params);
    const desk = await loginAndConnect(url, 'frontdesk@innboard.demo');
    const roomTypeId = (await q<{ id: string }>('select id from room_type where property_id = ? order by name limit 1', [desk.propertyId]))[0]!.id;
    const acks: Array<{ ok: boolean }> = [];
    let readable = '(no note written)';
    const guest = await desk.command<{ guestId: string; guest: { version: number } }>('guest.create', {
      propertyId: desk.propertyId, firstName: 'Maria', lastName: 'Zyxwandt', email: PII.email, phone: PII.phone,
      document: { type: 'passport', number: PII.passport, country: 'DE' }, notes: `Travels with her husband, passport ${PII.notePassport}`,
    });
    acks.push(guest);
    if (!guest.ok) throw new Error(`guest.create: ${JSON.stringify(guest)}`);
    acks.push(await desk.command('guest.update', { guestId: guest.result.guestId, version: guest.result.guest.version, phone: PII.newPhone }));
    const booking = await desk.command<{ reservationId: string }>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId, arrival: day(60), departure: day(62), adults: 1,
      guest: { firstName: 'Booker', lastName: 'Qvarnlund', email: PII.secondEmail, phone: PII.bookerPhone },
    });
    acks.push(booking);
    if (booking.ok) {
      acks.push(await desk.command('reservation.addNote', { reservationId: booking.result.reservationId, text: `Call ${PII.phone} or mail ${PII.email}; passport on file` }));
      // Document numbers typed into a note, some in groups, beside what must stay readable: the words right after
      // the number, a booking reference as the board shows it (an id's first 8 hex digits), a date, a time, an amount, a room.
      readable = 'on file. Booking 4F53A8B0 moved: deposit EUR 12500.00 due 2027-03-10 18:00, room 1204';
      acks.push(await desk.command('reservation.addNote', {
        reservationId: booking.result.reservationId,
        text: `ID card ${PII.noteIdCard}, driving licence ${PII.noteLicence} and licence: ${PII.noteGroupedLicence} copied, passport ${PII.noteGroupedPassport} ${readable}`,
      }));
    }
    // A failing command with the PII in its payload (the guest does not exist), and a failed login with the address.
    acks.push(await desk.command('guest.update', { guestId: randomUUID(), version: 1, email: PII.email, phone: PII.phone }));
    await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: PII.email, password: 'not-the-password' }) });
    desk.close();

    // The relay ships the outbox to the sink: wait until every row arrived.
    await waitFor('audit rows shipped', async () => {
      const [o] = await q<{ n: string }>('select count(*) as n from audit_outbox');
      const [s] = await q<{ n: string }>('select count(*) as n from audit_log');
      return Number(s!.n) >= Number(o!.n) && Number(o!.n) > 0;
    });
    const auditRows = (await q<{ t: string }>('select row_to_json(a)::text as t from audit_log a'))
      .concat(await q<{ t: string }>('select row_to_json(o)::text as t from audit_outbox o'))
      .map((r) => r.t);

    const needles = Object.values(PII);
    const leaks: string[] = [];
    const leaked = new Set<string>();
    // Digit-only forms also match with separators in between (a phone re-formatted by a normaliser), grouped
    // document numbers with any separators between their groups.
    const escape = (n: string) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = (n: string) => (/^\d+$/.test(n) ? new RegExp(n.split('').join('\\D{0,3}')) : new RegExp(n.split(/[ -]/).map(escape).join('\\W{0,3}')));
    const scan = (where: string, texts: string[]) => {
      for (const t of texts) {
        for (const n of needles) {
          if (!pattern(n).test(t)) continue;
          leaks.push(`${where}: ${n} in ${t.slice(0, 200)}`);
          leaked.add(`${where} ${n}`);
        }
      }
    };
    scan('log', logLines);
    scan('audit', auditRows);
    const maskedSeen = auditRows.filter((t) => t.includes('m***@example.org')).length;
    const readableSeen = auditRows.filter((t) => t.includes(readable)).length;
    record({ table: 'attacks', scenario: 'PII in logs (pino, debug level) and the audit sink (audit_log + outbox)', probes: needles.length * 2, refused: needles.length * 2 - leaked.size,
      violations: leaked.size,
      figures: `${acks.filter((a) => a.ok).length}/${acks.length} commands ok; read ${logLines.length} log lines and ${auditRows.length} audit rows for ${needles.length} values (2 e-mails, 3 phones, 2 digit-only phone forms, 6 document nos., 5 of them in notes, 2 of those written in groups): found ${leaks.length} (${leaked.size} value/place pairs); masked forms seen in audit rows: ${maskedSeen}; rows with the note's words after the number, reference, date, time, amount and room intact: ${readableSeen}` });
    expect(leaks).toEqual([]);
    expect(logLines.length).toBeGreaterThan(5);
    expect(maskedSeen).toBeGreaterThan(0);
    expect(readableSeen).toBeGreaterThan(0);
  });
});
