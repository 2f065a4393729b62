import { defineConfig } from 'vitest/config';

// Unit tests of the web's pure modules (no Svelte, no DOM). Run from the repo root with
// `npx vitest run --config web/vitest.config.ts`, or as the `web` project of a root config.
export default defineConfig({
  test: {
    name: 'web',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    environment: 'node',
    env: { TZ: process.env.TZ ?? 'UTC' },
  },
});
