// Generates or checks migrations against a throwaway embedded Postgres with every committed
// migration applied, so the diff is exactly "entities minus migrations".
//   node scripts/migrations.ts create [name]   writes a new migration when entities changed
//   node scripts/migrations.ts check           exits 1 when entities and migrations disagree
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../server/src/db/embedded.ts';
import { openOrm } from '../server/src/db/orm.ts';

const [mode, name] = process.argv.slice(2);
if (mode !== 'create' && mode !== 'check') {
  console.error('usage: node scripts/migrations.ts create [name] | check');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'innboard-migrations-'));
const db = await startEmbeddedPostgres(join(dir, 'pg'), 20000 + Math.floor(Math.random() * 20000));
let exitCode = 0;
try {
  const orm = await openOrm(db.url, { debug: false });
  await orm.migrator.up();
  if (mode === 'check') {
    const differs = await orm.migrator.checkSchema();
    if (differs) {
      const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
      console.error(`Entities and migrations disagree; run \`pnpm migration:create\`. Pending SQL:\n${diff}`);
      exitCode = 1;
    } else {
      console.log('migrations: entities and committed migrations agree');
    }
  } else {
    const result = await orm.migrator.create(undefined, false, false, name);
    console.log(result.fileName ? `created ${result.fileName}` : 'no changes: no migration created');
  }
  await orm.close(true);
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
