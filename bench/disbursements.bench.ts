import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { approveAndSendUntilFinal, createCycle, createProgramme, importEntitlements, managerToken, seedRegistry, startPayer, writeEntitlementsCsv } from './disbursement-cycle.js';
import type { BenchScenario } from './run.js';
import { RUNS, seconds, withSpread } from './stats.js';

/**
 * 1,000,000 beneficiaries through the whole disbursement path on real PostgreSQL:
 * approve (payments generated set-based) → sendDisbursements (batches) → pg-boss send jobs → the
 * G2P Connect payer simulator (SYNC mode, loopback, its own process) → every payment final.
 * The floors, measured in the same run: COPY of the same million payment rows (end to end), COPY of
 * the same entitlements file (intake), one INSERT … SELECT of the entitlements (approve). Each cycle
 * runs BENCH_RUNS times (3); medians and spreads are printed.
 * BENCH_DISBURSEMENTS_ROWS (default 1,000,000) scales it down while iterating.
 */
const ROWS = Number(process.env.BENCH_DISBURSEMENTS_ROWS ?? 1_000_000);

/** The floor: COPY the same number of payment-shaped rows (uuid PK, ~30-character payee FA) into a like table. */
async function copyFloor(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('drop table if exists bench_copy_payments');
    await client.query('create table bench_copy_payments (like disbursement_payments including defaults including indexes)');
    await client.query('checkpoint');
    const cycle = randomUUID();
    const now = new Date().toISOString();
    function* rows() {
      for (let i = 0; i < ROWS; i += 1000) {
        let chunk = '';
        for (let j = i; j < Math.min(i + 1000, ROWS); j++) {
          chunk += `${randomUUID()},${cycle},${randomUUID()},${randomUUID()},,100.00,GMD,phone:+220${String(j).padStart(7, '0')}@mobile,Payee ${j},,PENDING,,,${now},${now}\n`;
        }
        yield chunk;
      }
    }
    const started = process.hrtime.bigint();
    await pipeline(
      Readable.from(rows()),
      client.query(copyFrom(`copy bench_copy_payments (id, cycle_id, entitlement_id, beneficiary_id, batch_id, amount, currency, payee_fa, payee_name, region, status, reason_code, reason_message, created_at, updated_at) from stdin with (format csv)`)),
    );
    const elapsed = seconds(started);
    await client.query('drop table bench_copy_payments');
    return elapsed;
  } finally {
    await client.end();
  }
}

/** The intake's floor: COPY of the same file into a table of its typed columns, unique on the beneficiary as entitlements are (per cycle). */
async function csvCopyFloor(databaseUrl: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('drop table if exists bench_copy_entitlements');
    await client.query('create table bench_copy_entitlements (beneficiary uuid primary key, amount numeric(18,2), currency text)');
    await client.query('checkpoint');
    const started = process.hrtime.bigint();
    await pipeline(createReadStream(file), client.query(copyFrom('copy bench_copy_entitlements from stdin with (format csv, header true)')));
    const elapsed = seconds(started);
    await client.query('drop table bench_copy_entitlements');
    return elapsed;
  } finally {
    await client.end();
  }
}

/** The approval's floor: one `INSERT … SELECT` of the cycle's entitlements into a payments-shaped table (its indexes, no batching, no payee join). */
async function insertSelectFloor(databaseUrl: string, cycleId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('drop table if exists bench_insert_payments');
    await client.query('create table bench_insert_payments (like disbursement_payments including defaults including indexes)');
    await client.query('checkpoint');
    const started = process.hrtime.bigint();
    await client.query(
      `insert into bench_insert_payments (id, cycle_id, entitlement_id, beneficiary_id, amount, currency, payee_fa, status, created_at, updated_at)
       select gen_random_uuid(), e.cycle_id, e.id, e.beneficiary_id, e.amount, e.currency, 'phone:' || e.beneficiary_id || '@mobile', 'PENDING', now(), now()
         from entitlements e where e.cycle_id = $1`,
      [cycleId],
    );
    const elapsed = seconds(started);
    await client.query('drop table bench_insert_payments');
    return elapsed;
  } finally {
    await client.end();
  }
}

/**
 * What the send path's updates cost in index writes: of disbursement_payments' updated rows, how many were
 * heap-only (HOT, no index entry written), and the cycle summary's payments query on the last cycle (median of 5).
 */
async function updateFigures(databaseUrl: string, cycleId: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The statistics collector reports with a delay; flush this backend's and read the others' as they are.
    await client.query('select pg_stat_force_next_flush()');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ upd: string; hot: string }>(`select n_tup_upd as upd, n_tup_hot_upd as hot from pg_stat_user_tables where relname = 'disbursement_payments'`);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = process.hrtime.bigint();
      await client.query(`select status, count(*)::int as count, sum(amount)::text as amount from disbursement_payments where cycle_id = $1 group by status order by status`, [cycleId]);
      times.push(seconds(started) * 1000);
    }
    const { upd, hot } = rows[0];
    return `disbursement_payments updates over all cycles: ${Number(upd).toLocaleString()}, HOT ${Number(hot).toLocaleString()} (${((100 * Number(hot)) / Math.max(1, Number(upd))).toFixed(0)} %);`
      + ` cycle summary payments query (last cycle): ${withSpread(times, 0)} ms`;
  } finally {
    await client.end();
  }
}

interface CycleRun {
  intake: number;
  csvCopy: number;
  paymentCopy: number;
  insertSelect: number;
  approve: number;
  batches: number;
  send: number;
  total: number;
}

const scenario: BenchScenario = {
  name: 'disbursements',
  async run(databaseUrl) {
    const payer = await startPayer();
    const app = await startApp(
      loadConfig({
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: databaseUrl,
        PORT: '0',
        LOG_LEVEL: 'warn',
        WORKERS_ENABLED: 'true',
        BCRYPT_COST: '4',
        DISBURSEMENT_SWEEP_SECONDS: '2',
      }),
    );
    try {
      const { container, url } = app;
      const token = await managerToken(url, container);
      const programmeId = await createProgramme(url, token, payer.url);
      let t = process.hrtime.bigint();
      await seedRegistry(databaseUrl, programmeId, ROWS);
      console.log(`setup: ${ROWS.toLocaleString()} insurees enrolled in ${seconds(t).toFixed(1)} s (not timed below)`);
      const runs: CycleRun[] = [];
      let summary: any;
      let lastCycle = '';
      const file = join(tmpdir(), `hela-bench-entitlements-${process.pid}.csv`);
      await writeEntitlementsCsv(databaseUrl, programmeId, file);
      try {
        // A new cycle of the same beneficiaries per run: the tables grow as they would, cycle after cycle.
        for (let run = 1; run <= RUNS; run++) {
          const cycleId = await createCycle(url, token, programmeId, `C${run}`);
          lastCycle = cycleId;
          const csvCopy = await csvCopyFloor(databaseUrl, file);
          t = process.hrtime.bigint();
          await importEntitlements(container, cycleId, file, ROWS);
          const intakeSeconds = seconds(t);
          const paymentCopy = await copyFloor(databaseUrl);
          const insertSelect = await insertSelectFloor(databaseUrl, cycleId);

          const { approve, batches, send, total, pendingPayments, batchesCreated, summary: last } = await approveAndSendUntilFinal(url, token, cycleId);
          summary = last;
          const r: CycleRun = { intake: intakeSeconds, csvCopy, paymentCopy, insertSelect, approve, batches, send, total };
          runs.push(r);
          console.log(`run ${run}/${RUNS} (load average ${loadavg()[0].toFixed(2)}): intake ${r.intake.toFixed(1)} s (${(r.intake / r.csvCopy).toFixed(1)}× COPY of the file, ${r.csvCopy.toFixed(1)} s);`
            + ` approve ${pendingPayments.toLocaleString()} payments ${r.approve.toFixed(1)} s (${(r.approve / r.insertSelect).toFixed(1)}× INSERT … SELECT, ${r.insertSelect.toFixed(1)} s);`
            + ` sendDisbursements (${batchesCreated} batches) ${r.batches.toFixed(1)} s; send → every status final ${r.send.toFixed(1)} s;`
            + ` end to end ${r.total.toFixed(1)} s (${(r.total / r.paymentCopy).toFixed(1)}× COPY of the payments, ${r.paymentCopy.toFixed(1)} s)`);
        }
      } finally {
        await rm(file, { force: true });
      }
      const of = (value: (r: CycleRun) => number, digits = 1) => withSpread(runs.map(value), digits);
      console.log(`median of ${RUNS} (lowest–highest), ${ROWS.toLocaleString()} rows:`);
      console.log(`entitlements CSV intake (COPY → staging → checks → INSERT … SELECT): ${of((r) => r.intake)} s; floor COPY of the same file ${of((r) => r.csvCopy)} s; ratio ${of((r) => r.intake / r.csvCopy)}× (target ≤ 3×)`);
      console.log(`approve + generate payments: ${of((r) => r.approve)} s; floor INSERT … SELECT ${of((r) => r.insertSelect)} s; ratio ${of((r) => r.approve / r.insertSelect)}× (target ≤ 2×)`);
      console.log(`sendDisbursements: ${of((r) => r.batches)} s; send → payer → every status final: ${of((r) => r.send)} s`);
      console.log(`END TO END (approve → every payment final): ${of((r) => r.total)} s = ${of((r) => ROWS / r.total, 0)} payments/s; floor COPY of the payments ${of((r) => r.paymentCopy)} s;`
        + ` ratio ${of((r) => r.total / r.paymentCopy)}× (target ≤ 3×)`);
      console.log(await updateFigures(databaseUrl, lastCycle));
      const stats = await payer.stats();
      const rss = process.resourceUsage().maxRSS / 1024;
      console.log(`last cycle, payments by status: ${JSON.stringify(summary.payments)}; batches: ${JSON.stringify(summary.batches)}`);
      console.log(`payer ledger over ${RUNS} cycles: paid ${stats.paid}, rejected ${stats.rejected}, duplicate reference ids ${stats.duplicates}, paid twice ${stats.paidTwice}`);
      console.log(`peak RSS: Hela ${rss.toFixed(0)} MB (target ≤ 512 MB); simulator process ${(stats.maxRss / 1024).toFixed(0)} MB`);
    } finally {
      await app.close();
      payer.stop();
    }
  },
};

export default scenario;
