import { expect } from 'chai';
import { raw, startSecondApp } from '../helpers/second-app.js';

/** Liveness and readiness as a load balancer or Kubernetes sees them, through a shutdown. */
describe('/healthz and /readyz @smoke', function () {
  this.timeout(60_000);

  it('readiness turns 503 as soon as the shutdown starts, while the server still answers for SHUTDOWN_DELAY_MS', async () => {
    const app = await startSecondApp({ SHUTDOWN_DELAY_MS: '1500', METRICS_PORT: '0' });
    const opsUrl = app.metricsUrl!.replace(/\/metrics$/, '');
    expect((await raw(`${app.url}/readyz`)).json).to.deep.equal({ status: 'ready', checks: { draining: 'no', jobs: 'started', database: 'ok' } });
    expect((await raw(`${opsUrl}/readyz`)).status, 'also on METRICS_PORT').to.equal(200);
    const closed = app.close();
    const draining = await raw(`${app.url}/readyz`);
    expect(draining.status).to.equal(503);
    expect(draining.json.checks.draining).to.equal('shutting down');
    expect((await raw(`${app.url}/healthz`)).status, 'alive while draining').to.equal(200);
    expect((await raw(`${opsUrl}/readyz`)).status).to.equal(503);
    const graphql = await raw(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(graphql.status, 'requests are still served while draining').to.equal(200);
    await closed;
    let refused = false;
    await fetch(`${app.url}/healthz`).catch(() => (refused = true));
    expect(refused, 'closed after the delay').to.equal(true);
  });
});
