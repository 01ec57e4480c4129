import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { buildIfStale } from '../../scripts/build.mjs';
import { testApp, testEnv } from '../hooks.js';

/**
 * Start-up failures an operator can fix, as a user meets them (the compiled entry points in child
 * processes): one line on stderr that names the variable and what to do, exit code 1, no stack. The
 * worker and the CLI scripts read `.env` from the working directory as npm start does.
 */
const ROOT = new URL('../../', import.meta.url).pathname;

interface Run {
  code: number | null;
  stderr: string;
}

function run(entry: string, env: Record<string, string | undefined>, { cwd = ROOT, args = [] as string[] } = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...testEnv, LOG_LEVEL: 'error', ...env };
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
  const child = spawn(process.execPath, [join(ROOT, entry), ...args], { cwd, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

function expectOneLine(result: Run, ...parts: Array<string | RegExp>): void {
  expect(result.code, result.stderr).to.equal(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).to.have.length(1);
  expect(result.stderr).to.not.match(/^\s+at /m);
  for (const part of parts) expect(lines[0]).to.match(typeof part === 'string' ? new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : part);
}

async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** A port nothing listens on (taken and released). */
async function closedPort(): Promise<number> {
  const { port, server } = await takenPort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('friendly start-up failures (npm start, npm run worker, CLI scripts) @smoke', function () {
  this.timeout(120_000);
  let databaseUrl: string;
  let taken: { port: number; server: Server };
  let dir: string;
  before(async () => {
    buildIfStale();
    databaseUrl = testApp().container.orm.config.get('clientUrl') as string;
    taken = await takenPort();
    dir = mkdtempSync(join(tmpdir(), 'hela-env-'));
  });
  after(() => {
    taken.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a port in use names PORT, QMONEY_SIMULATOR_PORT or METRICS_PORT', async () => {
    const base = { DATABASE_URL: databaseUrl, DB_POOL_MAX: '2', JOBS_POOL_MAX: '2', WORKERS_ENABLED: 'false' };
    const [port, simulator, metrics] = await Promise.all([
      run('dist/src/main.js', { ...base, PORT: String(taken.port) }),
      run('dist/src/main.js', { ...base, QMONEY_SIMULATOR_PORT: String(taken.port) }),
      run('dist/src/main.js', { ...base, METRICS_PORT: String(taken.port) }),
    ]);
    expectOneLine(port, `Hela: PORT: port ${taken.port} on 127.0.0.1 is in use`, 'set PORT to a free port');
    expectOneLine(simulator, `Hela: QMONEY_SIMULATOR_PORT: port ${taken.port} on 127.0.0.1 is in use`);
    expectOneLine(metrics, `Hela: METRICS_PORT: port ${taken.port} on 127.0.0.1 is in use`);
  });

  it('a database that refuses, and a DATABASE_URL that is not one, name DATABASE_URL without its password', async () => {
    const refused = `postgresql://hela:s3cret-pw@127.0.0.1:${await closedPort()}/hela`;
    const [refusing, bad] = await Promise.all([
      run('dist/src/main.js', { DATABASE_URL: refused }),
      run('dist/src/main.js', { DATABASE_URL: 'hela:s3cret-pw@db/hela' }),
    ]);
    expectOneLine(refusing, 'Hela: DATABASE_URL: nothing accepts connections at 127.0.0.1:', 'start PostgreSQL there or correct DATABASE_URL');
    expectOneLine(bad, 'Hela: DATABASE_URL must be a PostgreSQL URL such as postgresql://');
    expect(refusing.stderr + bad.stderr).to.not.include('s3cret-pw');
  });

  it('production without SECRET_KEY (or JWT_SECRET) says how to make one', async () => {
    const [secretKey, jwt] = await Promise.all([
      run('dist/src/main.js', { NODE_ENV: 'production', SECRET_KEY: undefined }),
      run('dist/src/main.js', { NODE_ENV: 'production', JWT_SECRET: undefined }),
    ]);
    expectOneLine(secretKey, 'Hela: SECRET_KEY is required when NODE_ENV=production', 'openssl rand -hex 32');
    expectOneLine(jwt, 'Hela: JWT_SECRET is required when NODE_ENV=production');
  });

  it('npm run worker and the CLI scripts read .env from the working directory as npm start does', async () => {
    const port = await closedPort();
    writeFileSync(join(dir, '.env'), `DATABASE_URL=postgresql://postgres@127.0.0.1:${port}/from-dotenv\n`);
    const env = { DATABASE_URL: undefined };
    const [worker, importer, seed] = await Promise.all([
      run('dist/src/worker.js', env, { cwd: dir }),
      run('dist/scripts/import-entitlements.js', env, { cwd: dir, args: ['00000000-0000-0000-0000-000000000000', join(dir, '.env')] }),
      run('dist/scripts/seed-demo.js', env, { cwd: dir }),
    ]);
    for (const [result, what] of [[worker, 'Hela worker'], [importer, 'import:entitlements'], [seed, 'seed:demo']] as const) {
      expectOneLine(result, `${what}: DATABASE_URL: nothing accepts connections at 127.0.0.1:${port}/from-dotenv`);
    }
  });

  it('a simulator script on a taken port names --port', async () => {
    const result = await run('dist/scripts/example-bank-simulator.js', {}, { args: ['--port', String(taken.port)] });
    expectOneLine(result, `sim:example-bank: --port: port ${taken.port} on 127.0.0.1 is in use`);
  });
});
