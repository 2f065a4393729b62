// Boards spread over several generator processes, and the fan-out arithmetic on what they saw.
import type { BenchContext } from './context.ts';
import { percentile } from './stats.ts';
import { startLoadgens, stopAll, type Loadgen } from './workers.ts';

export interface Collected { arrivals: Array<[number, number[]]>; stamped: Array<[number, number]> }

export class BoardFleet {
  readonly gens: Loadgen[];
  connected = 0;
  constructor(ctx: BenchContext, processes: number) {
    this.gens = startLoadgens(processes);
    ctx.defer(() => this.stop());
  }

  /** Adds `count` boards, split evenly over the processes. */
  async connect(url: string, tokens: string[], count: number) {
    const per = Math.ceil(count / this.gens.length);
    const res = await Promise.all(this.gens.map((g, i) => g.run<{ connected: number; failed: number; firstError: string; ms: number }>({
      kind: 'boards.connect', url, tokens, count: Math.max(0, Math.min(per, count - i * per)), concurrency: 50,
    })));
    this.connected = res.reduce((a, r) => a + r.connected, 0);
    const failed = res.reduce((a, r) => a + r.failed, 0);
    if (failed) throw new Error(`${failed} boards failed to connect: ${res.find((r) => r.firstError)?.firstError}`);
    return { connected: this.connected, ms: Math.max(...res.map((r) => r.ms)) };
  }

  async collect<T>(propertyId: string | undefined, fn: () => Promise<T>, graceMs = 500): Promise<{ result: T; seen: Map<number, { arrivals: number[]; at: number | null }> }> {
    await Promise.all(this.gens.map((g) => g.run({ kind: 'boards.collect.start', propertyId })));
    const result = await fn();
    await new Promise((r) => setTimeout(r, graceMs));
    const parts = await Promise.all(this.gens.map((g) => g.run<Collected>({ kind: 'boards.collect.stop' })));
    const seen = new Map<number, { arrivals: number[]; at: number | null }>();
    for (const p of parts) {
      const stamps = new Map(p.stamped);
      for (const [seq, times] of p.arrivals) {
        const entry = seen.get(seq) ?? { arrivals: [], at: stamps.get(seq) ?? null };
        entry.arrivals.push(...times);
        seen.set(seq, entry);
      }
    }
    return { result, seen };
  }

  async close() {
    await Promise.all(this.gens.map((g) => g.run({ kind: 'boards.close' })));
    this.connected = 0;
  }

  stop() {
    return stopAll(this.gens);
  }
}

export interface FanoutStats {
  events: number;
  /** Deliveries seen / deliveries expected (events x boards). */
  delivered: number;
  allFromSendP50: number | null; allFromSendP99: number | null;
  allFromAckP50: number | null; allFromAckP99: number | null;
  allFromAtP50: number | null; allFromAtP99: number | null;
  eachP50: number | null; eachP99: number | null;
}

/** marks: [seq, sentAt, ackAt] per command, wall-clock ms. "all" = until the last board had it. */
export function fanoutStats(marks: Array<[number, number, number]>, seen: Map<number, { arrivals: number[]; at: number | null }>, boards: number): FanoutStats {
  const fromSend: number[] = [];
  const fromAck: number[] = [];
  const fromAt: number[] = [];
  const each: number[] = [];
  let delivered = 0;
  for (const [seq, sentAt, ackAt] of marks) {
    const s = seen.get(seq);
    if (!s || s.arrivals.length === 0) continue;
    delivered += s.arrivals.length;
    const last = Math.max(...s.arrivals);
    fromSend.push(last - sentAt);
    fromAck.push(last - ackAt);
    if (s.at !== null) fromAt.push(last - s.at);
    for (const t of s.arrivals) each.push(t - sentAt);
  }
  return {
    events: marks.length,
    delivered: marks.length && boards ? delivered / (marks.length * boards) : 0,
    allFromSendP50: percentile(fromSend, 50), allFromSendP99: percentile(fromSend, 99),
    allFromAckP50: percentile(fromAck, 50), allFromAckP99: percentile(fromAck, 99),
    allFromAtP50: percentile(fromAt, 50), allFromAtP99: percentile(fromAt, 99),
    eachP50: percentile(each, 50), eachP99: percentile(each, 99),
  };
}
