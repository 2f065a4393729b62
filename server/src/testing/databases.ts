import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEMPLATE_DB = 'innboard_test_template';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database cloned from the migrated, seeded template: each test file gets its own. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `innboard_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name} template ${TEMPLATE_DB}`);
  } finally {
    await client.end();
  }
  return withDatabase(adminUrl, name);
}
