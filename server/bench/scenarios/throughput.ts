import type { BenchContext, ScenarioResult } from '../lib/context.ts';

export async function throughput(ctx: BenchContext): Promise<ScenarioResult> {
  void ctx;
  return { id: 'throughput', title: 'throughput', status: 'skipped', reason: 'not written yet', figures: [], tables: [], targets: [], load: [] };
}
