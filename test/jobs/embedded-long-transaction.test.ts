import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import pg from 'pg';
import type { App } from '../../src/app.js';
import { testApp } from '../hooks.js';
import { capturedLog, startSecondApp } from '../helpers/second-app.js';

/**
 * The embedded PGlite serves every connection in one session, so a long transaction (a 100,000-row
 * entitlement import) makes every other query wait: the workers' polls fill pg-boss's pool, and pg-boss
 * gave up waiting for a free connection after its default 10 s, logging "job queue error" stacks (level
 * 50). Now the job queue waits its turn there, as the ORM does. A pool of 2 fills as the import's did.
 * (On real PostgreSQL nothing waits: the test does not apply.)
 */
describe('the job queue while a long transaction holds the embedded database @smoke', function () {
  this.timeout(90_000);
  let app: App | undefined;
  before(function () {
    if (process.env.DATABASE_URL) this.skip();
  });
  after(async () => {
    await app?.close();
  });

  it('waits for the transaction to end instead of logging connect timeouts', async () => {
    const { log, lines } = capturedLog('info');
    app = await startSecondApp({ WORKERS_ENABLED: 'true', JOBS_POOL_MAX: '2' }, log);
    const holder = new pg.Client({ connectionString: testApp().container.orm.config.get('clientUrl') as string });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select count(*) from users');
      await sleep(12_000); // past pg-boss's default 10 s connect timeout
      await holder.query('commit');
    } finally {
      await holder.end();
    }
    await sleep(2_000); // the queries that waited run now
    const failures = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level >= 50);
    expect(failures.map((entry) => `${entry.msg}: ${entry.err?.message}`)).to.deep.equal([]);
  });
});
