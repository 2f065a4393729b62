import type { BenchContext, ScenarioResult } from '../lib/context.ts';
import type { TransportKind } from '../lib/server-process.ts';
export async function fanout(ctx: BenchContext, transport: TransportKind): Promise<ScenarioResult> {
  void ctx;
  return { id: 'fanout', title: 'fanout', status: 'skipped', reason: 'not written yet', figures: [], tables: [], targets: [], load: [] };
}
