import { expect } from 'chai';
import { serverAudits } from 'graphql-http';
import { testApp } from '../hooks.js';

/**
 * GraphQL-over-HTTP conformance, audited by graphql-http against the running server. A MUST failure
 * fails the test; SHOULD and MAY failures are printed so that they stay visible.
 */
describe('GraphQL over HTTP conformance (graphql-http server audits)', () => {
  it('passes every MUST audit', async () => {
    const audits = serverAudits({ url: () => `${testApp().url}/graphql` });
    const failures: string[] = [];
    const notes: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (result.status === 'ok') continue;
      const body = (await result.response.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 120);
      const line = `${result.name} [${result.id}]: ${result.reason} (HTTP ${result.response.status} ${body})`;
      if (result.name.startsWith('MUST')) failures.push(line);
      else notes.push(line);
    }
    for (const note of notes) console.log(`      note: ${note}`);
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });
});
