import { fileURLToPath } from 'node:url';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import { entities } from './entities.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
export const SEEDERS_DIR = fileURLToPath(new URL('./seeders', import.meta.url));

export function ormConfig(clientUrl: string, extra: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator, SeedManager],
    pool: { min: 1, max: 20 },
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
  });
}

export async function openOrm(clientUrl: string, extra: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormConfig(clientUrl, extra));
}

export type { MikroORM };
