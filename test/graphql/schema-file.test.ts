import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { printHelaSchema, SCHEMA_FILE } from '../../src/graphql/print-schema.js';

describe('schema.graphql', () => {
  it('is in step with the code (run `npm run schema:write` after an API change)', async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed === (await printHelaSchema()), 'schema.graphql is stale').to.equal(true);
  });
});
