// `pnpm test:faults`: faults with real processes and attacks through real sockets, kept apart from the
// unit/medium suites (they own processes, ports and the machine's CPU for a while). Prints one table.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'faults',
    include: ['server/faults/**/*.test.ts'],
    pool: 'forks',
    // Scenarios kill processes and measure round trips: two at once on a 2-core machine would measure each other.
    fileParallelism: false,
    globalSetup: ['server/src/testing/global-setup.ts', 'server/faults/report.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { TZ: process.env.TZ ?? 'UTC' },
  },
});
