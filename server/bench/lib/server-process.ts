// Starts the real server (`node server/src/main.ts`) or the bare bench server as a separate process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoginResponse } from '@innboard/shared';
import { sleep } from './stats.ts';

export const REPO_ROOT = new URL('../../../', import.meta.url).pathname;
export const BENCH_DIR = join(REPO_ROOT, '.bench');

export type TransportKind = 'uws' | 'node';

export interface ServerProcess {
  pid: number;
  url: string;
  port: number;
  /** The transport really serving (uws falls back to node when it cannot load). */
  transport: TransportKind;
  logFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  transport: TransportKind;
  databaseUrl?: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** Label for the log file. */
  label: string;
  /** Bench-only bare Socket.IO server instead of the real one. */
  bare?: boolean;
  /** Run the server of another checkout (see --baseline); default: this one. */
  root?: string;
  /** How long to wait for "running at"; the seeding start runs the demo activity seeder first. */
  startTimeoutMs?: number;
}

let counter = 0;

/** Server settings a bench run passes through from its own environment, for sweeps. */
export const SWEEPABLE = ['DB_POOL_SIZE', 'WRITES_PER_PROPERTY', 'AUDIT_RELAY_INTERVAL_MS', 'AUDIT_BATCH_SIZE'] as const;

export async function startServer(opts: StartOptions): Promise<ServerProcess> {
  mkdirSync(join(BENCH_DIR, 'logs'), { recursive: true });
  const logFile = join(BENCH_DIR, 'logs', `${opts.label}-${process.pid}-${++counter}.log`);
  const log = createWriteStream(logFile);
  const root = opts.root ?? REPO_ROOT;
  const script = opts.bare ? join(REPO_ROOT, 'server/bench/bare-server.ts') : join(root, 'server/src/main.ts');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    TZ: process.env.TZ ?? 'UTC',
    // Sweeps of the server's tunables: WRITES_PER_PROPERTY=4 pnpm bench ..., AUDIT_RELAY_INTERVAL_MS=100 pnpm bench ...
    ...Object.fromEntries(SWEEPABLE.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    TRANSPORT: opts.transport,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    // The rate limit is per socket; the bench offers far more than a person would.
    COMMANDS_PER_SECOND: '1000000',
    USER_COMMANDS_PER_SECOND: '1000000',
    // Thousands of boards connect from 127.0.0.1 within seconds: far past the per-address connection limit.
    CONNECTIONS_PER_ADDRESS: '1000000',
    // A heartbeat is a broadcast too: keep it out of the per-broadcast CPU figures.
    HEARTBEAT_MS: '600000',
    BENCH_DEBUG: '1',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.env,
  };
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', ...(opts.nodeArgs ?? []), script], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ port: number; transport: TransportKind }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      if (out.length < 100_000) out += chunk.toString();
      const m = /running at http:\/\/localhost:(\d+)\s+\(transport: (uws|node)\)/.exec(out);
      if (m) resolve({ port: Number(m[1]), transport: m[2] as TransportKind });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`${opts.label} exited (${code}) before listening:\n${out.slice(-2000)}`)));
  });
  const timeoutMs = opts.startTimeoutMs ?? 90_000;
  // A cleared timer, not a sleep: a pending 600 s sleep kept `pnpm bench` alive long after its results.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${opts.label} did not start within ${timeoutMs / 1000} s:\n${out.slice(-2000)}`)), timeoutMs);
  });
  let info: { port: number; transport: TransportKind };
  try {
    info = await Promise.race([ready, timeout]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const url = `http://127.0.0.1:${info.port}`;
  let stopped: Promise<void> | null = null;
  return {
    pid: child.pid!,
    url,
    port: info.port,
    transport: info.transport,
    logFile,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
          if (!done) {
            child.kill('SIGKILL');
            await exited;
          }
        }
        log.end();
      })();
      return stopped;
    },
  };
}

export const DEMO_PASSWORD = 'innboard-demo';
/** Demo users of the demo hotel allowed to set room status (see DemoSeeder and the role grants). */
export const STATUS_USERS = ['frontdesk@innboard.demo', 'housekeeping@innboard.demo', 'supervisor@innboard.demo', 'manager@innboard.demo', 'admin@innboard.demo'];
export const DEMO_HOTEL_USERS = [...STATUS_USERS, 'pos@innboard.demo'];

export async function login(url: string, email: string): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as LoginResponse;
}

/** Each user logs in once; boards and senders reuse the tokens (many sockets per token). */
export async function loginAll(url: string, emails: string[]): Promise<LoginResponse[]> {
  const out: LoginResponse[] = [];
  for (const e of emails) out.push(await login(url, e));
  return out;
}

export async function protocolCommands(url: string): Promise<string[]> {
  // The catalogue is for signed-in staff only.
  const { accessToken } = await login(url, 'admin@innboard.demo');
  const res = await fetch(`${url}/api/protocol`, { headers: { authorization: `Bearer ${accessToken}` } });
  const doc = (await res.json()) as { commands: Array<{ type: string }> };
  return doc.commands.map((c) => c.type);
}

/** Heap after a full GC, via the BENCH_DEBUG route (real server and bare server both have it). */
export async function serverMemory(url: string): Promise<{ heapUsed: number; rss: number; gc: boolean }> {
  const res = await fetch(`${url}/debug/memory`);
  if (res.status !== 200) throw new Error(`GET /debug/memory answered ${res.status}: is BENCH_DEBUG=1 honoured?`);
  return (await res.json()) as { heapUsed: number; rss: number; gc: boolean };
}

/**
 * The server of another commit, for before/after figures in one run (a noisy shared machine makes
 * figures from different runs hard to compare) or to bench another branch: `git archive` of the ref, with
 * this checkout's installed packages linked in, except the workspace package `@innboard/shared`, which
 * must be the archive's own. Returns its root.
 */
export function prepareCheckout(ref: string): { root: string; commit: string } {
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: REPO_ROOT }).toString().trim();
  const root = join(BENCH_DIR, 'checkouts', commit);
  if (!existsSync(join(root, '.ready'))) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C '${root}'`], { cwd: REPO_ROOT });
    for (const dir of ['', 'server', 'shared']) {
      const source = join(REPO_ROOT, dir, 'node_modules');
      if (!existsSync(source)) continue;
      const target = join(root, dir, 'node_modules');
      mkdirSync(target, { recursive: true });
      for (const entry of readdirSync(source)) {
        if (entry === '@innboard') continue;
        symlinkSync(join(source, entry), join(target, entry));
      }
      if (existsSync(join(source, '@innboard'))) {
        mkdirSync(join(target, '@innboard'));
        for (const pkg of readdirSync(join(source, '@innboard'))) symlinkSync(join(root, pkg), join(target, '@innboard', pkg));
      }
    }
    writeFileSync(join(root, '.ready'), commit);
  }
  return { root, commit };
}
