import type { BenchContext, ScenarioResult } from '../lib/context.ts';

export async function transports(ctx: BenchContext): Promise<ScenarioResult> {
  void ctx;
  return { id: 'transports', title: 'transports', status: 'skipped', reason: 'not written yet', figures: [], tables: [], targets: [], load: [] };
}
