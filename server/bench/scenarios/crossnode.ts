import type { BenchContext, ScenarioResult } from '../lib/context.ts';

export async function crossnode(ctx: BenchContext): Promise<ScenarioResult> {
  void ctx;
  return { id: 'crossnode', title: 'crossnode', status: 'skipped', reason: 'not written yet', figures: [], tables: [], targets: [], load: [] };
}
