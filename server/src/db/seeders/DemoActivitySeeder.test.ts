import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/factory.ts';
import { addDays } from '../../domains/property/hotel-date.ts';
import { inventoryMismatches, sql } from '../../domains/reservations/testing.ts';
import { DEMO_HOTEL_NAME, seedDemoActivity } from './DemoActivitySeeder.ts';

describe('demo activity seeder', () => {
  let server: TestServer;
  let propertyId: string;
  let today: string;
  const one = async <T>(query: string, params: unknown[] = []) => (await sql<T>(server, query, params))[0]!;

  beforeAll(async () => {
    // A fresh clone of the test template: the same empty hotel every other test starts from.
    server = await startTestServer();
    ({ id: propertyId, business_date: today } = await one<{ id: string; business_date: string }>('select id, business_date from property where name = ?', [DEMO_HOTEL_NAME]));
  });
  afterAll(async () => server?.stop());

  it('starts from a hotel without guests (the template stays empty)', async () => {
    expect(await one<{ n: string }>('select count(*) as n from reservation')).toEqual({ n: '0' });
  });

  it('fills the demo hotel within the inventory rules, once', async () => {
    const first = await seedDemoActivity(server.app.orm);
    expect(first?.reservations).toBeGreaterThan(50);
    expect(await inventoryMismatches(server)).toEqual([]);
    // A second start (or a second node) adds nothing.
    expect(await seedDemoActivity(server.app.orm)).toBeNull();
    expect(await one<{ n: string }>('select count(*) as n from reservation')).toEqual({ n: String(first!.reservations) });
    // A few hundred bookings through the real services: 15-25 s on a busy CI machine.
  }, 120_000);

  it('sells 50-70 % of the rooms on each of the next two weeks, on average 55-70 %', async () => {
    const rows = await sql<{ date: string; share: number }>(server, `
      select n.date, sum(n.sold)::float / sum(n.capacity + (select count(*) from room_block b join room r on r.id = b.room_id
        where r.room_type_id = n.room_type_id and b.kind = 'out_of_order' and b.from_date <= n.date and b.to_date > n.date)) as share
      from room_type_night n where n.property_id = ? and n.date >= ? and n.date < ? group by n.date order by n.date`, [propertyId, today, addDays(today, 14)]);
    expect(rows).toHaveLength(14);
    for (const r of rows) expect(r.share, r.date).toBeGreaterThanOrEqual(0.45);
    for (const r of rows) expect(r.share, r.date).toBeLessThanOrEqual(0.7);
    const average = rows.reduce((s, r) => s + r.share, 0) / rows.length;
    expect(average).toBeGreaterThanOrEqual(0.55);
  });

  it('has the life a front desk and housekeeping expect to see', async () => {
    const count = async (where: string, params: unknown[] = []) => Number((await one<{ n: string }>(`select count(*) as n from reservation r where r.property_id = ? and ${where}`, [propertyId, ...params])).n);
    const assigned = "exists (select 1 from room_occupancy o where o.reservation_id = r.id)";
    expect(await count("status = 'checked_in' and departure > ?", [today])).toBeGreaterThanOrEqual(10);
    expect(await count("status = 'checked_in' and departure = ?", [today])).toBeGreaterThanOrEqual(1);
    expect(await count("status = 'checked_out' and departure = ?", [today])).toBeGreaterThanOrEqual(1);
    expect(await count(`status in ('tentative', 'confirmed') and arrival = ? and ${assigned}`, [today])).toBeGreaterThanOrEqual(3);
    expect(await count(`status in ('tentative', 'confirmed') and arrival > ? and not ${assigned}`, [today])).toBeGreaterThanOrEqual(10);
    expect(await count('group_id is not null')).toBeGreaterThanOrEqual(1);
    const ticket = await one<{ status: string; room_block_id: string | null; room_status: string }>(
      "select t.status, t.room_block_id, r.status as room_status from maintenance_ticket t join room r on r.id = t.room_id where t.out_of_order",
    );
    expect(ticket).toMatchObject({ status: 'open', room_block_id: expect.any(String), room_status: 'out_of_order' });
    const cleans = await sql<{ status: string; room_status: string }>(server,
      "select t.status, r.status as room_status from housekeeping_task t join room r on r.id = t.room_id where t.type = 'departure_clean'");
    expect(cleans.length).toBeGreaterThanOrEqual(1);
    expect(cleans.every((c) => c.status === 'open' && c.room_status === 'dirty')).toBe(true);
    expect(await one<{ n: string }>("select count(*) as n from housekeeping_task where type = 'stayover' and status = 'open'")).not.toEqual({ n: '0' });
  });

  it('shows billing working: folios with room nights and payments for in-house guests, a pending refund, two invoices', async () => {
    const inHouseWithCharges = await one<{ n: string }>(`select count(distinct f.reservation_id) as n from folio f join folio_line l on l.folio_id = f.id
      join reservation r on r.id = f.reservation_id where r.status = 'checked_in' and l.department = 'room'`);
    expect(Number(inHouseWithCharges.n)).toBeGreaterThanOrEqual(5);
    expect(Number((await one<{ n: string }>("select count(*) as n from folio_line where department = 'city_tax'")).n)).toBeGreaterThanOrEqual(5);
    expect(Number((await one<{ n: string }>('select count(*) as n from payment')).n)).toBeGreaterThanOrEqual(2);
    expect(await sql(server, "select amount from refund where status = 'pending'")).toEqual([{ amount: 1500 }]);
    expect(await sql(server, "select number from invoice where kind = 'invoice' order by number")).toEqual([{ number: 1 }, { number: 2 }]);
    // Nothing was posted twice: one room line per stay and night.
    expect(await sql(server, "select source_ref from folio_line where source_ref is not null group by source_ref having count(*) > 1")).toEqual([]);
  });
});
