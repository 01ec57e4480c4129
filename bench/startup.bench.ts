import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchScenario } from './run.js';

/**
 * From `npm start` / `npm run worker` to ready (GET /readyz answers 200), as a user runs them: through
 * npm, with its pre-script's staleness check, in a process of their own. Next to a bare `node -e ''`
 * (the floor: what starting Node alone costs on this machine now). Cold: a fresh embedded database
 * (created, every migration applied). Warm: the same again with nothing changed, the median of 3.
 * Targets (issue 15): warm npm start ≤ 5 s, warm npm run worker ≤ 3 s.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WARM_RUNS = 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Seconds from spawning `npm run <script>` to a 200 from `readyUrl`; then SIGTERM and wait for the exit. */
async function timeToReady(script: string, env: NodeJS.ProcessEnv, port: number): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm run ${script} exited with ${child.exitCode}: ${stderr}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) return Number(process.hrtime.bigint() - started) / 1e9;
      if (Number(process.hrtime.bigint() - started) > 120e9) throw new Error(`npm run ${script} was not ready within 120 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

function bareNode(): number {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const scenario: BenchScenario = {
  name: 'startup',
  async run(databaseUrl) {
    spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' }); // dist/ up to date, as after npm install
    const dataDir = mkdtempSync(join(tmpdir(), 'hela-startup-'));
    const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ADMIN_PASSWORD: 'bench-admin-password', QMONEY_SIMULATOR_PORT: '0' };
    for (const name of ['DATABASE_URL', 'METRICS_PORT', 'METRICS_TOKEN', 'OTEL_EXPORTER_OTLP_ENDPOINT']) delete base[name];
    try {
      const bare = median(Array.from({ length: 5 }, bareNode));
      const port = await freePort();
      const api = { ...base, DATA_DIR: dataDir, PORT: String(port) };
      const cold = await timeToReady('start', api, port);
      const warm: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) warm.push(await timeToReady('start', api, port));
      // A source file touched: the pre-script rebuilds (tsc, incremental) before starting.
      const touched = join(ROOT, 'src', 'main.ts');
      const now = new Date();
      utimesSync(touched, now, now);
      const rebuilt = await timeToReady('start', api, port);
      const metricsPort = await freePort();
      const worker = { ...base, DATABASE_URL: databaseUrl, METRICS_PORT: String(metricsPort) };
      const workerCold = await timeToReady('worker', worker, metricsPort);
      const workerWarm: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) workerWarm.push(await timeToReady('worker', worker, metricsPort));

      const row = (label: string, seconds: number, note = '') => console.log(`${label.padEnd(52)} ${seconds.toFixed(2).padStart(6)} s  ${(seconds / bare).toFixed(0).padStart(4)}× node -e  ${note}`);
      console.log(`to GET /readyz 200, through npm; warm = median of ${WARM_RUNS}`);
      row("bare node -e '' (floor)", bare);
      row('npm start, cold (new embedded database, migrations)', cold);
      row('npm start, warm (nothing changed)', median(warm), `target ≤ 5 s: ${median(warm) <= 5 ? 'met' : 'MISSED'}`);
      row('npm start after a source change (incremental tsc)', rebuilt);
      row('npm run worker, first start on this database', workerCold);
      row('npm run worker, warm (nothing changed)', median(workerWarm), `target ≤ 3 s: ${median(workerWarm) <= 3 ? 'met' : 'MISSED'}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default scenario;
