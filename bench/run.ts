import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';

/**
 * `npm run bench [-- <name>...]`: runs every `bench/*.bench.ts` scenario (or the named ones) on real
 * PostgreSQL: the server of DATABASE_URL when set, else a throwaway one from scripts/pg-test.sh. Each
 * scenario gets a database of its own, created before it and dropped after it, so no scenario meets
 * another's rows (a registry seeded by one is not the one the next expects). Each scenario measures
 * its own floor in the same run and prints its ratio to it.
 */
export interface BenchScenario {
  name: string;
  run(databaseUrl: string): Promise<void>;
}

const wanted = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.bench.ts')).sort();
let serverUrl = process.env.DATABASE_URL;
const ownServer = !serverUrl;
if (ownServer) serverUrl = execFileSync('scripts/pg-test.sh', ['start'], { encoding: 'utf8' }).trim();

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The facts a figure needs to be read: this machine is shared and noisy. */
async function header(): Promise<string> {
  const server = await onServer((c) => c.query(`select version() as v, current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc`));
  const { v, fsync, sc } = server.rows[0];
  const cpu = cpus();
  return [
    `machine: ${cpu.length} cores, ${cpu[0]?.model.trim() ?? 'unknown CPU'}; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')} (1/5/15 min) at start`,
    `node ${process.version}; ${v.split(',')[0]}, fsync=${fsync}, synchronous_commit=${sc}`,
    `figures: median (lowest–highest) of ${process.env.BENCH_RUNS ?? 3} runs unless a line says otherwise (BENCH_RUNS)`,
  ].join('\n');
}

async function withOwnDatabase(name: string, run: (url: string) => Promise<void>): Promise<void> {
  const database = `hela_bench_${name.replace(/\W/g, '_')}_${process.pid}`;
  const url = new URL(serverUrl!);
  url.pathname = `/${database}`;
  await onServer(async (c) => {
    await c.query(`drop database if exists ${database} with (force)`);
    await c.query(`create database ${database}`);
  });
  try {
    await run(url.toString());
  } finally {
    await onServer((c) => c.query(`drop database if exists ${database} with (force)`));
  }
}

const failed: string[] = [];
try {
  console.log(await header());
  for (const file of files) {
    const scenario = (await import(`./${file}`)).default as BenchScenario;
    if (wanted.length && !wanted.includes(scenario.name)) continue;
    console.log(`\n== ${scenario.name} (load average ${loadavg()[0].toFixed(2)})`);
    try {
      await withOwnDatabase(scenario.name, (url) => scenario.run(url));
    } catch (error) {
      // One broken scenario does not hide the others' figures; the run still fails at the end.
      failed.push(scenario.name);
      console.log(`   FAILED: ${(error as Error).stack ?? String(error)}`);
    }
  }
} finally {
  if (ownServer) execFileSync('scripts/pg-test.sh', ['stop', serverUrl!]);
}
if (failed.length) {
  console.log(`\nfailed scenarios: ${failed.join(', ')}`);
  process.exitCode = 1;
}
