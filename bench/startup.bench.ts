import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
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

/**
 * CPU seconds the process group has used so far (npm, its pre-script, node): on a busy machine wall time
 * waits for a core, CPU time does not, so it shows what the start costs on an idle one. Linux (/proc) only.
 */
function groupCpuSeconds(pgid: number): number {
  const ticks = 100; // USER_HZ
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    if (Number(fields[2]) !== pgid) continue;
    total += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]); // utime stime cutime cstime
  }
  return total / ticks;
}

interface Start {
  seconds: number;
  cpu: number;
}

/** Wall and CPU seconds from spawning `npm run <script>` to a 200 from /readyz on `port`; then SIGTERM and wait for the exit. */
async function timeToReady(script: string, env: NodeJS.ProcessEnv, port: number): Promise<Start> {
  const started = process.hrtime.bigint();
  const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm run ${script} exited with ${child.exitCode}: ${stderr}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpu: groupCpuSeconds(child.pid!) };
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

const median = (starts: Start[]) => [...starts].sort((a, b) => a.seconds - b.seconds)[Math.floor(starts.length / 2)];

const scenario: BenchScenario = {
  name: 'startup',
  async run(databaseUrl) {
    spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' }); // dist/ up to date, as after npm install
    const dataDir = mkdtempSync(join(tmpdir(), 'hela-startup-'));
    const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ADMIN_PASSWORD: 'bench-admin-password', QMONEY_SIMULATOR_PORT: '0' };
    for (const name of ['DATABASE_URL', 'METRICS_PORT', 'METRICS_TOKEN', 'OTEL_EXPORTER_OTLP_ENDPOINT']) delete base[name];
    try {
      const bare = [...Array.from({ length: 5 }, bareNode)].sort((a, b) => a - b)[2];
      const port = await freePort();
      const api = { ...base, DATA_DIR: dataDir, PORT: String(port) };
      const cold = await timeToReady('start', api, port);
      const warm: Start[] = [];
      for (let i = 0; i < WARM_RUNS; i++) warm.push(await timeToReady('start', api, port));
      // A source file touched: the pre-script rebuilds (tsc, incremental) before starting.
      const touched = join(ROOT, 'src', 'main.ts');
      const now = new Date();
      utimesSync(touched, now, now);
      const rebuilt = await timeToReady('start', api, port);
      const metricsPort = await freePort();
      const worker = { ...base, DATABASE_URL: databaseUrl, METRICS_PORT: String(metricsPort) };
      const workerCold = await timeToReady('worker', worker, metricsPort);
      const workerWarm: Start[] = [];
      for (let i = 0; i < WARM_RUNS; i++) workerWarm.push(await timeToReady('worker', worker, metricsPort));

      const row = (label: string, start: Start, target?: number) => {
        const verdict = target === undefined ? '' : `target ≤ ${target} s: ${start.seconds <= target ? 'met' : start.cpu <= target ? 'missed on this busy machine (CPU within it)' : 'MISSED'}`;
        console.log(`${label.padEnd(52)} ${start.seconds.toFixed(2).padStart(6)} s  ${(start.seconds / bare).toFixed(0).padStart(4)}× node -e  cpu ${start.cpu.toFixed(2).padStart(5)} s  ${verdict}`);
      };
      console.log(`to GET /readyz 200, through npm; warm = median of ${WARM_RUNS}; cpu = CPU time of npm and everything it ran; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
      console.log(`${"bare node -e '' (floor)".padEnd(52)} ${bare.toFixed(2).padStart(6)} s`);
      row('npm start, cold (new embedded database, migrations)', cold);
      row('npm start, warm (nothing changed)', median(warm), 5);
      row('npm start after a source change (incremental tsc)', rebuilt);
      row('npm run worker, first start on this database', workerCold);
      row('npm run worker, warm (nothing changed)', median(workerWarm), 3);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default scenario;
