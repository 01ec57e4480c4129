import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, startArgs } from '../scripts/build.mjs';

/** Hela's environment in the benches; the bench's own in-process services (users, PSPs, intake) use it too. */
export const HELA_ENV: Record<string, string> = {
  NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'silent', BCRYPT_COST: '4',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', SECRET_KEY: '1'.repeat(64), ADMIN_PASSWORD: 'bench admin password',
  SIMULATORS_ENABLED: 'false', WORKERS_ENABLED: 'false', DB_POOL_MAX: '10',
  // The load comes from one PSP token at ~10,000 calls/s, far past the production default (120 a
  // minute): the limiter stays on, so its per-call cost is measured, with a limit the run cannot reach.
  RATE_LIMIT_PSP_PER_MINUTE: '100000000', RATE_LIMIT_PSP_BURST: '1000000',
};

export interface HelaProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * As `npm start` (`api`) or `npm run worker` (`worker`) run it, without npm in between: built, then node
 * on dist/src/main.js or dist/src/worker.js. Ready when /healthz answers: on PORT for the API, on
 * METRICS_PORT (its one listener) for a worker. `url` is that listener.
 */
export async function startHela(env: Record<string, string>, entry: 'api' | 'worker' = 'api'): Promise<HelaProcess> {
  build();
  const port = await freePort();
  const args = startArgs();
  if (entry === 'worker') args[args.length - 1] = join(dirname(args.at(-1)!), 'worker.js');
  // A directory of its own, so that a developer's .env cannot change what is measured.
  const cwd = mkdtempSync(join(tmpdir(), 'hela-bench-'));
  // BENCH_CPU_PROF=<dir>: Hela writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const listener = entry === 'api' ? { PORT: String(port) } : { METRICS_PORT: String(port) };
  const child: ChildProcess = spawn(process.execPath, [...profile, ...args], { cwd, env: { ...env, ...listener }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(cwd, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { url, pid: child.pid!, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`Hela (${entry}) did not start:\n${stderr}`);
}

/**
 * CPU time (ms) a process has used: its main thread's (`thread: 'main'`: where Hela serves requests)
 * or all its threads' (`'all'`: libuv's pool too), from Linux's /proc; undefined elsewhere. Unlike
 * req/s it barely moves when other work loads the machine.
 */
export function cpuMs(pid: number, thread: 'main' | 'all' = 'main'): number | undefined {
  try {
    const path = thread === 'main' ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`;
    const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 10 ms ticks
  } catch {
    return undefined;
  }
}
