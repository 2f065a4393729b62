// `pnpm bench`: measures the live loop against its ceilings in one run (issue 6).
//   node --single-threaded-gc server/bench/run.ts [--scenario roundtrip,fanout] [--transport uws,node]
//          [--quick] [--reps N] [--cpu-prof] [--baseline <git ref>] [--server <git ref>] [--node-args "<flags>"]
//          [--out file.json] [--docs|--no-docs]
// Scenarios: roundtrip throughput multiproperty readpath fanout transports memory crossnode contention folio pos
// (default: all), and
// ab (before/after against --baseline, run first when a baseline is given).
// The server runs as its own process (node server/src/main.ts) on a fresh copy of a seeded database;
// load comes from forked generator processes with real socket.io-client websocket connections.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchContext, type BenchOptions, type ScenarioResult } from './lib/context.ts';
import { load1, loadAverages, machineInfo } from './lib/machine.ts';
import { startBenchPostgres } from './lib/postgres.ts';
import { renderMarkdown, writeDocs, writeJson, type BenchReport } from './lib/report.ts';
import { BENCH_DIR, prepareCheckout, REPO_ROOT, startServer, SWEEPABLE, type TransportKind } from './lib/server-process.ts';
import { ab } from './scenarios/ab.ts';
import { roundtrip } from './scenarios/roundtrip.ts';
import { throughput } from './scenarios/throughput.ts';
import { fanout } from './scenarios/fanout.ts';
import { transports } from './scenarios/transports.ts';
import { memory } from './scenarios/memory.ts';
import { crossnode } from './scenarios/crossnode.ts';
import { contention } from './scenarios/contention.ts';
import { folio } from './scenarios/folio.ts';
import { pos } from './scenarios/pos.ts';
import { multiproperty } from './scenarios/multiproperty.ts';
import { readpath } from './scenarios/readpath.ts';

type Runner = (ctx: BenchContext) => Promise<ScenarioResult[]>;
const perTransport = (fn: (ctx: BenchContext, t: TransportKind) => Promise<ScenarioResult>): Runner => async (ctx) => {
  const out: ScenarioResult[] = [];
  for (const t of ctx.opts.transports) out.push(await guarded(ctx, `${fn.name}-${t}`, () => fn(ctx, t)));
  return out;
};
const once = (fn: (ctx: BenchContext) => Promise<ScenarioResult>): Runner => async (ctx) => [await guarded(ctx, fn.name, () => fn(ctx))];

export const SCENARIOS: Record<string, Runner> = {
  ab: once(ab),
  roundtrip: perTransport(roundtrip),
  throughput: once(throughput),
  multiproperty: once(multiproperty),
  readpath: once(readpath),
  fanout: perTransport(fanout),
  transports: once(transports),
  memory: perTransport(memory),
  crossnode: once(crossnode),
  contention: once(contention),
  folio: once(folio),
  pos: once(pos),
};

async function guarded(ctx: BenchContext, id: string, fn: () => Promise<ScenarioResult>): Promise<ScenarioResult> {
  const started = performance.now();
  const loadBefore = ctx.load.length;
  ctx.log(`scenario ${id}: start`);
  let result: ScenarioResult;
  try {
    result = await fn();
  } catch (err) {
    ctx.log(`scenario ${id} failed: ${(err as Error).stack}`);
    result = { id, title: id, status: 'error', reason: (err as Error).message.split('\n')[0], figures: [], tables: [], targets: [], load: [] };
  } finally {
    await ctx.cleanup();
  }
  result.seconds = (performance.now() - started) / 1000;
  result.load = ctx.load.slice(loadBefore);
  ctx.done.set(result.id, result);
  ctx.log(`scenario ${id}: ${result.status} in ${result.seconds.toFixed(0)} s`);
  return result;
}

function gitCommit(): string | null {
  try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT }).toString().trim(); } catch { return null; }
}

async function main() {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', multiple: true },
      transport: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      out: { type: 'string' },
      baseline: { type: 'string' },
      server: { type: 'string' },
      'node-args': { type: 'string' },
      reps: { type: 'string' },
      docs: { type: 'boolean' },
      'no-docs': { type: 'boolean', default: false },
    },
  });
  // "ab" runs by default only when there is a baseline to compare with.
  let names = (values.scenario ?? Object.keys(SCENARIOS).filter((n) => n !== 'ab' || values.baseline)).flatMap((s) => s.split(',')).filter(Boolean);
  for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario "${n}"; one of ${Object.keys(SCENARIOS).join(', ')}`);
  let transportList = (values.transport ?? 'uws,node').split(',') as TransportKind[];
  if (values.scenario && names.includes('transports')) {
    // It compares scenarios 1 and 3 across transports: run those first, on both.
    names = [...new Set(['roundtrip', 'fanout', ...names])];
    transportList = ['uws', 'node'];
  }
  // It only compares what the others measured, so it goes last.
  if (names.includes('transports')) names = [...names.filter((n) => n !== 'transports'), 'transports'];
  for (const t of transportList) if (t !== 'uws' && t !== 'node') throw new Error(`unknown transport "${t}"`);
  const quick = values.quick!;
  const opts: BenchOptions = {
    quick, transports: transportList, cpuProf: values['cpu-prof']!,
    warmupMs: quick ? 300 : 2000, reps: values.reps ? Math.max(1, Number(values.reps)) : quick ? 2 : 3, repMs: quick ? 1000 : 5000,
    baseline: values.baseline ? prepareCheckout(values.baseline) : undefined,
    server: values.server ? prepareCheckout(values.server) : undefined,
    serverNodeArgs: values['node-args']?.split(/\s+/).filter(Boolean) ?? [],
  };

  const started = performance.now();
  const loadStart = loadAverages();
  process.stderr.write(`[bench] load average ${loadStart.join(' ')}; scenarios: ${names.join(', ')}; transports: ${transportList.join(', ')}${quick ? ' (quick)' : ''}\n`);
  const pg = await startBenchPostgres();
  const template = `bench_template_${process.pid}`;
  let report: BenchReport;
  try {
    // The template: migrated and seeded by the real server itself (SEED_DEMO=true), then cloned per run.
    await pg.dropDatabase(template);
    const url = await pg.createDatabase(template);
    // Seeding the demo activity takes 10-20 s alone and minutes on a loaded machine.
    const seeding = await startServer({ transport: 'node', label: 'seed', databaseUrl: url, root: opts.server?.root, startTimeoutMs: 600_000 });
    await seeding.stop();
    const ctx = new BenchContext(opts, pg, template);
    const scenarios: ScenarioResult[] = [];
    for (const n of names) scenarios.push(...(await SCENARIOS[n]!(ctx)));
    report = {
      date: new Date().toISOString(),
      machine: machineInfo(pg.version),
      loadAverage: { start: loadStart, end: loadAverages(), perRepetition: ctx.load },
      options: { ...opts, scenarios: names },
      // What changes the figures without changing the code: the server's swept tunables and PostgreSQL's settings and disk.
      settings: Object.fromEntries([...SWEEPABLE, 'BENCH_PG_SETTINGS', 'TMPDIR'].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : []))),
      commit: opts.server ? `${opts.server.commit} (--server; harness ${gitCommit()})` : gitCommit(),
      scenarios,
      seconds: (performance.now() - started) / 1000,
    };
    await pg.dropDatabase(template);
  } finally {
    await pg.stop();
  }

  const markdown = renderMarkdown(report);
  process.stdout.write(`\n${markdown}\n`);
  const out = values.out ?? join(BENCH_DIR, `results-${report.date.replace(/:/g, '-').replace(/\..*/, '')}.json`);
  writeJson(report, out);
  process.stderr.write(`[bench] results written to ${out} (load now ${load1()})\n`);
  const writeDoc = values['no-docs'] ? false : values.docs ?? (!quick && !values.scenario);
  if (writeDoc) {
    writeDocs(markdown);
    process.stderr.write('[bench] docs/benchmarks.md updated\n');
  }
  if (report.scenarios.some((s) => s.status === 'error')) process.exitCode = 1;
}

await main();
