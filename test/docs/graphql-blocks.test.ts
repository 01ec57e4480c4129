import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { buildHelaSchema } from '../../src/graphql/schema.js';
import { DEMO_DOCS } from '../../src/demo/demo-runner.js';

/** Every GraphQL block of the docs, run by the demo or not, is valid against the schema, placeholders and all (a date's is filled). */
describe('docs: GraphQL blocks', () => {
  for (const file of DEMO_DOCS) {
    it(`${file} shows only documents that are valid against the schema`, async () => {
      const schema = await buildHelaSchema();
      const blocks = [...readFileSync(file, 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1].replaceAll('<today>', new Date().toISOString().slice(0, 10)));
      expect(blocks.length).to.be.greaterThan(0);
      for (const block of blocks) expect(validate(schema, parse(block)).map((e) => e.message), block).to.deep.equal([]);
    });
  }
});
