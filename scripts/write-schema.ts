import { writeFileSync } from 'node:fs';
import { printHelaSchema, SCHEMA_FILE } from '../src/graphql/print-schema.js';

writeFileSync(SCHEMA_FILE, await printHelaSchema());
console.log(`wrote ${SCHEMA_FILE}`);
