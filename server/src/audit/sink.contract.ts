// One contract every audit sink must keep (Postgres, Mongo): idempotent writes by id, faithful
// round trips, the filters audit.search offers, newest-first keyset paging.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, AuditSink } from './sink.ts';

export interface SinkFactory {
  /** Resolves the sink, or a reason it cannot run here (the suite is then skipped, loudly). */
  open(): Promise<AuditSink>;
}

const T0 = Date.parse('2026-03-01T08:00:00.000Z');

function record(propertyId: string, i: number, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: randomUUID(),
    at: new Date(T0 + i * 60_000),
    actorId: randomUUID(),
    actorRole: 'front_desk',
    propertyId,
    commandType: 'room.setStatus',
    commandId: randomUUID(),
    entities: [{ type: 'room', id: `room-${i}` }],
    changes: [{ type: 'room', id: `room-${i}`, before: { status: 'clean' }, after: { status: 'dirty' } }],
    outcome: 'ok',
    errorCode: null,
    ...over,
  };
}

export function auditSinkContract(name: string, factory: SinkFactory, skip: string | false = false) {
  describe.skipIf(skip !== false)(`audit sink contract: ${name}`, () => {
    let sink: AuditSink;
    beforeAll(async () => {
      sink = await factory.open();
    });
    afterAll(async () => sink?.close());

    it('answers ping when reachable', async () => {
      await expect(sink.ping()).resolves.toBeUndefined();
    });

    it('round-trips every field', async () => {
      const propertyId = randomUUID();
      const r = record(propertyId, 1, {
        entities: [{ type: 'membership', id: randomUUID() }, { type: 'user', id: randomUUID() }],
        changes: [{ type: 'guest', id: 'g-1', before: { email: 'a***@example.com', vip: false }, after: { email: 'b***@example.com', vip: true, tags: ['x'] } }],
        outcome: 'failed',
        errorCode: 'CONFLICT',
        actorRole: null,
      });
      await sink.write([r]);
      expect(await sink.search({ propertyId, limit: 10 })).toEqual([r]);
    });

    it('stores a record once however often it is shipped, also concurrently', async () => {
      const propertyId = randomUUID();
      const batch = Array.from({ length: 6 }, (_, i) => record(propertyId, i));
      await sink.write(batch.slice(0, 4));
      await sink.write(batch); // overlaps the first four: a relay that crashed before marking them shipped
      await Promise.all([sink.write(batch), sink.write(batch.slice(2)), sink.write([])]);
      const found = await sink.search({ propertyId, limit: 100 });
      expect(found.map((r) => r.id).sort()).toEqual(batch.map((r) => r.id).sort());
    });

    it('filters by time range, actor, entity, command type, outcome and property', async () => {
      const propertyId = randomUUID();
      const actor = randomUUID();
      const rows = [
        record(propertyId, 0, { actorId: actor }),
        record(propertyId, 1, { commandType: 'reservation.create', entities: [{ type: 'reservation', id: 'res-1' }] }),
        record(propertyId, 2, { commandType: 'reservation.cancel', entities: [{ type: 'reservation', id: 'res-1' }], actorId: actor }),
        record(propertyId, 3, { outcome: 'denied', errorCode: 'FORBIDDEN', entities: [], changes: [] }),
        record(propertyId, 4, { commandType: 'reservationist.x' }),
        record(randomUUID(), 5, { actorId: actor }), // another property: never visible here
      ];
      await sink.write(rows);
      const ids = async (q: Omit<Parameters<AuditSink['search']>[0], 'propertyId' | 'limit'>) =>
        (await sink.search({ propertyId, limit: 100, ...q })).map((r) => rows.indexOf(rows.find((x) => x.id === r.id)!));

      expect(await ids({})).toEqual([4, 3, 2, 1, 0]);
      expect(await ids({ from: rows[1]!.at, to: rows[3]!.at })).toEqual([2, 1]);
      expect(await ids({ actorId: actor })).toEqual([2, 0]);
      expect(await ids({ entityType: 'reservation' })).toEqual([2, 1]);
      expect(await ids({ entityType: 'reservation', entityId: 'res-1' })).toEqual([2, 1]);
      expect(await ids({ entityId: 'room-0' })).toEqual([0]);
      expect(await ids({ commandType: 'reservation.create' })).toEqual([1]);
      expect(await ids({ commandType: 'reservation.*' })).toEqual([2, 1]);
      expect(await ids({ outcome: 'denied' })).toEqual([3]);
      expect(await ids({ actorId: actor, commandType: 'reservation.*' })).toEqual([2]);
    });

    it('pages newest first with a keyset cursor, ties in time broken by id, nothing skipped or repeated', async () => {
      const propertyId = randomUUID();
      const sameMinute = Array.from({ length: 4 }, () => record(propertyId, 7));
      const rows = [...Array.from({ length: 7 }, (_, i) => record(propertyId, i)), ...sameMinute];
      await sink.write(rows);
      const expected = [...rows].sort((x, y) => y.at.getTime() - x.at.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0)).map((r) => r.id);
      const seen: string[] = [];
      let before: { at: Date; id: string } | undefined;
      for (let page = 0; page < 10; page++) {
        const got = await sink.search({ propertyId, limit: 3, ...(before ? { before } : {}) });
        seen.push(...got.map((r) => r.id));
        if (got.length < 3) break;
        before = { at: got[2]!.at, id: got[2]!.id };
      }
      expect(seen).toEqual(expected);
    });
  });
}
