import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestGetResult, GuestView, ReservationCreateResult } from '@innboard/shared';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, hotelOf, ok, sql, type Conn, type Hotel } from './testing.ts';

describe('guests: profiles, duplicates, masking, stay history', () => {
  let server: TestServer;
  let desk: Conn;
  let hk: Conn;
  let h: Hotel;
  const create = (fields: Record<string, unknown>, id?: string) =>
    desk.command<{ guestId: string; guest: GuestView }>('guest.create', { propertyId: desk.propertyId, firstName: 'Grace', lastName: 'Hopper', ...fields }, id);

  beforeAll(async () => {
    server = await startTestServer();
    [desk, hk] = await Promise.all(['frontdesk@innboard.demo', 'housekeeping@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, hk]) c?.close();
    await server?.stop();
  });

  it('creates a profile; the event every board hears carries no contact data', async () => {
    const commandId = randomUUID();
    const g = ok(await create({ email: 'Grace@Example.com', phone: '+1 (555) 010-2030', document: { type: 'passport', number: 'X12345678', country: 'us' }, vip: true }, commandId));
    expect(g.guest).toMatchObject({ name: 'Hopper, Grace', email: 'grace@example.com', phone: '+15550102030', vip: true, document: { type: 'passport', numberMasked: '*****5678', country: 'US' } });
    const event = await hk.waitForEvent((e) => e.type === 'guest.created' && (e.payload as { guest: { id: string } }).guest.id === g.guestId);
    expect(event.payload).toEqual({ guest: { id: g.guestId, name: 'Hopper, Grace', vip: true } });
    // The number is stored in full; the audit trail only has it masked, like the contact data.
    const [stored] = await sql<{ document_number: string }>(server, 'select document_number from guest where id = ?', [g.guestId]);
    expect(stored!.document_number).toBe('X12345678');
    const [audit] = await sql<{ changes: unknown }>(server, 'select changes from audit_outbox where command_id = ?', [commandId]);
    const text = JSON.stringify(audit!.changes);
    for (const secret of ['grace@example.com', '+15550102030', 'X12345678', 'Grace', 'Hopper']) expect(text).not.toContain(secret);
    expect(text).toContain('g***@example.com');
  });

  it('detects duplicates by email or phone (ignoring case and formatting) unless told otherwise', async () => {
    const dupe = await create({ firstName: 'G.', email: 'GRACE@example.com' });
    expect(dupe).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { duplicates: [{ name: 'Hopper, Grace', matchedOn: ['email'] }] } } });
    const byPhone = await create({ firstName: 'Other', lastName: 'Person', phone: '+1 555 010 2030' });
    expect(byPhone).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { duplicates: [{ matchedOn: ['phone'] }] } } });
    ok(await create({ firstName: 'Other', lastName: 'Person', phone: '+1 555 010 2030', allowDuplicate: true }));
  });

  it('finds guests by name, email or phone; the housekeeper may not look', async () => {
    const byName = ok(await desk.command<{ guests: GuestView[] }>('guest.search', { propertyId: desk.propertyId, query: 'hopp' }));
    expect(byName.guests.map((g) => g.name)).toEqual(['Hopper, Grace']);
    expect(ok(await desk.command<{ guests: GuestView[] }>('guest.search', { propertyId: desk.propertyId, query: 'grace@EXAMPLE' })).guests).toHaveLength(1);
    expect(ok(await desk.command<{ guests: GuestView[] }>('guest.search', { propertyId: desk.propertyId, query: '010-2030' })).guests).toHaveLength(2);
    expect(errorCode(await hk.command('guest.search', { propertyId: desk.propertyId, query: 'hopp' }))).toBe('FORBIDDEN');
  });

  it('updates with a version check; renaming tells the boards', async () => {
    const g = ok(await create({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }));
    const renamed = ok(await desk.command<{ guest: GuestView }>('guest.update', { guestId: g.guestId, version: g.guest.version, lastName: 'King', preferences: { floor: 3 } }));
    expect(renamed.guest).toMatchObject({ name: 'King, Ada', preferences: { floor: 3 }, version: g.guest.version + 1 });
    await hk.waitForEvent((e) => e.type === 'guest.updated' && (e.payload as { guest: { name: string } }).guest.name === 'King, Ada');
    expect(errorCode(await desk.command('guest.update', { guestId: g.guestId, version: g.guest.version, firstName: 'Augusta' }))).toBe('CONFLICT');
    expect(errorCode(await desk.command('guest.update', { guestId: g.guestId, version: renamed.guest.version, email: 'not-an-email' }))).toBe('VALIDATION');
  });

  it('a returning guest (same name and email) is recognised when booking; stays show in the history', async () => {
    const first = ok(await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: h.type('STD').id, roomId: h.room('103').id, arrival: h.day(0), departure: h.day(1), adults: 1,
      guest: { firstName: 'grace', lastName: 'HOPPER', email: 'grace@example.com' },
    }));
    const [original] = await sql<{ id: string }>(server, `select id from guest where email = 'grace@example.com'`);
    expect(first.guestId).toBe(original!.id);
    ok(await desk.command('reservation.checkIn', { reservationId: first.reservationId }));
    const other = ok(await desk.command<ReservationCreateResult>('reservation.create', {
      propertyId: desk.propertyId, roomTypeId: h.type('STD').id, arrival: h.day(5), departure: h.day(6), adults: 1, guest: { firstName: 'Grace', lastName: 'Jones', email: 'grace@example.com' },
    }));
    expect(other.guestId).not.toBe(original!.id);
    const history = ok(await desk.command<GuestGetResult>('guest.get', { guestId: original!.id }));
    expect(history.guest.stayCount).toBe(1);
    expect(history.stays).toEqual([expect.objectContaining({ reservationId: first.reservationId, status: 'checked_in', roomNumber: '103', arrival: h.day(0) })]);
    // Reservation events name the guest for the boards but never carry contact data.
    const [leak] = await sql<{ n: number }>(server, `select count(*)::int as n from event_log where payload::text like '%grace@example.com%' or payload::text like '%5550102030%'`);
    expect(leak!.n).toBe(0);
  });
});
