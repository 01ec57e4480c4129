import { createServer, connect, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import type { App } from '../../src/app.js';
import { testApp } from '../hooks.js';
import { raw, startSecondApp } from '../helpers/second-app.js';

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
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe('GET /healthz @smoke', () => {
  let app: App | undefined;
  after(async () => {
    await app?.close();
  });

  it('answers 200 while the database answers', async () => {
    const response = await raw(`${testApp().url}/healthz`);
    expect(response.status).to.equal(200);
    expect(response.json).to.deep.equal({ status: 'ok' });
  });

  it('answers 503 once the database no longer answers', async () => {
    const relay = await databaseRelay(new URL(testApp().container.orm.config.get('clientUrl') as string));
    app = await startSecondApp({ DATABASE_URL: relay.url });
    expect((await raw(`${app.url}/healthz`)).status).to.equal(200);
    await relay.cut();
    const response = await raw(`${app.url}/healthz`);
    expect(response.status).to.equal(503);
    expect(response.json).to.deep.equal({ status: 'database unavailable' });
  });
});
