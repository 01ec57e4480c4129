import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { buildHelaSchema } from '../../src/graphql/schema.js';

describe('docs/sponsor-bank.md', () => {
  it('shows only GraphQL documents that are valid against the schema', async () => {
    const schema = await buildHelaSchema();
    const blocks = [...readFileSync('docs/sponsor-bank.md', 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).to.be.greaterThan(5);
    for (const block of blocks) {
      expect(validate(schema, parse(block)).map((e) => e.message), block).to.deep.equal([]);
    }
  });
});
