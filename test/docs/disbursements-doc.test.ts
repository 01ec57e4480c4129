import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse, validate } from 'graphql';
import { buildHelaSchema } from '../../src/graphql/schema.js';

describe('docs/disbursements.md, "Paying through OpenG2P"', () => {
  it('shows only GraphQL documents that are valid against the schema', async () => {
    const schema = await buildHelaSchema();
    const doc = readFileSync('docs/disbursements.md', 'utf8');
    const section = /^## Paying through OpenG2P\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(doc)?.[1] ?? '';
    const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).to.be.greaterThan(0);
    for (const block of blocks) {
      expect(validate(schema, parse(block)).map((e) => e.message), block).to.deep.equal([]);
    }
  });
});
