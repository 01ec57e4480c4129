import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { build } from '../../scripts/build.js';
import { freePort, graphqlAt as graphql, killHelaProcess, loginAt as login, startHelaProcess, stopHelaProcess as stop, type HelaProcess } from '../helpers/hela-process.js';

/**
 * `npm start` as a user runs it (built, then the compiled dist/src/main.js under plain node, no
 * DATABASE_URL): the compiled migrations apply, the embedded PostgreSQL keeps its data under DATA_DIR
 * across a restart, the first admin's generated password is printed once, and SIGTERM / SIGINT stop
 * the process cleanly with exit code 0. npm itself is left out so that signals reach node directly.
 */

function start(dataDir: string, port: number): Promise<HelaProcess> {
  // The Qmoney simulator on a free port: 4010, its default, may be taken by another Hela on this machine.
  return startHelaProcess({ DATA_DIR: dataDir, PORT: String(port), BCRYPT_COST: '4', LOG_LEVEL: 'info', QMONEY_SIMULATOR_PORT: '0' });
}

describe('npm start on the embedded database (a real child process)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let running: HelaProcess | undefined;
  before(() => {
    build(); // what `npm start` does first
    dataDir = mkdtempSync(join(tmpdir(), 'hela-start-'));
  });
  after(() => {
    if (running) killHelaProcess(running.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /graphql and /healthz, keeps its data across a restart, and stops cleanly on SIGTERM and SIGINT', async () => {
    const port = await freePort();
    running = await start(dataDir, port);
    const first = running;
    const printed = /First admin created: username "admin", password "([^"]+)"/.exec(first.output());
    expect(printed, first.output()).to.not.equal(null);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).to.equal(200);
    const adminToken = await login(first.url, 'admin', printed![1]);
    expect(adminToken, 'admin login with the printed password').to.be.a('string');
    const created = await graphql(
      first.url,
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { username: 'survivor', password: 'survives a restart', roles: ['ACCOUNTANT'] } },
      adminToken,
    );
    expect(created.errors).to.equal(undefined);
    expect(await stop(first, 'SIGTERM')).to.equal(0);
    expect(first.output()).to.include('"signal":"SIGTERM"').and.include('"msg":"stopped"');

    running = await start(dataDir, port);
    const second = running;
    expect(second.output(), 'the password is printed only once').to.not.include('First admin created');
    expect(await login(second.url, 'survivor', 'survives a restart'), 'user created before the restart').to.be.a('string');
    expect(await login(second.url, 'admin', printed![1])).to.be.a('string');
    expect(await stop(second, 'SIGINT')).to.equal(0);
    running = undefined;
  });
});
