import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { AMOUNT_MINOR, camtBytes, disbursementId, mt940Bytes, reversalsOf, type BenchStatement } from './mt940.data.js';
import type { BenchScenario } from './run.js';

const DISBURSEMENTS = Number(process.env.BENCH_MT940_LINES ?? 1_000_000);
/** Its own count (each run seeds a million rows twice), else BENCH_RUNS, else one. */
const RUNS = Math.max(1, Number(process.env.BENCH_MT940_RUNS ?? process.env.BENCH_RUNS ?? 1));
const RSS_LIMIT_MB = 512;
const TARGET_RATIO = 5;
const CAMT_TARGET = 2;

interface ChildReport {
  ms: number;
  maxRssKb: number;
  outcome: string;
  error?: string;
  counts: { paid: number; reversed: number; errors: number; ignored: number };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A million disbursements shipped on one envelope of a fresh sponsor account (not measured). */
async function seed(client: pg.Client): Promise<BenchStatement & { envelopeId: string; accountId: string }> {
  const run = randomUUID().replaceAll('-', '').slice(0, 5).toUpperCase();
  const account = `BENCH${run}`;
  const accountId = randomUUID();
  const envelopeId = randomUUID();
  const total = ((AMOUNT_MINOR * BigInt(DISBURSEMENTS)) / 100n).toString();
  await client.query(
    `insert into sponsor_bank_accounts (id, programme_mnemonic, bank_code, account_number, currency, created_at, updated_at)
     values ($1, $2, 'EXAMPLE', $3, 'GMD', now(), now())`,
    [accountId, `BENCH-${run}`, account],
  );
  await client.query(
    `insert into disbursement_envelopes (id, envelope_id, sponsor_account_id, programme_mnemonic, cycle_mnemonic, number_of_disbursements,
       total_amount, currency, schedule_date, request_hash, received_count, received_amount, funds_status, block_status, block_reference,
       shipped_count, created_at, updated_at)
     values ($1, $2, $3, $4, 'BENCH', $5, $6, 'GMD', current_date, 'bench', $5, $6, 'FUNDS_AVAILABLE', 'BLOCKED', 'BLKBENCH', $5, now(), now())`,
    [envelopeId, `ENV-BENCH-${run}`, accountId, `BENCH-${run}`, DISBURSEMENTS, total],
  );
  await client.query(
    `insert into sponsor_bank_disbursements (id, disbursement_id, envelope_id, beneficiary_id, beneficiary_name, beneficiary_account_type,
       phone_no, wallet_provider, amount, request_hash, status, shipped_at, created_at, updated_at)
     select gen_random_uuid(), 'X' || $2 || lpad(i::text, 9, '0'), $1, 'BEN' || i, 'Beneficiary ' || i, 'MOBILE_WALLET',
            '2207000000', 'QMONEY', 12.50, 'bench', 'SHIPPED', now(), now(), now()
       from generate_series(1, $3) as i`,
    [envelopeId, run, DISBURSEMENTS],
  );
  await client.query('analyze sponsor_bank_disbursements');
  // As after a day of other work: the seeding's WAL is behind a checkpoint, as a statement's would be.
  await client.query('checkpoint');
  return { account, run, disbursements: DISBURSEMENTS, envelopeId, accountId };
}

/** Leaves the table as it was, so the next run meets the same data (not measured). */
async function unseed(client: pg.Client, s: { envelopeId: string; accountId: string }): Promise<void> {
  await client.query('delete from reconciliation_errors where statement_id in (select id from bank_statements where sponsor_account_id = $1)', [s.accountId]);
  await client.query('delete from bank_statements where sponsor_account_id = $1', [s.accountId]);
  await client.query('delete from sponsor_bank_disbursements where envelope_id = $1', [s.envelopeId]);
  await client.query('delete from disbursement_envelopes where id = $1', [s.envelopeId]);
  await client.query('delete from sponsor_bank_accounts where id = $1', [s.accountId]);
  await client.query('vacuum analyze sponsor_bank_disbursements');
}

/** The floor: COPY the same staged rows (one per entry) into a table of the same shape. */
async function copyFloor(client: pg.Client, s: BenchStatement): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  await client.query(`create temp table if not exists copy_floor (entry_sequence int, mark text, amount numeric, disbursement_id text,
    bank_reference text, value_date date, entry_date date, beneficiary_name text, reversal_reason text)`);
  await client.query('truncate copy_floor');
  const total = s.disbursements + reversalsOf(s.disbursements);
  function* rows() {
    let chunk = '';
    for (let n = 1; n <= total; n++) {
      const reversal = n > s.disbursements;
      const i = reversal ? n - s.disbursements : n;
      chunk += `${n}\t${reversal ? 'RD' : 'D'}\t12.50\t${disbursementId(s.run, i)}\t${reversal ? 'R' : 'B'}${String(i).padStart(15, '0')}\t${today}\t${today}\t${reversal ? '\\N' : `Beneficiary ${i}`}\t${reversal ? 'AC04: ACCOUNT_CLOSED' : '\\N'}\n`;
      if (n % 10_000 === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  const started = performance.now();
  await pipeline(Readable.from(rows()), client.query(copyFrom('copy copy_floor from stdin')));
  return performance.now() - started;
}

/** The statement file, written before the clock starts (the bank's upload arrives as bytes). */
async function writeStatementFile(format: 'MT940' | 'CAMT053', statement: BenchStatement): Promise<string> {
  const file = join(tmpdir(), `hela-bench-${statement.run}.${format === 'MT940' ? 'sta' : 'xml'}`);
  await pipeline(Readable.from(format === 'MT940' ? mt940Bytes(statement) : camtBytes(statement)), createWriteStream(file));
  // Written back to disk now, not while the floor or the reconciliation is measured.
  const handle = await open(file);
  await handle.sync();
  await handle.close();
  return file;
}

function reconcileInChild(databaseUrl: string, file: string): Promise<ChildReport> {
  const child = fork(new URL('./mt940.child.ts', import.meta.url), [JSON.stringify({ databaseUrl, file })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (report: ChildReport) => resolve(report));
    child.once('exit', (code) => code && reject(new Error(`reconciliation child exited with ${code}`)));
  });
}

function describe(format: string, r: ChildReport): string {
  const { paid, reversed, errors } = r.counts;
  return `${format.padEnd(7)} ${seconds(r.ms)} s, peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB (${r.outcome}${r.error ? `: ${r.error}` : ''}; paid ${paid}, reversed ${reversed}, errors ${errors})`;
}

const scenario: BenchScenario = {
  name: 'mt940',
  async run(databaseUrl) {
    // Migrations run once here, not inside the measured children.
    const db = await openDatabase(loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }), createLogger('silent'));
    await db.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const lines = DISBURSEMENTS + reversalsOf(DISBURSEMENTS);
    console.log(`${DISBURSEMENTS.toLocaleString('en')} shipped disbursements; a statement of ${lines.toLocaleString('en')} entries (1 % reversals), as MT940 and as camt.053.001.08; ${RUNS} run(s)`);
    const floors: number[] = [];
    const mt940: ChildReport[] = [];
    const camt: ChildReport[] = [];
    try {
      for (let run = 1; run <= RUNS; run++) {
        for (const [format, reports] of [['MT940', mt940], ['CAMT053', camt]] as const) {
          const seeded = await seed(client);
          const file = await writeStatementFile(format, seeded);
          // The floor is short and the machine shared: the median of three COPYs in the same run.
          if (format === 'MT940') floors.push(median([await copyFloor(client, seeded), await copyFloor(client, seeded), await copyFloor(client, seeded)]));
          const report = await reconcileInChild(databaseUrl, file);
          reports.push(report);
          const ratio = format === 'MT940' ? `${(report.ms / floors.at(-1)!).toFixed(1)}x the floor` : `${(report.ms / mt940.at(-1)!.ms).toFixed(2)}x MT940`;
          console.log(`run ${run}: ${describe(format, report)}, file ${((await stat(file)).size / 1e6).toFixed(0)} MB; ${ratio}`);
          await rm(file);
          await unseed(client, seeded);
        }
        console.log(`run ${run}: floor (COPY of the same ${lines.toLocaleString('en')} staged rows, median of 3) ${seconds(floors.at(-1)!)} s`);
      }
    } finally {
      await client.end();
    }
    const floor = median(floors);
    const m = median(mt940.map((r) => r.ms));
    const c = median(camt.map((r) => r.ms));
    const rss = (reports: ChildReport[]) => Math.max(...reports.map((r) => r.maxRssKb)) / 1024;
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    // Each run's own ratios (to the floor and the MT940 measured just before it), lowest to highest.
    const spread = (ratios: number[], digits: number) => `${Math.min(...ratios).toFixed(digits)}–${Math.max(...ratios).toFixed(digits)}`;
    const mt940Ratios = mt940.map((r, i) => r.ms / floors[i]);
    const camtRatios = camt.map((r, i) => r.ms / mt940[i].ms);
    console.log(`median of ${RUNS}: MT940 ${seconds(m)} s, camt.053 ${seconds(c)} s, floor ${seconds(floor)} s`);
    console.log(`MT940 / floor ${(m / floor).toFixed(1)}x (per run ${spread(mt940Ratios, 1)}; target ≤ ${TARGET_RATIO}x: ${verdict(m / floor <= TARGET_RATIO)}); camt.053 / MT940 ${(c / m).toFixed(2)}x (per run ${spread(camtRatios, 2)}; target ≤ ${CAMT_TARGET}x: ${verdict(c / m <= CAMT_TARGET)})`);
    console.log(`peak RSS MT940 ${rss(mt940).toFixed(0)} MB, camt.053 ${rss(camt).toFixed(0)} MB (target ≤ ${RSS_LIMIT_MB} MB: ${verdict(Math.max(rss(mt940), rss(camt)) <= RSS_LIMIT_MB)})`);
  },
};

export default scenario;
