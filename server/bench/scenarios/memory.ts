import type { BenchContext, ScenarioResult } from '../lib/context.ts';
import type { TransportKind } from '../lib/server-process.ts';
export async function memory(ctx: BenchContext, transport: TransportKind): Promise<ScenarioResult> {
  void ctx;
  return { id: 'memory', title: 'memory', status: 'skipped', reason: 'not written yet', figures: [], tables: [], targets: [], load: [] };
}
