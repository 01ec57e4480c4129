import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';

describe('embedded PGlite directory lock', () => {
  let root: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'hela-lock-'));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second opener of one data directory, and reopens after stop or when the holder died', async function () {
    this.timeout(60_000);
    const dir = join(root, 'pglite');
    const first = await startEmbeddedPostgres(dir, 2);
    let refusal: Error | undefined;
    try {
      await startEmbeddedPostgres(dir, 2);
    } catch (error) {
      refusal = error as Error;
    }
    await first.stop();
    expect(refusal?.message).to.match(/is in use by process \d+/);

    writeFileSync(`${dir}.lock`, '2147483646'); // a pid no process has
    const again = await startEmbeddedPostgres(dir, 2);
    await again.stop();
  });
});
