import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/config.js';
import { Container } from '../src/container.js';
import { openDatabase } from '../src/db/database.js';
import { ReconciliationService } from '../src/disbursements/sponsor-bank/reconciliation/reconciliation.service.js';
import { writeMt940Entry } from '../src/disbursements/sponsor-bank/mt940/mt940.writer.js';
import { createLogger } from '../src/logger.js';
import { BulkDb } from '../src/disbursements/bulk-db.js';
import type { BenchScenario } from './run.js';

const DISBURSEMENTS = Number(process.env.BENCH_MT940_LINES ?? 1_000_000);
const REVERSALS = Math.floor(DISBURSEMENTS / 100);
const AMOUNT_MINOR = 1_250n; // 12.50 each

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

/** 1M disbursements shipped on one envelope; the statement debits each once and reverses 1 % of them. */
async function seed(client: pg.Client, run: string): Promise<{ account: string; ids: (i: number) => string }> {
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
  return { account, ids: (i) => `X${run}${String(i).padStart(9, '0')}` };
}

function statementText(account: string, ids: (i: number) => string): string {
  const today = new Date().toISOString().slice(0, 10);
  const yymmdd = today.slice(2).replaceAll('-', '');
  const opening = 10n ** 15n;
  const parts = [`:20:BENCH`, `:25:${account}`, `:28C:00001/001`, `:60F:C${yymmdd}GMD${opening / 100n},00`];
  const line = (mark: 'D' | 'RD', i: number, ref: string, reason?: string) =>
    writeMt940Entry({
      valueDate: today,
      entryDate: today,
      mark,
      amountMinor: AMOUNT_MINOR,
      transactionType: 'NTRF',
      customerReference: ids(i),
      bankReference: ref,
      narratives: reason ? ['Cash transfer', 'BENCH', 'CYCLE', `Beneficiary ${i}`, `BEN${i}`, reason] : ['Cash transfer', 'BENCH', 'CYCLE', `Beneficiary ${i}`],
    }, 'GMD');
  for (let i = 1; i <= DISBURSEMENTS; i++) parts.push(line('D', i, `B${String(i).padStart(15, '0')}`));
  for (let i = 1; i <= REVERSALS; i++) parts.push(line('RD', i, `R${String(i).padStart(15, '0')}`, 'ACCOUNT_CLOSED'));
  const closing = opening - AMOUNT_MINOR * BigInt(DISBURSEMENTS - REVERSALS);
  parts.push(`:62F:C${yymmdd}GMD${closing / 100n},${String(closing % 100n).padStart(2, '0')}`, '-');
  return parts.join('\n') + '\n';
}

/** The floor: COPY the same staged rows (one per :61: line) into a table of the same shape. */
async function copyFloor(client: pg.Client, ids: (i: number) => string): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  await client.query(`create temp table copy_floor (entry_sequence int, mark text, amount numeric(18,2), disbursement_id text,
    bank_reference text, value_date date, entry_date date, beneficiary_name text, reversal_reason text)`);
  function* rows() {
    let chunk = '';
    for (let i = 1; i <= DISBURSEMENTS + REVERSALS; i++) {
      const reversal = i > DISBURSEMENTS;
      const n = reversal ? i - DISBURSEMENTS : i;
      chunk += `${i}\t${reversal ? 'RD' : 'D'}\t12.50\t${ids(n)}\tB${String(i).padStart(15, '0')}\t${today}\t${today}\t${reversal ? '\\N' : `Beneficiary ${n}`}\t${reversal ? 'ACCOUNT_CLOSED' : '\\N'}\n`;
      if (i % 10_000 === 0) {
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

const scenario: BenchScenario = {
  name: 'mt940',
  async run(databaseUrl) {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
    const log = createLogger('silent');
    const db = await openDatabase(config, log);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const run = randomUUID().replaceAll('-', '').slice(0, 5).toUpperCase();
      let t = performance.now();
      const { account, ids } = await seed(client, run);
      console.log(`seeded ${DISBURSEMENTS.toLocaleString('en')} shipped disbursements in ${seconds(performance.now() - t)} s (not measured)`);
      t = performance.now();
      const text = statementText(account, ids);
      console.log(`generated MT940: ${(DISBURSEMENTS + REVERSALS).toLocaleString('en')} :61: lines, ${(text.length / 1e6).toFixed(0)} MB in ${seconds(performance.now() - t)} s (not measured)`);

      const container = new Container(config, db.orm, log);
      const reconciliation = container.get(ReconciliationService);
      t = performance.now();
      const { statement } = await reconciliation.reconcile(text, { bankCode: 'EXAMPLE', uploadedBy: 'bench' });
      const reconcileMs = performance.now() - t;
      const { rows } = await client.query<{ status: string; n: number }>(
        `select status, count(*)::int as n from sponsor_bank_disbursements where disbursement_id like $1 group by status order by status`,
        [`X${run}%`],
      );
      const floorMs = await copyFloor(client, ids);
      console.log(`reconcile (parse + validate + COPY staging + set-based apply + commit): ${seconds(reconcileMs)} s`);
      console.log(`  paid ${statement.paidCount}, reversed ${statement.reversedCount}, errors ${statement.errorCount}; disbursements now ${rows.map((r) => `${r.status} ${r.n}`).join(', ')}`);
      console.log(`floor: COPY of the same ${(DISBURSEMENTS + REVERSALS).toLocaleString('en')} rows: ${seconds(floorMs)} s`);
      console.log(`ratio to floor: ${(reconcileMs / floorMs).toFixed(1)}x; target ≤ 30 s: ${reconcileMs <= 30_000 ? 'met' : 'MISSED'}`);
      await container.get(BulkDb).close();
    } finally {
      await client.end();
      await db.close();
    }
  },
};

export default scenario;
