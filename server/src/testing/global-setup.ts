// Starts one real PostgreSQL for the whole test run (embedded, or the server at TEST_DATABASE_URL)
// and builds a template database with migrations and demo data; each test file clones it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { openOrm } from '../db/orm.ts';
import { syncDefaultRoles } from '../db/roles.ts';
import { DemoSeeder } from '../db/seeders/DemoSeeder.ts';
import { TEMPLATE_DB, withDatabase } from './databases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/** (Re)creates the template every test database is cloned from: migrations, default roles, demo hotels and users. */
export async function buildTemplateDatabase(adminUrl: string): Promise<void> {
  const adminOrm = await openOrm(adminUrl, { pool: { min: 0, max: 2 } });
  await adminOrm.em.fork().execute(`drop database if exists ${TEMPLATE_DB}`);
  await adminOrm.em.fork().execute(`create database ${TEMPLATE_DB}`);
  await adminOrm.close(true);

  const orm = await openOrm(withDatabase(adminUrl, TEMPLATE_DB));
  await orm.migrator.up();
  await syncDefaultRoles(orm.em.fork());
  await orm.seeder.seed(DemoSeeder);
  await orm.close(true);
}

export default async function setup(project: TestProject) {
  let stop = async () => {};
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'innboard-test-pg-'));
    const db = await startEmbeddedPostgres(join(dir, 'pg'), 30000 + Math.floor(Math.random() * 20000), 'postgres_admin');
    adminUrl = db.url;
    stop = async () => {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  await buildTemplateDatabase(adminUrl);

  project.provide('pgAdminUrl', adminUrl);
  return stop;
}
