import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LoadgenTask } from '../loadgen.ts';
import { REPO_ROOT } from './server-process.ts';

export interface Loadgen {
  pid: number;
  run<T = unknown>(task: LoadgenTask): Promise<T>;
  stop(): Promise<void>;
}

/** Forks a load generator process (its own core share, its own single-threaded GC). */
export function startLoadgen(): Loadgen {
  const child: ChildProcess = fork(join(REPO_ROOT, 'server/bench/loadgen.ts'), [], {
    execArgv: ['--single-threaded-gc', '--max-old-space-size=2048'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`loadgen: ${msg.error}`));
    else p.resolve(msg.result);
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`loadgen exited (${code})`));
    pending.clear();
  });
  return {
    pid: child.pid!,
    run<T>(task: LoadgenTask): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, task });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      await exited;
    },
  };
}

export function startLoadgens(n: number): Loadgen[] {
  return Array.from({ length: n }, () => startLoadgen());
}

export async function stopAll(list: Loadgen[]) {
  await Promise.all(list.map((l) => l.stop()));
}
