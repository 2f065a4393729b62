// globalSetup: starts the results file empty, prints the table of every scenario's figures at the end
// (also written to .tmp/faults/table.md, which docs/reliability.md copies).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { RESULTS_DIR, RESULTS_FILE, type AttackFigures, type FaultFigures } from './figures.ts';

const ms = (v: number | null) => (v === null ? '-' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

function markdown(rows: Array<FaultFigures | AttackFigures>): string {
  const faults = rows.filter((r): r is FaultFigures => r.table === 'faults');
  const attacks = rows.filter((r): r is AttackFigures => r.table === 'attacks');
  const out: string[] = [];
  if (faults.length) {
    out.push('| Fault | Sent | Acked | Lost | Duplicated | UNAVAILABLE | Time to recover | Boards converged | Notes |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---|---|');
    for (const f of faults) out.push(`| ${f.scenario} | ${f.sent} | ${f.acked} | ${f.lost} | ${f.duplicated} | ${f.unavailable} | ${ms(f.recoverMs)} | ${f.boardsConverged} | ${f.notes ?? ''} |`);
  }
  if (attacks.length) {
    if (out.length) out.push('');
    out.push('| Attack | Probes | Refused as expected | Violations | Figures |');
    out.push('|---|---:|---:|---:|---|');
    for (const a of attacks) out.push(`| ${a.scenario} | ${a.probes} | ${a.refused} | ${a.violations} | ${a.figures} |`);
  }
  return out.join('\n');
}

export default function setup() {
  rmSync(RESULTS_FILE, { force: true });
  return () => {
    if (!existsSync(RESULTS_FILE)) return;
    const rows = readFileSync(RESULTS_FILE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as FaultFigures | AttackFigures);
    const table = markdown(rows);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}table.md`, `${table}\n`);
    console.log(`\nFaults and attacks (${RESULTS_DIR}table.md):\n\n${table}\n`);
  };
}
