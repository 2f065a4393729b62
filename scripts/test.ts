// `pnpm test`: every check and every test, in the order that fails fastest.
// Prints one closing line "N passed, N failed, N skipped" over all vitest runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const tmp = `${root}.tmp`;
mkdirSync(tmp, { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
/** Each failed test with its first error line: CI shows only the end of the output, so they are repeated there. */
const failedTests: string[] = [];

function step(name: string, cmd: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${name} ===`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.status !== 0) failures.push(name);
  return res.status === 0;
}

function vitest(name: string, args: string[], env: Record<string, string> = {}) {
  const out = `${tmp}/vitest-${name.replace(/\W+/g, '-')}.json`;
  step(name, 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...args], env);
  if (!existsSync(out)) return;
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number;
    testResults: Array<{ name: string; message?: string; assertionResults: Array<{ fullName: string; status: string; failureMessages?: string[] }> }>;
  };
  for (const file of report.testResults) {
    const where = file.name.replace(root, '');
    for (const t of file.assertionResults.filter((a) => a.status === 'failed')) {
      failedTests.push(`[${name}] ${where} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    }
    if (file.message) failedTests.push(`[${name}] ${where}: ${firstLine(file.message)}`);
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}

function firstLine(text = ''): string {
  return text.split('\n').find((l) => l.trim())?.trim().slice(0, 300) ?? '';
}

const hasWeb = existsSync(`${root}web/package.json`);
step('type check (server, shared)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
if (hasWeb) {
  step('type check (web)', 'pnpm', ['--filter', '@innboard/web', 'check']);
  step('build board', 'pnpm', ['--filter', '@innboard/web', 'build']);
}
step('migrations match entities', 'node', ['scripts/migrations.ts', 'check']);
step('protocol schema is current', 'node', ['scripts/protocol.ts', 'check']);
vitest('all tests (TZ=UTC)', [], { TZ: 'UTC' });
// Hotel dates must not depend on the server's zone: run the date-heavy suites far from UTC too.
vitest('date suites (TZ=Pacific/Kiritimati)', ['server/src/domains'], { TZ: 'Pacific/Kiritimati' });
// Faults with real processes and attacks (pnpm test:faults): prints its table of figures.
vitest('faults and attacks', ['--config', 'server/faults/vitest.config.ts'], { TZ: 'UTC' });

if (failedTests.length) console.log(`\nfailed tests:\n${failedTests.map((t) => `  ${t}`).join('\n')}`);
console.log(`\nfailed steps: ${failures.length ? failures.join(', ') : 'none'}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length || failed ? 1 : 0);
