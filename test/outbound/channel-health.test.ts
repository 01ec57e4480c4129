import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { App } from '../../src/app.js';
import { backoffDelay } from '../../src/common/backoff.js';
import { ChannelHealthService } from '../../src/payouts/channels/channel-health.service.js';
import { testApp } from '../hooks.js';
import { startSecondApp } from '../helpers/second-app.js';

describe('circuit breaker (ChannelHealthService) shared by two processes on one database @smoke', () => {
  let second: App;
  let here: ChannelHealthService;
  let there: ChannelHealthService;

  before(async () => {
    second = await startSecondApp({ WORKERS_ENABLED: 'false', CIRCUIT_BREAKER_FAILURE_THRESHOLD: '3', CIRCUIT_BREAKER_OPEN_SECONDS: '1' });
    here = testApp().container.get(ChannelHealthService);
    there = second.container.get(ChannelHealthService);
  });
  after(() => second?.close());

  /** The breaker settings are the recording process's: `there` opens after 3 failures, for 1 s. */
  it('failures recorded by either process count together; open, it refuses both; after the open period exactly one probe goes; its outcome decides', async () => {
    const key = `test:${randomUUID()}`;
    expect(await here.admit(key, 5)).to.deep.equal({ admitted: true, probe: false });
    await here.record(key, 'UNKNOWN: no answer');
    await there.record(key, 'UNKNOWN: no answer');
    await here.record(key, undefined); // a success in between starts the count again
    expect(await there.health(key)).to.include({ state: 'CLOSED', consecutiveFailures: 0 });
    for (const service of [there, here, there]) await service.record(key, 'ECONNREFUSED');
    const opened = await here.health(key);
    expect(opened).to.include({ state: 'OPEN', consecutiveFailures: 3, lastFailure: 'ECONNREFUSED' });
    for (const service of [here, there]) {
      const refused = await service.admit(key, 5);
      expect(refused).to.include({ admitted: false });
      expect((refused as { retryAt: Date }).retryAt.getTime()).to.equal(opened.openedUntil!.getTime());
    }

    await new Promise((resolve) => setTimeout(resolve, opened.openedUntil!.getTime() - Date.now() + 50));
    expect((await here.health(key)).state).to.equal('HALF_OPEN');
    const admissions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? here : there).admit(key, 5)));
    expect(admissions.filter((a) => a.admitted)).to.deep.equal([{ admitted: true, probe: true }]);
    await there.record(key, 'UNKNOWN: still no answer'); // the probe failed: open again, for another period
    const reopened = await here.health(key);
    expect(reopened).to.include({ state: 'OPEN', consecutiveFailures: 4 });
    expect(reopened.openedAt!.getTime()).to.be.greaterThan(opened.openedAt!.getTime());

    await new Promise((resolve) => setTimeout(resolve, reopened.openedUntil!.getTime() - Date.now() + 50));
    expect(await here.admit(key, 5)).to.deep.equal({ admitted: true, probe: true });
    await here.record(key, undefined);
    expect(await there.health(key)).to.include({ state: 'CLOSED', consecutiveFailures: 0, openedUntil: undefined });
    expect(await there.admit(key, 5)).to.deep.equal({ admitted: true, probe: false });
  });

  it('a probe that never reports back frees the breaker after its hold', async () => {
    const key = `test:${randomUUID()}`;
    for (let i = 0; i < 3; i++) await there.record(key, 'timeout');
    const { openedUntil } = await there.health(key);
    await new Promise((resolve) => setTimeout(resolve, openedUntil!.getTime() - Date.now() + 50));
    expect(await here.admit(key, 1)).to.deep.equal({ admitted: true, probe: true }); // and then its process dies
    expect(await there.admit(key, 1)).to.include({ admitted: false });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await there.admit(key, 1)).to.deep.equal({ admitted: true, probe: true });
  });
});

describe('backoff with jitter @smoke', () => {
  it('grows exponentially from the base, stops at the cap, and spreads clients over ±25%', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 5, 60, middle))).to.deep.equal([5, 10, 20, 40, 60, 60]);
    expect(backoffDelay(3, 5, 60, () => 0)).to.equal(15);
    expect(backoffDelay(3, 5, 60, () => 0.999999)).to.be.closeTo(25, 0.001);
    // Twenty pollers failing together come back at twenty different moments, each within the window.
    const pollers = Array.from({ length: 20 }, () => backoffDelay(2, 5, 60));
    expect(new Set(pollers).size).to.equal(20);
    for (const delay of pollers) expect(delay).to.be.within(7.5, 12.5);
  });
});
