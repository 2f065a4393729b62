import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type Ack } from '@innboard/shared';
import { loginAndConnect, startTestServer, TRANSPORTS, type TestServer } from '../testing/factory.ts';

/** Small deterministic PRNG so a failing fuzz run can be replayed from its seed. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['room.setStatus', 'room.create', 'room.update', 'nope', '', 'room.', '__proto__', 'constructor'];

function randomValue(rnd: () => number, depth = 0): unknown {
  const pick = Math.floor(rnd() * (depth > 2 ? 7 : 9));
  switch (pick) {
    case 0: return null;
    case 1: return Math.floor(rnd() * 2 ** 40) * (rnd() < 0.5 ? -1 : 1);
    case 2: return rnd() < 0.5;
    case 3: return 'x'.repeat(Math.floor(rnd() * 300));
    case 4: return randomUUID();
    case 5: return ['clean', 'dirty', 'inspected', 'out_of_order', 'CLEAN', '🧹'][Math.floor(rnd() * 6)];
    case 6: return rnd() * 1e6;
    case 7: return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1));
    default: {
      const keys = ['id', 'type', 'payload', 'roomId', 'status', 'propertyId', 'number', 'floor', 'roomTypeId', 'version', '__proto__'];
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 5) }, () => [keys[Math.floor(rnd() * keys.length)]!, randomValue(rnd, depth + 1)]));
    }
  }
}

function randomEnvelope(rnd: () => number): unknown {
  const shape = rnd();
  if (shape < 0.2) return randomValue(rnd);
  const env: Record<string, unknown> = {
    id: rnd() < 0.8 ? randomUUID() : randomValue(rnd),
    type: rnd() < 0.8 ? TYPES[Math.floor(rnd() * TYPES.length)] : randomValue(rnd),
    payload: randomValue(rnd),
  };
  if (rnd() < 0.1) delete env.id;
  return env;
}

describe.each(TRANSPORTS)('fuzzed envelopes over %s', (transport) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ transport, env: { COMMANDS_PER_SECOND: '100000' } });
  });
  afterAll(() => server?.stop());

  it('answers every random envelope with a contract error, stays up and writes nothing', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261122);
    const rnd = mulberry32(seed);
    const admin = await loginAndConnect(server.url, 'admin@innboard.demo');
    const db = server.app.orm.em.fork();
    const fingerprint = async () =>
      (await db.execute<{ f: string }[]>(
        `select (select count(*) from event_log) || ':' || (select count(*) from room) || ':' ||
                (select coalesce(sum(version), 0) from room) || ':' || (select count(*) from room_type) as f`,
      ))[0]!.f;
    const before = await fingerprint();

    const acks: Ack[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const envelopes = Array.from({ length: 50 }, () => randomEnvelope(rnd));
      acks.push(...(await Promise.all(envelopes.map((e) => admin.socket.timeout(10_000).emitWithAck('command', e) as Promise<Ack>))));
    }
    expect(acks).toHaveLength(500);
    for (const ack of acks) {
      expect(ack.ok, `seed ${seed}: ${JSON.stringify(ack)}`).toBe(false);
      if (!ack.ok) {
        expect(ERROR_CODES).toContain(ack.error.code);
        expect(ack.error.code).not.toBe('INTERNAL');
        expect(JSON.stringify(ack.error)).not.toMatch(/at .*\.ts:\d+|select |insert |stack/i);
      }
    }
    expect(await fingerprint()).toBe(before);
    // Still serving real work afterwards.
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    admin.close();
  });
});
