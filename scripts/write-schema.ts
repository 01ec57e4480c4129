import { readFileSync, writeFileSync } from 'node:fs';
import { printHelaSchema, SCHEMA_FILE } from '../src/graphql/print-schema.js';

/** `npm run schema:write` regenerates schema.graphql; `npm run schema:check` fails when it is stale. */
const printed = await printHelaSchema();
if (process.argv.includes('--check')) {
  if (readFileSync(SCHEMA_FILE, 'utf8') !== printed) {
    console.error(`${SCHEMA_FILE} is stale: run \`npm run schema:write\` and commit it`);
    process.exit(1);
  }
  console.log(`${SCHEMA_FILE} is up to date`);
} else {
  writeFileSync(SCHEMA_FILE, printed);
  console.log(`wrote ${SCHEMA_FILE}`);
}
