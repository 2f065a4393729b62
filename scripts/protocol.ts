// The protocol JSON Schema is generated from the zod schemas in shared/ and committed at
// docs/protocol.json, so a contract change shows up in review. `check` fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { protocolDocument } from '../server/src/http/protocol-schema.ts';

const FILE = new URL('../docs/protocol.json', import.meta.url);
const generated = `${JSON.stringify(protocolDocument(), null, 2)}\n`;
const mode = process.argv[2];

if (mode === 'write') {
  writeFileSync(FILE, generated);
  console.log('wrote docs/protocol.json');
} else if (mode === 'check') {
  let committed = '';
  try {
    committed = readFileSync(FILE, 'utf8');
  } catch {
    // missing file: reported as a difference below
  }
  if (committed !== generated) {
    console.error('docs/protocol.json is out of date with shared/ zod schemas: run `pnpm protocol:generate` and commit it');
    process.exit(1);
  }
  console.log('protocol: docs/protocol.json matches the shared schemas');
} else {
  console.error('usage: node scripts/protocol.ts write|check');
  process.exit(2);
}
