import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['server/src/**/*.test.ts', 'server/bench/**/*.test.ts', 'shared/src/**/*.test.ts'],
          // Each test file is its own process: uWS binds one app per process (see toolchain notes).
          pool: 'forks',
          globalSetup: ['server/src/testing/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 90_000,
          env: { TZ: process.env.TZ ?? 'UTC' },
        },
      },
      'web/vitest.config.ts',
    ],
  },
});
