import { expect } from 'chai';
import { testApp } from '../hooks.js';

describe('migrations @smoke', () => {
  it('leave the database exactly as the entities describe it (every schema change is in a migration)', async () => {
    const { orm } = testApp().container;
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: true });
    expect(diff.trim(), diff).to.equal('');
  });
});
