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

/** CPU of a process tree rooted at `rootPid` (Postgres: the postmaster and its backends). */
export function treeCpuMs(rootPid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (pid === rootPid || ppid === rootPid) total += processCpuMs(pid);
    } catch { /* process ended */ }
  }
  return total;
}

export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
