// Each scenario records its figures here; report.ts prints them as one table when the run ends.
import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../../.tmp/faults/', import.meta.url));
export const RESULTS_FILE = `${RESULTS_DIR}results.jsonl`;

/** A fault: commands sent while something broke, and what became of them. */
export interface FaultFigures {
  table: 'faults';
  scenario: string;
  sent: number;
  acked: number;
  /** Acked but not in the database (must be 0). */
  lost: number;
  /** In the database more than once, or audited more than once (must be 0). */
  duplicated: number;
  /** Answered UNAVAILABLE (or refused) during the outage instead of hanging. */
  unavailable: number;
  /** From the fault's end (process back / signal) to the first ok ack on the affected path. */
  recoverMs: number | null;
  boardsConverged: string;
  notes?: string;
}

/** An attack: probes sent and how many got through (must be 0). */
export interface AttackFigures {
  table: 'attacks';
  scenario: string;
  probes: number;
  /** Answered with the expected refusal (or answer) for the probe. */
  refused: number;
  /** Anything that got through: wrong answer, a leak, a row written, a crash (must be 0). */
  violations: number;
  figures: string;
}

export function record(row: FaultFigures | AttackFigures): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  appendFileSync(RESULTS_FILE, `${JSON.stringify(row)}\n`);
}
