import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import pg from 'pg';
import { startArgs } from '../scripts/build.mjs';
import { PAY_SQL, payParams, paymentFingerprint, VERIFY_SQL } from '../src/collections/psp-api.service.js';
import { loadConfig } from '../src/config.js';
import { HELA_ENV, startHela, type HelaProcess } from './hela-process.js';
import { CONNECTIONS, line, load, openPspLoad, SECONDS, WARMUP, type RunResult } from './psp-load.js';
import type { BenchScenario } from './run.js';
import { RUNS, withSpread } from './stats.js';

/**
 * The external PSP API under load on real PostgreSQL: 50 concurrent keep-alive clients (in a worker
 * thread, so the load generator has its own core as in perf-floors.md) against Hela's GraphQL
 * `verifyInsuree` and `processPayment`, and against a floor: the same SQL behind a plain node:http +
 * pg handler, in the same run. Hela runs as production runs it (`npm start`: built, then the compiled
 * JavaScript under plain node, in a process of its own); the floor runs in this process. Payments go
 * to a different insuree each; afterwards the rows written are counted against the accepted requests
 * (duplicates = 0).
 *
 * Every pair runs BENCH_RUNS times (3), interleaved; medians and spreads are printed.
 * Env: BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (3), BENCH_FAMILIES (100000), BENCH_HISTORY (1000000),
 * BENCH_CONNECTIONS (50), BENCH_CPU_PROF (a directory for Hela's CPU profile).
 */

/** The floor: the same prepared statements behind node:http + pg (pool of 10). */
function floorServer(pool: pg.Pool, psp: { uuid: string; userId: string; username: string }): Server {
  return createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (text += c));
    req.on('end', async () => {
      try {
        const input = JSON.parse(text);
        let body: object;
        if (req.url === '/verify') {
          const { rows } = await pool.query({ name: 'verify', text: VERIFY_SQL, values: [input.chfId] });
          body = { ok: rows.length > 0 && rows[0].token !== null, firstName: rows[0]?.other_names, policies: rows.map((r) => ({ token: r.token, productCode: r.product_code, amount: Number(r.lump_sum) })) };
        } else {
          const amount = input.amount;
          const request = { pspUuid: psp.uuid, chfId: input.chfId, policyUuid: input.policy.token, productName: input.policy.productName, productCode: input.policy.productCode, amount, pspTransactionId: input.pspTransactionId, jsonContent: '[]', fingerprint: '' };
          request.fingerprint = paymentFingerprint(request);
          const { rows } = await pool.query({ name: 'pay', text: PAY_SQL, values: payParams(request, { id: psp.userId, username: psp.username }, randomUUID()) });
          body = { ok: Boolean(rows[0]?.transaction_uuid) };
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      } catch (error) {
        res.writeHead(500);
        res.end(String(error));
      }
    });
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

const scenario: BenchScenario = {
  name: 'psp-api',
  async run(databaseUrl: string) {
    const env = { ...HELA_ENV, DATABASE_URL: databaseUrl };
    const hela = await startHela(env); // applies the migrations before anything below touches the schema
    try {
      await measure(hela, env, databaseUrl);
    } finally {
      await hela.stop();
    }
  },
};

async function measure(hela: HelaProcess, env: Record<string, string>, databaseUrl: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const fixture = await openPspLoad(env, databaseUrl);
  let floor: Server | undefined;
  try {
    const { db, container, psp, token, common, checks, payRun } = fixture;
    const settings = await db.query(`select current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc, version() as v`);
    console.log(`   PostgreSQL: ${settings.rows[0].v.split(',')[0]}; fsync=${settings.rows[0].fsync}, synchronous_commit=${settings.rows[0].sc}; ${CONNECTIONS} connections, ${WARMUP}s warm-up + ${SECONDS}s`);
    const { psp: used } = container.config.rateLimits;
    const { psp: standard } = loadConfig({}).rateLimits;
    console.log(`   Hela: node ${startArgs().map((arg) => arg.replace(/^.*\/dist\//, 'dist/')).join(' ')} (as npm start), in its own process;`
      + ` psp rate limit ${used.perMinute}/min, burst ${used.burst} (on but out of reach; the default is ${standard.perMinute}/min, burst ${standard.burst})`);
    floor = floorServer(pool, psp);
    const floorUrl = await listen(floor);

    // Hela and its floor back to back in every run, so both meet the same load on this shared machine;
    // the ratio is taken within a run, then its median over the runs.
    const runs: Record<'helaVerify' | 'floorVerify' | 'helaPay' | 'floorPay', RunResult>[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await fixture.reset();
      const helaVerify = await load([hela.pid], [`${hela.url}/graphql`], { ...common, token, kind: 'hela-verify' });
      const floorVerify = await load([process.pid], [`${floorUrl}/verify`], { ...common, kind: 'floor-verify' });
      const helaPay = await payRun(`hela-${run}`, [hela.pid], [`${hela.url}/graphql`], 'hela-pay', true);
      const floorPay = await payRun(`floor-${run}`, [process.pid], [`${floorUrl}/pay`], 'floor-pay', false);
      runs.push({ helaVerify, floorVerify, helaPay, floorPay });
      console.log(`   run ${run}/${RUNS} (load average ${loadavg()[0].toFixed(2)}):`);
      console.log(line('verifyInsuree (Hela GraphQL)', helaVerify, floorVerify));
      console.log(line('verifyInsuree (floor)', floorVerify));
      console.log(line('processPayment (Hela GraphQL)', helaPay, floorPay));
      console.log(line('processPayment (floor)', floorPay));
    }

    console.log(`   median of ${RUNS} (lowest–highest):`);
    const summary = (label: string, hela: 'helaVerify' | 'helaPay', floorKey: 'floorVerify' | 'floorPay') => {
      const pick = (key: keyof typeof runs[number], value: (r: RunResult) => number) => runs.map((r) => value(r[key]));
      const ratios = runs.map((r) => r[hela].rps / r[floorKey].rps);
      console.log(`   ${label.padEnd(16)} Hela ${withSpread(pick(hela, (r) => r.rps), 0)} req/s, p99 ${withSpread(pick(hela, (r) => r.p99))} ms;`
        + ` floor ${withSpread(pick(floorKey, (r) => r.rps), 0)} req/s, p99 ${withSpread(pick(floorKey, (r) => r.p99))} ms; ratio ${withSpread(ratios, 2)} (target >= 0.8)`);
      const cpu = runs.filter((r) => r[hela].cpuUs !== undefined && r[floorKey].cpuUs !== undefined);
      if (cpu.length) {
        console.log(`   ${''.padEnd(16)} main-thread CPU per request: Hela ${withSpread(cpu.map((r) => r[hela].cpuUs!), 0)} us, floor ${withSpread(cpu.map((r) => r[floorKey].cpuUs!), 0)} us;`
          + ` Hela / floor ${withSpread(cpu.map((r) => r[hela].cpuUs! / r[floorKey].cpuUs!), 2)} (target <= 1.5)`);
      }
    };
    summary('verifyInsuree', 'helaVerify', 'floorVerify');
    summary('processPayment', 'helaPay', 'floorPay');
    console.log('   duplicate check (rows written = accepted requests):');
    for (const check of checks) console.log(check);
    console.log('   targets (issue 18): throughput >= 0.8 x the floor, main-thread CPU per request <= 1.5 x the floor\'s, p99 < 50 ms');
  } finally {
    await new Promise<void>((resolve) => (floor ? floor.close(() => resolve()) : resolve()));
    floor?.closeAllConnections();
    await pool.end();
    await fixture.close();
  }
}

export default scenario;
