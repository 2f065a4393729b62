/**
 * Loads uWebSockets.js (the `@btc-vision/uwebsockets.js` mirror aliased as `uWebSockets.js`).
 *
 * Its Linux binaries need glibc 2.38 for three symbols only (`__isoc23_strtol`, `__isoc23_strtoul`,
 * `__isoc23_sscanf`). Where the runtime glibc is older (Debian 12 has 2.36) we build a compat COPY in
 * `server/.compat/` (gitignored) and load that instead:
 *   1. a tiny shared library defining the three symbols, compiled with the machine's gcc;
 *   2. a copy of the .node file whose GLIBC_2.38 version need is marked weak (see elf-weaken.ts);
 *   3. `patchelf --add-needed <shim>` then, in a separate call, `--set-rpath '$ORIGIN'` (patchelf 0.14
 *      corrupts RUNPATH when both are given at once), so ld.so finds the shim beside the copy.
 * The file inside node_modules is never touched: pnpm hardlinks it into the shared store.
 * Glibc >= 2.38 (production images: Debian 13, Ubuntu 24.04) loads the package as is.
 *
 * Prebuild (CI, postinstall): `node server/src/transport/uws-loader.ts --build`.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { weakenVersionNeeds } from './elf-weaken.ts';

export type Uws = typeof import('uWebSockets.js');

const require = createRequire(import.meta.url);
const COMPAT_ROOT = fileURLToPath(new URL('../../.compat/', import.meta.url));
const SHIM_NAME = 'libuws-isoc23-shim.so';
const NEEDED_VERSION = 'GLIBC_2.38';
/** Bump when the build recipe changes, so cached copies are rebuilt. */
const RECIPE_VERSION = '1';

// C23 changed strtol/strtoul/sscanf only to also accept "0b" binary literals; uWS parses decimal and hex
// (ports, content-length, chunk sizes), so forwarding to the pre-C23 functions is equivalent for it.
const SHIM_SOURCE = `#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
long __isoc23_strtol(const char *s, char **end, int base) { return strtol(s, end, base); }
unsigned long __isoc23_strtoul(const char *s, char **end, int base) { return strtoul(s, end, base); }
int __isoc23_sscanf(const char *s, const char *fmt, ...) {
  va_list ap; va_start(ap, fmt); int r = vsscanf(s, fmt, ap); va_end(ap); return r;
}
`;

export interface UwsLoadInfo {
  /** 'package': the package loaded as is; 'compat': the patched copy in server/.compat. */
  source: 'package' | 'compat';
  /** The .node file actually loaded. */
  binary: string;
}

let cached: { uws: Uws; info: UwsLoadInfo } | { error: Error } | undefined;

/** Runtime glibc version as [major, minor], or undefined off glibc (macOS, Windows, musl). */
export function glibcVersion(): [number, number] | undefined {
  if (process.platform !== 'linux') return undefined;
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
  const m = /^(\d+)\.(\d+)/.exec(header?.glibcVersionRuntime ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function needsCompat(): boolean {
  const v = glibcVersion();
  return v !== undefined && (v[0] < 2 || (v[0] === 2 && v[1] < 38));
}

function packageDir(): string {
  // Resolves through pnpm's symlink to the real folder holding uws.js and the .node files.
  return path.dirname(require.resolve('uWebSockets.js'));
}

function binaryName(): string {
  return `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;
}

function run(cmd: string, args: string[], hint: string): void {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error(`uWS compat build needs ${cmd}, which is not installed (${hint})`, { cause: e });
    const why = String(err.stderr ?? '').trim() || err.message;
    throw new Error(`uWS compat build: ${cmd} ${args.join(' ')} failed: ${why}`, { cause: e });
  }
}

/**
 * Builds (or reuses) the compat copy and returns the path of its `uws.cjs` entry.
 * Cached by the content hash of the source binary and the recipe, so a new uWS version or a changed
 * recipe rebuilds and anything else reuses. Concurrent builders (test workers) each build in a
 * private temp folder and rename it into place; the loser discards its own.
 */
export function buildCompat(): string {
  const pkg = packageDir();
  const name = binaryName();
  const source = path.join(pkg, name);
  if (!fs.existsSync(source)) throw new Error(`uWebSockets.js has no binary ${name} for this Node ABI/platform`);

  const key = createHash('sha256')
    .update(fs.readFileSync(source))
    .update(fs.readFileSync(path.join(pkg, 'uws.js')))
    .update(SHIM_SOURCE)
    .update(RECIPE_VERSION)
    .digest('hex')
    .slice(0, 16);
  const target = path.join(COMPAT_ROOT, `uws-${name.replace(/\.node$/, '')}-${key}`);
  const entry = path.join(target, 'uws.cjs');
  if (fs.existsSync(entry)) return entry;

  fs.mkdirSync(COMPAT_ROOT, { recursive: true });
  const work = fs.mkdtempSync(path.join(COMPAT_ROOT, '.build-'));
  try {
    const shimC = path.join(work, 'isoc23-shim.c');
    fs.writeFileSync(shimC, SHIM_SOURCE);
    run('gcc', ['-shared', '-fPIC', '-O2', `-Wl,-soname,${SHIM_NAME}`, '-o', path.join(work, SHIM_NAME), shimC],
      'apt-get install -y gcc');

    const copy = path.join(work, name);
    const elf = fs.readFileSync(source); // a fresh buffer: the hardlinked original is never written
    if (!weakenVersionNeeds(elf, [NEEDED_VERSION]).includes(NEEDED_VERSION)) {
      throw new Error(`uWS compat build: ${name} has no ${NEEDED_VERSION} version need to weaken`);
    }
    fs.writeFileSync(copy, elf, { mode: 0o755 });
    run('patchelf', ['--add-needed', SHIM_NAME, copy], 'apt-get install -y patchelf');
    run('patchelf', ['--set-rpath', '$ORIGIN', copy], 'apt-get install -y patchelf');

    // The package's own entry, beside the copy, so the compat module has exactly the package's shape
    // (it requires './uws_<platform>_<arch>_<abi>.node' relative to itself). `.cjs` because
    // server/package.json says "type": "module".
    fs.copyFileSync(path.join(pkg, 'uws.js'), path.join(work, 'uws.cjs'));

    fs.chmodSync(work, 0o755); // mkdtemp made it 0700
    try {
      fs.renameSync(work, target);
    } catch (e) {
      if (!fs.existsSync(entry)) throw e; // not a lost race: a real failure
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  removeStaleBuilds(path.basename(target), `uws-${name.replace(/\.node$/, '')}-`);
  return entry;
}

/** Older copies for this ABI (previous uWS versions, recipes) are dead weight; loaded ones stay mapped. */
function removeStaleBuilds(keep: string, prefix: string): void {
  for (const dir of fs.readdirSync(COMPAT_ROOT)) {
    if (dir.startsWith(prefix) && dir !== keep) {
      fs.rmSync(path.join(COMPAT_ROOT, dir), { recursive: true, force: true });
    }
  }
}

/** Native load errors end with the one line that matters (e.g. the dlopen message). */
function lastLine(e: unknown): string {
  return e instanceof Error ? e.message.split('\n').filter(Boolean).pop() ?? e.message : String(e);
}

/** Loads uWebSockets.js, through the compat copy where glibc < 2.38. Throws one clear error otherwise. */
export function loadUwsWithInfo(): { uws: Uws; info: UwsLoadInfo } {
  if (cached && 'error' in cached) throw cached.error;
  if (cached) return cached;
  try {
    let firstError: unknown;
    try {
      const uws = require('uWebSockets.js') as Uws;
      cached = { uws, info: { source: 'package', binary: path.join(packageDir(), binaryName()) } };
      return cached;
    } catch (e) {
      firstError = e;
    }
    if (!needsCompat() || !String((firstError as Error)?.message).includes(NEEDED_VERSION)) {
      throw new Error(`uWebSockets.js cannot be loaded: ${lastLine(firstError)}`, { cause: firstError });
    }
    try {
      const entry = buildCompat();
      const uws = require(entry) as Uws;
      cached = { uws, info: { source: 'compat', binary: path.join(path.dirname(entry), binaryName()) } };
      return cached;
    } catch (e) {
      throw new Error(`uWebSockets.js needs glibc 2.38 and the compat copy failed: ${lastLine(e)}`, { cause: e });
    }
  } catch (e) {
    cached = { error: e as Error };
    throw e;
  }
}

export function loadUws(): Uws {
  return loadUwsWithInfo().uws;
}

// `node server/src/transport/uws-loader.ts --build`: prebuild (if needed) and prove it loads.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--build')) {
    console.error('usage: node server/src/transport/uws-loader.ts --build');
    process.exit(2);
  }
  try {
    const { uws, info } = loadUwsWithInfo();
    if (typeof uws.App !== 'function') throw new Error('loaded module has no App()');
    console.log(`uWebSockets.js ok (${info.source}): ${info.binary}`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
