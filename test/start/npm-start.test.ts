import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { build, startArgs } from '../../scripts/build.js';
import { freePort } from '../helpers/child-processes.js';

/**
 * `npm start` as a user runs it (built, then the compiled dist/src/main.js under plain node, no
 * DATABASE_URL): the compiled migrations apply, the embedded PostgreSQL keeps its data under DATA_DIR
 * across a restart, the first admin's generated password is printed once, and SIGTERM / SIGINT stop
 * the process cleanly with exit code 0. npm itself is left out so that signals reach node directly.
 */

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
}

async function start(dataDir: string, port: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BCRYPT_COST: '4', LOG_LEVEL: 'info' };
  for (const name of ['DATABASE_URL', 'ADMIN_PASSWORD', 'ADMIN_USERNAME', 'NODE_ENV', 'JWT_SECRET', 'SECRET_KEY']) delete env[name];
  // Its own process group, so that cleanup after a failure reaches everything it started.
  const child = spawn(process.execPath, startArgs(), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (output.includes('Hela is serving GraphQL')) return { child, output: () => output, url };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  killGroup(child);
  throw new Error(`npm start did not come up within 60 s:\n${output}`);
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

function stop({ child }: Started, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

async function graphql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ message: string }> };
}

async function login(url: string, username: string, password: string): Promise<string | undefined> {
  const result = await graphql(url, 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }', { u: username, p: password });
  return result.data?.tokenAuth?.token;
}

describe('npm start on the embedded database (a real child process)', function () {
  this.timeout(180_000);
  let dataDir: string;
  let running: Started | undefined;
  before(() => {
    build(); // what `npm start` does first
    dataDir = mkdtempSync(join(tmpdir(), 'hela-start-'));
  });
  after(() => {
    if (running) killGroup(running.child);
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
