import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { treeCpuMs } from './machine.ts';

describe('treeCpuMs', () => {
  it('keeps the CPU of a child that ended inside the window', async () => {
    // A parent that waits for a child burning 300 ms of CPU, says so, then idles: the child's CPU is then only
    // in the parent's cutime.
    const burn = 'const t = process.cpuUsage(); while (process.cpuUsage(t).user < 300_000);';
    const parent = spawn('sh', ['-c', `read go; "${process.execPath}" -e "${burn}"; echo done; exec sleep 30`], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const before = treeCpuMs(parent.pid!);
      parent.stdin.write('\n');
      await once(parent.stdout, 'data');
      expect(treeCpuMs(parent.pid!) - before).toBeGreaterThanOrEqual(290);
    } finally {
      parent.kill();
    }
  });
});
