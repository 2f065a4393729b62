import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  postgres: string | null;
  kernel: string;
}

export function machineInfo(postgresVersion: string | null): MachineInfo {
  let kernel = '';
  try { kernel = execFileSync('uname', ['-sr']).toString().trim(); } catch { /* not fatal */ }
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: postgresVersion,
    kernel,
  };
}

/** The 1-minute load average: other engineers share these cores, so every figure carries it. */
export const load1 = () => Number(loadavg()[0]!.toFixed(2));
export const loadAverages = () => loadavg().map((l) => Number(l.toFixed(2)));

/**
 * CPU time of a process in milliseconds, all threads, with nanosecond resolution: the sum of
 * /proc/<pid>/task/<tid>/schedstat (utime/stime in /proc/<pid>/stat tick only every 10 ms).
 */
export function processCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try { ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]); } catch { /* thread ended */ }
  }
  return ns / 1e6;
}

/** /proc/<pid>/stat fields after the command name, which may itself hold spaces. */
const statFields = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};
/** USER_HZ: the unit of utime/cutime in /proc/<pid>/stat, 100 on every Linux architecture Node runs on. */
const USER_HZ = 100;

/**
 * CPU of a process tree rooted at `rootPid` (Postgres: the postmaster and its backends): its live children's
 * precise CPU plus what the children it has already reaped spent (cutime + cstime). Without the reaped part a
 * backend that ends inside a window (a pool's idle connection closed, an autovacuum worker done) took its whole
 * life's CPU out of the difference: the bench read negative PostgreSQL CPU per command after idle phases.
 */
export function treeCpuMs(rootPid: number): number {
  const root = statFields(rootPid);
  // Fields 16 and 17 of stat (cutime, cstime) are at 13 and 14 here: the list starts at field 3, the state.
  let total = ((Number(root[13]) + Number(root[14])) * 1000) / USER_HZ + processCpuMs(rootPid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (Number(statFields(pid)[1]) === rootPid) total += processCpuMs(pid);
    } catch { /* process ended */ }
  }
  return total;
}

export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
