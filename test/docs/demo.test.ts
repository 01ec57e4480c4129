import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createLogger } from '../../src/logger.js';
import { DEMO_DOCS, runDemo } from '../../src/demo/demo-runner.js';

/**
 * `npm run demo` in process: every walk-through of README.md and docs/, as written, against a demo Hela of
 * its own (fresh in-memory embedded database, free ports), so a doc that goes stale fails here. A doc with a
 * broken step comes last, to show that the demo stops there and names its file and line.
 */
describe('the walk-throughs (npm run demo)', () => {
  it('run as written, step by step, and a step that fails names its doc and line', async function () {
    this.timeout(120_000);
    const broken = join(mkdtempSync(join(tmpdir(), 'hela-demo-')), 'broken.md');
    writeFileSync(broken, '# A stale page\n\n<!-- demo: stale-cycle, as: programme-manager -->\n```graphql\nmutation { approveCycle(cycleId: "00000000-0000-4000-8000-000000000000") { status } }\n```\n');
    const lines: string[] = [];
    const result = await runDemo({ root: process.cwd(), docs: [...DEMO_DOCS, broken], log: createLogger('silent'), out: (line) => lines.push(line) });
    const ran = lines.filter((line) => line.startsWith('ok ')).length;
    expect(result.failure, lines.join('\n')).to.match(new RegExp(`^${broken}:4 stale-cycle \\(programme-manager\\): NOT_FOUND: `));
    expect(result.steps).to.equal(ran).and.to.be.greaterThan(40);
    for (const doc of DEMO_DOCS) expect(lines.some((line) => line.startsWith(`ok    ${doc}:`)), `${doc} has steps that ran`).to.equal(true);
  });
});
