import { cpus, loadavg, tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { Container } from '../src/container.js';
import {
  approveAndSendUntilFinal, createCycle, createProgramme, importEntitlements, managerToken, seedRegistry, startPayer, writeEntitlementsCsv,
  type PayerStats, type SendRun,
} from './disbursement-cycle.js';
import { cpuMs, HELA_ENV, startHela, type HelaProcess } from './hela-process.js';
import { CONNECTIONS, line, load, openPspLoad, SECONDS, WARMUP, type PspLoad, type RunResult } from './psp-load.js';
import type { BenchScenario } from './run.js';
import { median, RUNS, withSpread } from './stats.js';

/**
 * Scale-out, measured: several Hela processes on one PostgreSQL, each a real OS process as production
 * runs it (compiled, plain node).
 *
 * - API: two `npm start` processes (workers off) on ports of their own, started together on the empty
 *   database; PSP-API throughput (verifyInsuree, processPayment) with 1, then 2, of them, the 50 clients
 *   of the load generator split evenly across the ones in use.
 * - Workers: one, then two, `npm run worker` processes (the pg-boss send workers); the time of a cycle of
 *   BENCH_SCALE_ROWS payments (1,000,000) from approval until every payment is final, through the G2P
 *   payer simulator. After every cycle the database and the payer's own ledger are counted: every
 *   payment sent exactly once (one disburse call per batch, no reference id received twice) and final,
 *   or the scenario fails.
 *
 * Layouts alternate within each of BENCH_RUNS runs (3), so both meet the same noise; the ratios are of
 * medians. CPU per request (API) and CPU seconds per cycle (workers) are summed over the processes:
 * what the second process costs even where it cannot be faster (a machine of 2 cores, where the
 * database, the load generator and the simulator already share them).
 * Env: BENCH_SCALE_ROWS (1000000), and psp-load.ts's BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_FAMILIES,
 * BENCH_HISTORY, BENCH_CONNECTIONS.
 */
const ROWS = Number(process.env.BENCH_SCALE_ROWS ?? 1_000_000);
const LAYOUTS = [1, 2] as const;

const processes = (n: number, kind = '') => `${n} ${kind}process${n > 1 ? 'es' : ''}`;
const machine = () => `${cpus().length} cores, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`;

const scenario: BenchScenario = {
  name: 'scale',
  async run(databaseUrl) {
    const env = {
      ...HELA_ENV, DATABASE_URL: databaseUrl,
      // The payer simulator is on loopback; the processes stop at once (no load balancer to drain).
      OUTBOUND_ALLOW_PRIVATE: 'true', SHUTDOWN_DELAY_SECONDS: '0', DISBURSEMENT_SWEEP_SECONDS: '2',
    };
    console.log(`   machine: ${machine()}`);
    // Together on the empty database: both apply the migrations (one waits for the other) and come up.
    const apis = await Promise.all([startHela(env), startHela(env)]);
    console.log(`   2 API processes (pids ${apis.map((a) => a.pid).join(', ')}) started together on one empty database, ports ${apis.map((a) => new URL(a.url).port).join(', ')}`);
    try {
      const fixture = await openPspLoad(env, databaseUrl);
      try {
        await measureApi(apis, fixture);
        await measureWorkers(apis[0], env, databaseUrl, fixture);
      } finally {
        await fixture.close();
      }
    } finally {
      await Promise.all(apis.map((api) => api.stop()));
    }
  },
};

interface ApiRun { verify: RunResult; pay: RunResult }

async function measureApi(apis: HelaProcess[], fixture: PspLoad): Promise<void> {
  console.log(`   PSP API: ${CONNECTIONS} clients split across the processes in use, ${WARMUP}s warm-up + ${SECONDS}s per measurement`);
  const runs = new Map<number, ApiRun[]>(LAYOUTS.map((n) => [n, []]));
  for (let run = 1; run <= RUNS; run++) {
    for (const n of LAYOUTS) {
      const used = apis.slice(0, n);
      const pids = used.map((api) => api.pid);
      const urls = used.map((api) => `${api.url}/graphql`);
      await fixture.reset();
      const verify = await load(pids, urls, { ...fixture.common, token: fixture.token, kind: 'hela-verify' });
      const pay = await fixture.payRun(`${n}api-${run}`, pids, urls, 'hela-pay', true);
      runs.get(n)!.push({ verify, pay });
      const one = runs.get(1)![run - 1];
      console.log(`   run ${run}/${RUNS}, ${processes(n)} (${machine()}):`);
      console.log(line(`verifyInsuree, ${processes(n)}`, verify, n > 1 ? one.verify : undefined));
      console.log(line(`processPayment, ${processes(n)}`, pay, n > 1 ? one.pay : undefined));
    }
  }
  console.log(`   API, median of ${RUNS} (lowest–highest); ratio: 2 processes / 1; CPU: main threads of the processes in use, summed, per request:`);
  for (const [label, pick] of [['verifyInsuree', (r: ApiRun) => r.verify], ['processPayment', (r: ApiRun) => r.pay]] as const) {
    const of = (n: number, value: (r: RunResult) => number | undefined, digits = 0) => withSpread(runs.get(n)!.map((r) => value(pick(r)) ?? NaN), digits);
    const rps = (n: number) => median(runs.get(n)!.map((r) => pick(r).rps));
    for (const n of LAYOUTS) {
      console.log(`   ${label.padEnd(15)} ${processes(n).padEnd(12)} ${of(n, (r) => r.rps)} req/s, p99 ${of(n, (r) => r.p99, 1)} ms, CPU ${of(n, (r) => r.cpuUs)} us/request`);
    }
    console.log(`   ${label.padEnd(15)} ratio        ${(rps(2) / rps(1)).toFixed(2)}× the throughput of 1 process`);
  }
  console.log('   payment rows written = accepted requests:');
  for (const check of fixture.checks) console.log(check);
  if (fixture.checks.some((check) => check.endsWith('MISMATCH'))) throw new Error('a PSP payment run wrote other rows than it accepted (see above)');
}

interface WorkerRun extends SendRun { workerCpuSeconds: number[] }

async function measureWorkers(api: HelaProcess, env: Record<string, string>, databaseUrl: string, fixture: PspLoad): Promise<void> {
  const payer = await startPayer();
  const file = join(tmpdir(), `hela-bench-scale-entitlements-${process.pid}.csv`);
  try {
    const token = await managerToken(api.url, fixture.container);
    const programmeId = await createProgramme(api.url, token, payer.url);
    const started = process.hrtime.bigint();
    await seedRegistry(databaseUrl, programmeId, ROWS);
    await writeEntitlementsCsv(databaseUrl, programmeId, file);
    console.log(`   workers: ${ROWS.toLocaleString()} beneficiaries enrolled and their entitlements file written in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s (not timed below);`
      + ' a new cycle per run and layout, loaded before the worker processes start; timed from approveCycle until every payment is final');
    const runs = new Map<number, WorkerRun[]>(LAYOUTS.map((n) => [n, []]));
    for (let run = 1; run <= RUNS; run++) {
      for (const n of LAYOUTS) {
        const result = await cycleWithWorkers(n, `S${run}W${n}`, { api, env, token, programmeId, file, container: fixture.container, db: fixture.db, payer });
        runs.get(n)!.push(result);
        console.log(`   run ${run}/${RUNS}, ${processes(n, 'worker ')} (${machine()}): ${ROWS.toLocaleString()} payments in ${result.total.toFixed(1)} s`
          + ` (approve ${result.approve.toFixed(1)} s, sendDisbursements queues ${result.batchesQueued} batches ${result.batches.toFixed(1)} s, send → all final ${result.send.toFixed(1)} s);`
          + ` worker CPU ${result.workerCpuSeconds.map((s) => `${s.toFixed(1)} s`).join(' + ')}`);
      }
    }
    console.log(`   workers, median of ${RUNS} (lowest–highest), ${ROWS.toLocaleString()}-payment cycle, approve → send → payer → all final:`);
    const total = (n: number) => median(runs.get(n)!.map((r) => r.total));
    for (const n of LAYOUTS) {
      const of = (value: (r: WorkerRun) => number, digits = 1) => withSpread(runs.get(n)!.map(value), digits);
      console.log(`   ${processes(n).padEnd(12)} ${of((r) => r.total)} s = ${of((r) => ROWS / r.total, 0)} payments/s; send → all final ${of((r) => r.send)} s;`
        + ` worker CPU (all processes, all threads) ${of((r) => r.workerCpuSeconds.reduce((a, b) => a + b, 0))} s`);
    }
    console.log(`   ratio        2 worker processes take ${(total(2) / total(1)).toFixed(2)}× the time of 1`);
  } finally {
    await rm(file, { force: true });
    payer.stop();
  }
}

interface CycleContext {
  api: HelaProcess;
  env: Record<string, string>;
  token: string;
  programmeId: string;
  file: string;
  container: Container;
  db: pg.Client;
  payer: Awaited<ReturnType<typeof startPayer>>;
}

/** One cycle with `n` worker processes, started for it and stopped after it; checked exactly-once. */
async function cycleWithWorkers(n: number, code: string, context: CycleContext): Promise<WorkerRun> {
  const { api, env, token, programmeId, file, container, db, payer } = context;
  const cycleId = await createCycle(api.url, token, programmeId, code);
  await importEntitlements(container, cycleId, file, ROWS);
  const workers = await Promise.all(Array.from({ length: n }, () => startHela(env, 'worker')));
  let result: SendRun;
  let workerCpuSeconds: number[];
  const before = await payer.stats();
  try {
    const cpuBefore = workers.map((w) => cpuMs(w.pid, 'all') ?? NaN);
    result = await approveAndSendUntilFinal(api.url, token, cycleId, 500);
    workerCpuSeconds = workers.map((w, i) => ((cpuMs(w.pid, 'all') ?? NaN) - cpuBefore[i]) / 1000);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  await checkExactlyOnce(db, cycleId, before, await payer.stats(), `${code}, ${processes(n, 'worker ')}`);
  return { ...result, workerCpuSeconds };
}

/**
 * Counts, from the database and from the payer's ledger, that the cycle's every payment was sent exactly
 * once and is final; prints the counts and throws if any is off. The payer counts what it received (a
 * batch sent twice shows as its reference ids received again), the database what Hela recorded.
 */
async function checkExactlyOnce(db: pg.Client, cycleId: string, before: PayerStats, after: PayerStats, label: string): Promise<void> {
  const { rows: [payments] } = await db.query(`select count(*)::int as total,
      count(*) filter (where status = 'PAID')::int as paid, count(*) filter (where status = 'FAILED')::int as failed,
      count(*) filter (where status not in ('PAID', 'FAILED'))::int as open, count(*) filter (where batch_id is null)::int as unbatched
    from disbursement_payments where cycle_id = $1`, [cycleId]);
  const { rows: [batches] } = await db.query(`select count(*)::int as total, coalesce(sum(attempts), 0)::int as calls,
      count(*) filter (where attempts <> 1)::int as not_once, count(*) filter (where status <> 'COMPLETED')::int as unfinished
    from disbursement_batches where cycle_id = $1`, [cycleId]);
  const received = {
    references: after.references - before.references, transactions: after.transactions - before.transactions,
    paid: after.paid - before.paid, rejected: after.rejected - before.rejected, duplicates: after.duplicates - before.duplicates,
  };
  const expectations: [string, number, number][] = [
    ['payments generated (database)', payments.total, ROWS],
    ['payments not final (database)', payments.open, 0],
    ['payments in no batch (database)', payments.unbatched, 0],
    ['batches not completed (database)', batches.unfinished, 0],
    ['disburse calls (database: sum of batch attempts) = batches', batches.calls, batches.total],
    ['batches sent other than once (database)', batches.not_once, 0],
    ['disburse messages received (payer) = batches', received.transactions, batches.total],
    ['reference ids received (payer) = payments', received.references, payments.total],
    ['reference ids received again (payer)', received.duplicates, 0],
    ['paid (payer) = PAID (database)', received.paid, payments.paid],
    ['rejected (payer) = FAILED (database)', received.rejected, payments.failed],
    ['references paid twice, all cycles (payer)', after.paidTwice, 0],
  ];
  const wrong = expectations.filter(([, actual, expected]) => actual !== expected);
  console.log(`   exactly-once, ${label}: database ${payments.total} payments (${payments.paid} PAID, ${payments.failed} FAILED, ${payments.open} open) in ${batches.total} batches, ${batches.calls} disburse calls;`
    + ` payer received ${received.transactions} messages, ${received.references} reference ids, ${received.duplicates} repeated, paid ${received.paid}, rejected ${received.rejected}:`
    + ` ${wrong.length ? 'FAILED' : 'every payment sent once and final'}`);
  if (wrong.length) throw new Error(`exactly-once check failed (${label}): ${wrong.map(([what, actual, expected]) => `${what}: ${actual}, expected ${expected}`).join('; ')}`);
}

export default scenario;
