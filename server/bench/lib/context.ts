// What every scenario gets: options, the bench Postgres, a way to start servers on fresh copies of
// the seeded database, and helpers to turn repetitions into "median (min-max)" cells.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BenchPostgres } from './postgres.ts';
import { BENCH_DIR, startServer, type ServerProcess, type TransportKind } from './server-process.ts';
import { median, spread } from './stats.ts';
import { load1 } from './machine.ts';

export interface BenchOptions {
  quick: boolean;
  transports: TransportKind[];
  cpuProf: boolean;
  /** Warm-up before measuring, per measured configuration. */
  warmupMs: number;
  reps: number;
  repMs: number;
  /** --baseline: another commit's server, run beside this one by the "ab" scenario. */
  baseline?: { root: string; commit: string };
  /** --server: every scenario runs this commit's server instead of this checkout's. */
  server?: { root: string; commit: string };
  /**
   * --node-args: V8/Node flags for every server but the baseline's, so that "ab" with `--baseline HEAD` measures a
   * runtime setting (GC sizes, say) against the same code without it.
   */
  serverNodeArgs: string[];
}

export interface Figure {
  key: string;
  unit: string;
  median: number | null;
  spread: [number, number] | null;
  reps: (number | null)[];
}

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
  bound?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  status: 'ok' | 'skipped' | 'error';
  reason?: string;
  figures: Figure[];
  tables: Table[];
  targets: TargetCheck[];
  /** Load average (1 min) at the start of each measured repetition. */
  load: number[];
  details?: Record<string, unknown>;
  seconds?: number;
}

export class BenchContext {
  readonly opts: BenchOptions;
  readonly pg: BenchPostgres;
  readonly template: string;
  readonly load: number[] = [];
  /** Results of earlier scenarios in this run (transports reads roundtrip and fanout). */
  readonly done = new Map<string, ScenarioResult>();
  private readonly cleanups: Array<() => Promise<void>> = [];

  constructor(opts: BenchOptions, pg: BenchPostgres, template: string) {
    this.opts = opts;
    this.pg = pg;
    this.template = template;
  }

  log(msg: string) {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${load1()}] ${msg}\n`);
  }

  noteLoad(): number {
    const l = load1();
    this.load.push(l);
    return l;
  }

  /** A fresh clone of the seeded template database. */
  async freshDatabase(): Promise<{ name: string; url: string }> {
    const name = `bench_${randomBytes(5).toString('hex')}`;
    const url = await this.pg.createDatabase(name, this.template);
    this.cleanups.push(() => this.pg.dropDatabase(name));
    return { name, url };
  }

  /** The real server on a fresh database (or on `database` when several nodes share one). */
  async startReal(transport: TransportKind, label: string, extra: { database?: { name: string; url: string }; env?: Record<string, string>; root?: string } = {}) {
    const db = extra.database ?? (await this.freshDatabase());
    const server = await startServer({
      transport, label, databaseUrl: db.url, env: extra.env, root: extra.root ?? this.opts.server?.root,
      nodeArgs: [
        ...(extra.root && extra.root === this.opts.baseline?.root ? [] : this.opts.serverNodeArgs),
        ...(this.opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(BENCH_DIR, 'prof')}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`] : []),
      ],
    });
    this.cleanups.push(() => server.stop());
    return { server, db };
  }

  async startBare(transport: TransportKind, label: string, env?: Record<string, string>): Promise<ServerProcess> {
    const server = await startServer({ transport, label, bare: true, env });
    this.cleanups.push(() => server.stop());
    return server;
  }

  defer(fn: () => Promise<void>) {
    this.cleanups.push(fn);
  }

  async cleanup() {
    for (const fn of this.cleanups.splice(0).reverse()) await fn().catch((e) => this.log(`cleanup: ${(e as Error).message}`));
  }
}

export function figure(key: string, unit: string, reps: (number | null)[]): Figure {
  return { key, unit, median: median(reps), spread: spread(reps), reps };
}

/** "1.23 (1.10–1.40)": median and spread over repetitions. */
export function cell(f: Figure | null | undefined, digits = 2): string {
  if (!f || f.median === null) return 'n/a';
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(digits));
  if (!f.spread || f.reps.length < 2) return fmt(f.median);
  return `${fmt(f.median)} (${fmt(f.spread[0])}–${fmt(f.spread[1])})`;
}

export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}
