import { fileURLToPath } from 'node:url';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import { entities } from './entities.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
export const SEEDERS_DIR = fileURLToPath(new URL('./seeders', import.meta.url));

/** Connections per node when the configuration names none (config DB_POOL_SIZE; tests, tools). */
export const DEFAULT_POOL_SIZE = 20;

export function ormConfig(clientUrl: string, extra: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator, SeedManager],
    // Commands always run in a forked EntityManager; touching the global one is a bug.
    allowGlobalContext: false,
    migrations: {
      path: MIGRATIONS_DIR,
      glob: '!(*.d).ts',
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      silent: true,
      // Migrations are diffed against the migrated database, not a snapshot file, so parallel
      // branches that each add a migration merge without a snapshot conflict.
      snapshot: false,
    },
    seeder: { path: SEEDERS_DIR, glob: '!(*.d).ts', emit: 'ts' },
    ...extra,
    // Merged, so a caller sets only what differs (the app: its configured size).
    pool: { min: 1, max: DEFAULT_POOL_SIZE, ...extra.pool },
  });
}

export async function openOrm(clientUrl: string, extra: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormConfig(clientUrl, extra));
}

export type { MikroORM };
