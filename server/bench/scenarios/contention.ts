import type { BenchContext, ScenarioResult } from '../lib/context.ts';

export async function contention(ctx: BenchContext): Promise<ScenarioResult> {
  void ctx;
  return { id: 'contention', title: 'contention', status: 'skipped', reason: 'not written yet', figures: [], tables: [], targets: [], load: [] };
}
