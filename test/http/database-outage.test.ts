import { connect, createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import type { App } from '../../src/app.js';
import { testApp } from '../hooks.js';
import { capturedLog, raw, startSecondApp } from '../helpers/second-app.js';
import { Role, tokenFor } from '../helpers/users.js';

/** A TCP relay to the test database that can be cut, standing in for a database outage. */
async function databaseRelay(target: URL): Promise<{ url: string; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayed = new URL(target);
  relayed.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: relayed.toString(),
    async cut() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe('when the database stops answering @smoke', () => {
  let app: App | undefined;
  let lines: string[];
  let relay: Awaited<ReturnType<typeof databaseRelay>>;
  before(async () => {
    relay = await databaseRelay(new URL(testApp().container.orm.config.get('clientUrl') as string));
    const captured = capturedLog('info');
    lines = captured.lines;
    app = await startSecondApp({ DATABASE_URL: relay.url }, captured.log);
  });
  after(async () => {
    await app?.close();
  });

  it('GET /readyz answers 200 while the database answers, then 503 naming the database; /healthz (liveness) stays 200', async () => {
    const ready = await raw(`${app!.url}/readyz`);
    expect(ready.status).to.equal(200);
    expect(ready.json).to.deep.equal({ status: 'ready', checks: { draining: 'no', jobs: 'started', database: 'ok' } });
    await relay.cut();
    const response = await raw(`${app!.url}/readyz`);
    expect(response.status).to.equal(503);
    expect(response.json).to.deep.equal({ status: 'not ready', checks: { draining: 'no', jobs: 'started', database: 'unavailable' } });
    const live = await raw(`${app!.url}/healthz`);
    expect(live.status).to.equal(200);
    expect(live.json).to.deep.equal({ status: 'ok' });
  });

  it('GraphQL masks the failure as INTERNAL_SERVER_ERROR and logs its detail with the request id', async () => {
    const token = await tokenFor(Role.ADMIN); // issued by the main app; this one must look the user up
    await relay.cut();
    const response = await raw(`${app!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'req-db-outage' },
      body: JSON.stringify({ query: '{ users { totalCount } }' }),
    });
    expect(response.status).to.be.below(500);
    expect(response.json.errors).to.deep.equal([
      { message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['users'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(response.text).to.not.match(/ECONN|127\.0\.0\.1|stack|select/i);
    const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'unexpected error');
    expect(logged, lines.join('\n')).to.include({ requestId: 'req-db-outage', level: 50 });
    expect(logged.err.message).to.be.a('string').that.is.not.empty;
  });
});
