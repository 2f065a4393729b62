// Helpers for the billing medium tests (real server, real sockets, real Postgres).
import type { FolioGetResult, FolioView, ReservationCreateResult } from '@innboard/shared';
import type { TestServer } from '../../testing/factory.ts';
import { guest, ok, type Conn, type Hotel } from '../reservations/testing.ts';
import type { PostingContext } from './posting.ts';

/** Books a stay from today for `nights` and, unless `arrive` is false, assigns a room and checks the guest in. */
export async function stay(desk: Conn, h: Hotel, name: string, opts: { nights?: number; arrive?: boolean; adults?: number; children?: number; from?: number; type?: string } = {}): Promise<string> {
  const from = opts.from ?? 0;
  const res = ok(await desk.command<ReservationCreateResult>('reservation.create', {
    propertyId: desk.propertyId, roomTypeId: h.type(opts.type ?? 'DLX').id, arrival: h.day(from), departure: h.day(from + (opts.nights ?? 2)),
    adults: opts.adults ?? 1, children: opts.children ?? 0, guest: guest(name),
  }));
  if (opts.arrive !== false) {
    ok(await desk.command('reservation.autoAssign', { reservationId: res.reservationId }));
    ok(await desk.command('reservation.checkIn', { reservationId: res.reservationId }));
  }
  return res.reservationId;
}

export async function foliosOf(conn: Conn, reservationId: string): Promise<FolioView[]> {
  return ok(await conn.command<FolioGetResult>('folio.get', { reservationId })).folios;
}

export async function guestFolio(conn: Conn, reservationId: string): Promise<FolioView> {
  return (await foliosOf(conn, reservationId)).find((f) => f.kind === 'guest')!;
}

/**
 * Runs `work` in one transaction with a system posting context, as the night audit or POS would
 * call the posting service inside their own unit of work. Returns the events it emitted.
 */
export async function runInUnitOfWork(server: TestServer, propertyId: string, work: (ctx: PostingContext) => Promise<void>): Promise<Array<{ type: string; payload: unknown }>> {
  const emitted: Array<{ type: string; payload: unknown }> = [];
  await server.app.orm.em.fork().transactional(async (em) => {
    await work({ em, propertyId, now: new Date(), actor: null, emit: (event, payload) => emitted.push({ type: event.type, payload }), recordChange: () => {} });
  });
  return emitted;
}
