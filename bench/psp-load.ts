import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { AuthService } from '../src/auth/auth.service.js';
import { Role } from '../src/auth/role.js';
import { UserService } from '../src/auth/user.service.js';
import { loadConfig } from '../src/config.js';
import { Container } from '../src/container.js';
import { ormConfig } from '../src/db/mikro-orm.config.js';
import { createLogger } from '../src/logger.js';
import { PspService } from '../src/psp/psp.service.js';
import { cpuMs } from './hela-process.js';

/**
 * The PSP-API load of the benches (psp-api, scale): a registry seeded for it, one PSP and its token,
 * 50 keep-alive clients in a worker thread (so the load generator has its own core, as in
 * perf-floors.md) on `verifyInsuree` / `processPayment`, and the count of the rows a payment run wrote.
 * Env: BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (3), BENCH_FAMILIES (100000), BENCH_HISTORY (1000000),
 * BENCH_CONNECTIONS (50).
 */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
export const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const FAMILIES = Number(process.env.BENCH_FAMILIES ?? 100_000);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 1_000_000);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PASSWORD = 'bench password 123';

export interface RunResult { ok: number; failed: number; total: number; rps: number; p50: number; p99: number; okIds: string[]; cpuUs?: number; firstError?: string }

/**
 * The clients, in a worker thread; each request body comes from a template with a counter. With
 * several `urls` (API processes), client i talks to urls[i % urls.length]: the connections split evenly.
 */
const LOADGEN = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { urls, token, kind, connections, warmupMs, measureMs, chfPrefix, families, products, runId } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const targets = urls.map((url) => new URL(url));
let counter = 0;
function body(n) {
  if (kind.endsWith('verify')) {
    const chf = chfPrefix + String(1 + Math.floor(Math.random() * families)).padStart(9, '0');
    return kind === 'hela-verify'
      ? JSON.stringify({ query: 'query($c: String!) { verifyInsuree(chfId: $c) { firstName lastName message policies { amount status productName productCode token } } }', variables: { c: chf } })
      : JSON.stringify({ chfId: chf });
  }
  const g = n + 1;
  const p = products[g % products.length];
  const input = { chfId: chfPrefix + String(g).padStart(9, '0'), amount: p.lumpSum, pspTransactionId: runId + '-' + g,
    policy: { productName: p.name, productCode: p.code, token: workerData.policies[g - 1] } };
  return kind === 'hela-pay'
    ? JSON.stringify({ query: 'mutation($i: ProcessPaymentMutationInput!) { processPayment(input: $i) { Success responseMessage detail } }', variables: { i: input } })
    : JSON.stringify(input);
}
function send(target, payload) {
  return new Promise((resolve) => {
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(token ? { authorization: 'Bearer ' + token } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', (e) => resolve({ status: 0, text: String(e) }));
    req.end(payload);
  });
}
function success(kind, r) {
  if (r.status !== 200) return false;
  const j = JSON.parse(r.text);
  if (kind === 'hela-verify') return !j.errors && j.data.verifyInsuree.message === '1 for idle policy';
  if (kind === 'hela-pay') return !j.errors && j.data.processPayment.Success === true;
  return j.ok === true;
}
(async () => {
  const start = Date.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + measureMs;
  const latencies = [];
  let ok = 0, failed = 0, total = 0, firstError;
  const okIds = [];
  async function client(index) {
    const target = targets[index % targets.length];
    while (Date.now() < end) {
      const n = counter++;
      if (kind.endsWith('pay') && n >= families) break;
      const t0 = performance.now();
      const r = await send(target, body(n));
      const t1 = performance.now();
      total++;
      const good = success(kind, r);
      if (good && kind.endsWith('pay')) okIds.push(runId + '-' + (n + 1));
      if (!good) { failed++; firstError ??= r.text.slice(0, 300); continue; }
      if (Date.now() >= measureFrom && Date.now() <= end) { ok++; latencies.push(t1 - t0); }
    }
  }
  await Promise.all(Array.from({ length: connections }, (_, i) => client(i)));
  latencies.sort((a, b) => a - b);
  const q = (x) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(x * latencies.length))] : NaN;
  parentPort.postMessage({ ok, failed, total, rps: ok / (measureMs / 1000), p50: q(0.5), p99: q(0.99), okIds, firstError });
  agent.destroy();
})();
`;

/**
 * One load run against `urls`; `serverPids`: the processes whose main threads serve the requests, whose
 * CPU time per request (summed over them) is reported as `cpuUs`.
 */
export async function load(serverPids: number[], urls: string[], options: Record<string, unknown>): Promise<RunResult> {
  const cpu = () => {
    let sum = 0;
    for (const pid of serverPids) {
      const ms = cpuMs(pid);
      if (ms === undefined) return undefined;
      sum += ms;
    }
    return sum;
  };
  const cpuBefore = cpu();
  const result = await new Promise<RunResult>((resolve, reject) => {
    const worker = new Worker(LOADGEN, { eval: true, workerData: { connections: CONNECTIONS, warmupMs: WARMUP * 1000, measureMs: SECONDS * 1000, urls, ...options } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const cpuAfter = cpu();
  // Over the whole run (warm-up included), per request served.
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.total > 0) result.cpuUs = ((cpuAfter - cpuBefore) * 1000) / result.total;
  return result;
}

export function line(label: string, r: RunResult, floor?: RunResult): string {
  const ratio = floor ? `  ratio ${(r.rps / floor.rps).toFixed(2)}` : '';
  return `   ${label.padEnd(28)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(5)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  ok ${r.ok} failed ${r.failed}${ratio}`;
}

async function seed(db: pg.Client, historyPspUuid: string): Promise<void> {
  // run.ts gives each scenario a database of its own; a second call (or a reused one) seeds nothing twice.
  const { rows } = await db.query(`select (select count(*)::int from insurees where chf_id like 'B0%') as n, (select count(*)::int from products where code like 'BP%') as products`);
  if (rows[0].n >= FAMILIES && rows[0].products === 10) return;
  const started = Date.now();
  await db.query(`insert into products (uuid, code, name, lump_sum, currency, insurance_period_months, created_at, updated_at)
    select gen_random_uuid(), 'BP' || g, 'Bench product ' || g, 100 * g, 'GMD', 12, now(), now() from generate_series(1, 10) g`);
  await db.query(`create temp table bench_ids as select g, gen_random_uuid() fam, gen_random_uuid() ins, gen_random_uuid() pol from generate_series(1, $1::int) g`, [FAMILIES]);
  await db.query(`insert into families (uuid, region, created_at, updated_at) select fam, 'Bench', now(), now() from bench_ids`);
  await db.query(`insert into insurees (uuid, chf_id, last_name, other_names, insuree_wallet, family_uuid, registrant_ids, created_at, updated_at)
    select ins, 'B' || lpad(g::text, 9, '0'), 'Bench', 'Insuree ' || g, (7000000 + g)::text, fam, '{}', now(), now() from bench_ids`);
  await db.query(`update families f set head_uuid = b.ins from bench_ids b where f.uuid = b.fam`);
  await db.query(`insert into policies (uuid, family_uuid, product_uuid, status, value, enroll_date, start_date, expiry_date, created_at, updated_at)
    select b.pol, b.fam, p.uuid, 1, p.lump_sum, current_date, current_date, current_date + 364, now(), now()
    from bench_ids b join (select uuid, lump_sum, row_number() over (order by code) - 1 as i from products where code like 'BP%') p on p.i = b.g % 10`);
  // Historical rows, so foreign-key and index lookups behave as on a live system (perf-floors.md §4).
  await db.query(`insert into payment_transactions (uuid, amount, currency, psp_uuid, psp_transaction_id, state, otp_attempts, datetime, updated_at)
    select gen_random_uuid(), 100, 'GMD', $1, 'hist-' || g, 'PAID', 0, now(), now() from generate_series(1, $2::int) g`, [historyPspUuid, HISTORY]);
  await db.query(`insert into premiums (uuid, policy_uuid, amount, pay_date, pay_type, created_at, updated_at)
    select gen_random_uuid(), b.pol, 100, current_date, 'M', now(), now() from generate_series(1, $1::int) s(n) join bench_ids b on b.g = 1 + s.n % $2::int`, [HISTORY, FAMILIES]);
  await db.query('drop table bench_ids');
  console.log(`   seeded ${FAMILIES} families/insurees/idle policies and ${HISTORY} historical transactions + premiums in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Before each payment run: back to all-idle, run rows removed, statistics fresh (perf-floors.md §3). */
async function resetPayments(db: pg.Client): Promise<void> {
  await db.query(`delete from premiums where payment_transaction_uuid in (select uuid from payment_transactions where psp_transaction_id like 'run-%')`);
  await db.query(`delete from payment_transactions where psp_transaction_id like 'run-%'`);
  await db.query(`update policies set status = 1, effective_date = null where status = 2`);
  await db.query('vacuum analyze policies, premiums, payment_transactions, insurees, audit_events');
  await db.query('checkpoint');
}

export interface PspLoad {
  db: pg.Client;
  container: Container;
  psp: { uuid: string; userId: string; username: string };
  /** The PSP user's bearer token. */
  token: string;
  /** What every load run needs besides its target: the seeded insurees, products and policies. */
  common: Record<string, unknown>;
  /** Back to all-idle before a run that is not a payment run, so every run starts from the same rows. */
  reset(): Promise<void>;
  /**
   * A payment run (reset first); its rows are counted against the accepted requests and the count
   * appended to `checks` ("no duplicates" or "MISMATCH").
   */
  payRun(label: string, serverPids: number[], urls: string[], kind: string, withToken: boolean): Promise<RunResult>;
  checks: string[];
  close(): Promise<void>;
}

/** Seeds the registry (once per database), creates the PSP and its user, logs in: ready to load. */
export async function openPspLoad(env: Record<string, string>, databaseUrl: string): Promise<PspLoad> {
  const orm = await MikroORM.init(ormConfig(databaseUrl, 2));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const close = async () => {
    await db.end();
    await orm.close(true);
  };
  try {
    const container = new Container(loadConfig(env), orm, createLogger('silent'));
    const em = orm.em.fork();
    const username = `bench-psp-${randomUUID().slice(0, 8)}`;
    const user = await container.get(UserService).create(em, { username, password: PASSWORD, roles: [Role.PSP] });
    const created = await container.get(PspService).create(em, { name: `Bench PSP ${username}`, isExternalApiUser: true, interactiveUserUuid: user.id });
    await seed(db, created.uuid);
    const { token } = await container.get(AuthService).tokenAuth(username, PASSWORD);
    const policies = await db.query(`select p.uuid, i.chf_id from insurees i join policies p on p.family_uuid = i.family_uuid where i.chf_id like 'B%' order by i.chf_id`);
    const products = (await db.query(`select code, name, lump_sum from products where code like 'BP%' order by code`)).rows;
    // Family g's policy is under product g % 10 in code order, as seeded.
    const productByIndex = products.map((p) => ({ code: p.code, name: p.name, lumpSum: p.lump_sum }));
    const common = { chfPrefix: 'B', families: FAMILIES, products: productByIndex, policies: policies.rows.map((r) => r.uuid) };
    const checks: string[] = [];
    const payRun = async (label: string, serverPids: number[], urls: string[], kind: string, withToken: boolean) => {
      await resetPayments(db);
      const runId = `run-${label}-${Date.now()}`;
      const result = await load(serverPids, urls, { ...common, token: withToken ? token : undefined, kind, runId });
      const counts = await db.query(`select (select count(*)::int from payment_transactions where psp_transaction_id like $1) as tx,
        (select count(*)::int from premiums m join payment_transactions t on t.uuid = m.payment_transaction_uuid where t.psp_transaction_id like $1) as premiums,
        (select count(*)::int from policies where status = 2) as active`, [`${runId}-%`]);
      const { tx, premiums, active } = counts.rows[0];
      const accepted = result.okIds.length;
      checks.push(`   ${label.padEnd(28)} accepted ${accepted}, transactions ${tx}, premiums ${premiums}, active policies ${active}: ${tx === accepted && premiums === accepted && active === accepted ? 'no duplicates' : 'MISMATCH'}`);
      if (result.firstError) console.log(`   first error (${label}): ${result.firstError}`);
      return result;
    };
    return { db, container, psp: { uuid: created.uuid, userId: user.id, username }, token, common, reset: () => resetPayments(db), payRun, checks, close };
  } catch (error) {
    await close();
    throw error;
  }
}
