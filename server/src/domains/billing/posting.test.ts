import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAndConnect, startTestServer, type TestServer } from '../../testing/factory.ts';
import { errorCode, hotelOf, ok, type Conn, type Hotel } from '../reservations/testing.ts';
import { postCharge, postStayNight } from './posting.ts';
import { guestFolio, runInUnitOfWork, stay } from './testing.ts';

describe('the posting service other domains call: city tax, idempotent night postings', () => {
  let server: TestServer;
  let desk: Conn;
  let manager: Conn;
  let h: Hotel;

  beforeAll(async () => {
    server = await startTestServer();
    [desk, manager] = await Promise.all(['frontdesk@innboard.demo', 'manager@innboard.demo'].map((e) => loginAndConnect(server.url, e)));
    h = await hotelOf(desk);
  });
  afterAll(async () => {
    for (const c of [desk, manager]) c?.close();
    await server?.stop();
  });

  it('posts room and city tax per person per night; a re-run posts nothing twice', async () => {
    expect(errorCode(await desk.command('billing.configure', { propertyId: desk.propertyId, cityTaxPerPersonNight: 250 }))).toBe('FORBIDDEN');
    ok(await manager.command('billing.configure', { propertyId: desk.propertyId, cityTaxPerPersonNight: 250, cityTaxChildren: false }));
    const res = await stay(desk, h, 'Family', { adults: 2, children: 1 });
    const night = () => runInUnitOfWork(server, desk.propertyId, async (ctx) => {
      await postStayNight(ctx, { reservationId: res, date: h.day(0), roomAmount: 14000 });
    });
    const events = await night();
    expect(events.filter((e) => e.type === 'folio.updated')).toHaveLength(2);
    expect(await night()).toEqual([]);
    const folio = await guestFolio(desk, res);
    expect(folio.lines.map((l) => [l.department, l.quantity, l.unitAmount, l.amount, l.businessDate])).toEqual([
      ['room', 1, 14000, 14000, h.day(0)],
      ['city_tax', 2, 250, 500, h.day(0)],
    ]);
    // Children pay too once configured; the next night counts three people.
    ok(await manager.command('billing.configure', { propertyId: desk.propertyId, cityTaxChildren: true }));
    await runInUnitOfWork(server, desk.propertyId, async (ctx) => {
      await postStayNight(ctx, { reservationId: res, date: h.day(1), roomAmount: 14000 });
    });
    expect((await guestFolio(desk, res)).lines.at(-1)).toMatchObject({ department: 'city_tax', quantity: 3, amount: 750 });
    expect((await guestFolio(desk, res)).balance).toBe(14000 + 500 + 14000 + 750);
  });

  it('a sourceRef posts once (POS post-to-room retried) and a rolled-back caller leaves nothing', async () => {
    const res = await stay(desk, h, 'Pos');
    const post = () => runInUnitOfWork(server, desk.propertyId, async (ctx) => {
      await postCharge(ctx, { reservationId: res, department: 'food', description: 'Table 4', amount: 3200, sourceRef: 'pos:order-1' });
    });
    await post();
    await post();
    expect((await guestFolio(desk, res)).balance).toBe(3200);
    await expect(runInUnitOfWork(server, desk.propertyId, async (ctx) => {
      await postCharge(ctx, { reservationId: res, department: 'minibar', description: 'Nuts', amount: 500 });
      throw new Error('the caller failed after posting');
    })).rejects.toThrow('the caller failed');
    expect((await guestFolio(desk, res)).balance).toBe(3200);
  });
});
