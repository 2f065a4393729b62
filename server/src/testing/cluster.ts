// Multi-process test helpers: real `node server/src/main.ts` processes (uWS binds one app per
// process, see toolchain notes) and a real redis-server we own, so tests can kill -9 a node or
// restart Redis under traffic.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect as tcpConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { TransportKind } from '../transport/types.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const children = new Set<ChildProcess>();
// A failed test must not leave servers behind.
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect(port, '127.0.0.1');
    sock.setTimeout(500);
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      sock.destroy();
    });
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => {
      resolve(false);
      sock.destroy();
    });
  });
}

/** A fresh TCP connection (fetch would reuse a kept-alive one): false once the node stopped listening. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL: an outage as abrupt as a crash. */
  kill(): Promise<void>;
  /** Starts again on the same port, empty (no persistence), like a restarted cache; no-op while running. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(fixedPort?: number): Promise<RedisServer> {
  const port = fixedPort ?? (await freePort());
  let proc: ChildProcess | null = null;
  const start = async () => {
    if (proc && proc.exitCode === null) return;
    const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let failed: Error | undefined;
    p.once('error', (err) => (failed = new Error(`cannot run redis-server (apt-get install -y redis-server): ${err.message}`)));
    children.add(p);
    p.once('exit', () => children.delete(p));
    proc = p;
    await waitFor(`redis-server on ${port}`, async () => {
      if (failed) throw failed;
      return pingRedis(port);
    });
  };
  const kill = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill, start, stop: kill };
}

export interface NodeProcess {
  name: string;
  url: string;
  port: number;
  pid: number;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  logs(): string;
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then waits for the graceful exit. */
  stop(): Promise<number | null>;
}

export interface NodeOptions {
  name: string;
  databaseUrl: string;
  redisUrl?: string;
  transport: TransportKind;
  env?: Record<string, string>;
}

/** Starts `node server/src/main.ts` on a random port and resolves once it listens. */
export async function spawnNode(opts: NodeOptions): Promise<NodeProcess> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TZ: process.env.TZ ?? 'UTC',
    NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', TRANSPORT: opts.transport, DATABASE_URL: opts.databaseUrl, SEED_DEMO: 'false',
    LOG_LEVEL: process.env.TEST_NODE_LOG_LEVEL ?? 'info', HEARTBEAT_MS: '1000', AUDIT_RELAY_INTERVAL_MS: '200',
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
    ...opts.env,
  };
  const proc = spawn(process.execPath, [MAIN], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(`[${opts.name}] ${line}`);
    if (lines.length > 400) lines.splice(0, lines.length - 400);
    if (process.env.TEST_NODE_LOGS) process.stderr.write(chunk);
  };
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => {
    children.delete(proc);
    resolve(code);
  }));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${opts.name} did not start:\n${lines.join('\n')}`)), 60_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      for (const line of chunk.toString().split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'Innboard is listening' && entry.port) {
            clearTimeout(timer);
            resolve(entry.port);
          }
        } catch {
          // a partial line; the listening line is short and arrives whole
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited with ${code} before listening:\n${lines.join('\n')}`));
    });
  });
  return {
    name: opts.name,
    url: `http://127.0.0.1:${port}`,
    port,
    pid: proc.pid!,
    exited,
    logs: () => lines.join('\n'),
    kill: (signal = 'SIGKILL') => void proc.kill(signal),
    stop: () => {
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

export async function health(url: string): Promise<{ status: string; dependencies: Record<string, { state: string; [k: string]: unknown }> }> {
  const res = await fetch(`${url}/health`);
  return (await res.json()) as never;
}
