import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { AuthService } from '../src/auth/auth.service.js';
import { Role } from '../src/auth/role.js';
import { SessionRevocations } from '../src/auth/session-revocations.js';
import { UserService } from '../src/auth/user.service.js';
import { VERIFY_SQL } from '../src/collections/psp-api.service.js';
import { loadConfig } from '../src/config.js';
import { Container } from '../src/container.js';
import { openDatabase } from '../src/db/database.js';
import { PreparedStatements } from '../src/db/prepared.js';
import { createGraphql, graphqlRoutes } from '../src/graphql/graphql.route.js';
import { buildHelaSchema } from '../src/graphql/schema.js';
import type { HttpRequest, Route } from '../src/http/route.js';
import { createLogger } from '../src/logger.js';
import { PspService } from '../src/psp/psp.service.js';
import type { BenchScenario } from './run.js';
import { median, RUNS, withSpread } from './stats.js';

/**
 * Hela's own JavaScript per PSP API call, without the database and without HTTP: the GraphQL route's
 * handler called by 50 concurrent callers in this process, its two prepared statements answered from
 * memory (rows recorded from the real query once). Main-thread CPU per call, next to Apollo's own
 * `{ __typename }` through the same handler, and next to the same calls through Apollo (the route without
 * its fast path). Unlike `psp-api` this figure barely moves with the machine's load, so it shows what a
 * change to the request path buys. (The same JS costs about 3x
 * more in `psp-api`, interleaved with socket I/O and PostgreSQL on the same cores.)
 * BENCH_JS_CALLS (20000) calls per case and run.
 */
const CALLS = Number(process.env.BENCH_JS_CALLS ?? 20_000);
const CONCURRENCY = 50;
const INSUREES = 2_000;

/** CPU time (ms) of this process's main thread; 10 ms resolution, hence many calls per figure. */
function mainThreadCpuMs(): number {
  const fields = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The prepared statements answered from memory: the request path above them is what is measured. */
class CannedStatements extends PreparedStatements {
  constructor(orm: MikroORM, private readonly verifyRows: unknown[]) {
    super(orm);
  }

  override async rows<T>(name: string): Promise<T[]> {
    if (name === 'hela_verify_insuree') return this.verifyRows as T[];
    if (name === 'hela_process_payment') return [{ transaction_uuid: randomUUID() }] as T[];
    throw new Error(`no canned answer for ${name}`);
  }
}

async function seed(pool: Pool): Promise<void> {
  await pool.query(`insert into products (uuid, code, name, lump_sum, currency, insurance_period_months, created_at, updated_at)
    values (gen_random_uuid(), 'JS1', 'JS product', 100, 'GMD', 12, now(), now())`);
  await pool.query(`with ids as (select g, gen_random_uuid() fam, gen_random_uuid() ins from generate_series(1, $1::int) g),
    f as (insert into families (uuid, region, created_at, updated_at) select fam, 'JS', now(), now() from ids),
    i as (insert into insurees (uuid, chf_id, last_name, other_names, insuree_wallet, family_uuid, registrant_ids, created_at, updated_at)
      select ins, 'J' || lpad(g::text, 9, '0'), 'Bench', 'Insuree ' || g, '7', fam, '{}', now(), now() from ids)
    insert into policies (uuid, family_uuid, product_uuid, status, value, enroll_date, start_date, expiry_date, created_at, updated_at)
      select gen_random_uuid(), fam, (select uuid from products where code = 'JS1'), 1, 100, current_date, current_date, current_date + 364, now(), now() from ids`, [INSUREES]);
}

async function perCall(call: () => Promise<void>): Promise<number> {
  let started = 0;
  const cpu = mainThreadCpuMs();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (started++ < CALLS) await call();
  }));
  return ((mainThreadCpuMs() - cpu) * 1000) / CALLS;
}

const scenario: BenchScenario = {
  name: 'psp-js',
  async run(databaseUrl) {
    const config = loadConfig({
      NODE_ENV: 'production', LOG_LEVEL: 'silent', BCRYPT_COST: '4', DATABASE_URL: databaseUrl, WORKERS_ENABLED: 'false', SIMULATORS_ENABLED: 'false',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', SECRET_KEY: '1'.repeat(64), ADMIN_PASSWORD: 'bench admin password',
      RATE_LIMIT_PSP_PER_MINUTE: '100000000', RATE_LIMIT_PSP_BURST: '1000000',
    });
    const log = createLogger('silent');
    const db = await openDatabase(config, log);
    const container = new Container(config, db.orm, log);
    const revocations = container.get(SessionRevocations);
    await revocations.start();
    try {
      const pool = (await db.orm.em.getConnection().getNativeClient()) as Pool;
      await seed(pool);
      const verifyRows = (await pool.query(VERIFY_SQL, ['J000000001'])).rows;
      container.set(PreparedStatements, new CannedStatements(db.orm, verifyRows));
      const em = db.orm.em.fork();
      const username = `bench-js-${randomUUID().slice(0, 8)}`;
      const user = await container.get(UserService).create(em, { username, password: 'bench password 123', roles: [Role.PSP] });
      await container.get(PspService).create(em, { name: `Bench JS ${username}`, isExternalApiUser: true, interactiveUserUuid: user.id });
      const { token } = await container.get(AuthService).tokenAuth(username, 'bench password 123');
      const policies = (await pool.query(`select p.uuid, i.chf_id from insurees i join policies p on p.family_uuid = i.family_uuid where i.chf_id like 'J%'`)).rows;
      const graphql = await createGraphql(await buildHelaSchema(container), config, log);
      const post = (routes: Route[]) => routes.find((r) => r.method === 'POST') as Route;
      const route = post(graphqlRoutes(graphql, db.orm, container.get(AuthService)));
      // The same route without the fast path: what the PSP documents cost through Apollo (issue 18).
      const apolloRoute = post(graphqlRoutes({ apollo: graphql.apollo }, db.orm, container.get(AuthService)));
      try {
        const request = (body: unknown): HttpRequest => {
          const bytes = Buffer.from(JSON.stringify(body));
          return {
            method: 'POST', path: '/graphql', params: {}, search: '', body: bytes, requestId: randomUUID(), log, remoteAddress: '127.0.0.1',
            headers: { host: '127.0.0.1', 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': String(bytes.length), connection: 'keep-alive' },
          };
        };
        const expect = async (body: unknown, text: string, through = route) => {
          const response = await through.handle(request(body));
          if (!String(response.body).includes(text)) throw new Error(`unexpected answer: ${String(response.body).slice(0, 300)}`);
        };
        let n = 0;
        const verify = (through: Route) => () => expect({
          query: 'query($c: String!) { verifyInsuree(chfId: $c) { firstName lastName message policies { amount status productName productCode token } } }',
          variables: { c: policies[n++ % policies.length].chf_id },
        }, '1 for idle policy', through);
        const pay = (through: Route) => () => {
          const p = policies[n++ % policies.length];
          return expect({
            query: 'mutation($i: ProcessPaymentMutationInput!) { processPayment(input: $i) { Success responseMessage detail } }',
            variables: { i: { chfId: p.chf_id, amount: '100', pspTransactionId: `js-${n}`, policy: { productName: 'JS product', productCode: 'JS1', token: p.uuid } } },
          }, '"Success":true', through);
        };
        const cases: Record<string, () => Promise<void>> = {
          '{ __typename } (Apollo alone)': () => expect({ query: '{ __typename }' }, '"Query"'),
          verifyInsuree: verify(route),
          'verifyInsuree (Apollo)': verify(apolloRoute),
          processPayment: pay(route),
          'processPayment (Apollo)': pay(apolloRoute),
        };
        const figures: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
        for (const call of Object.values(cases)) await perCall(call); // warm-up: JIT, caches
        for (let run = 1; run <= RUNS; run++) for (const [name, call] of Object.entries(cases)) figures[name].push(await perCall(call));
        console.log(`   main-thread CPU per call, ${CALLS} calls x ${CONCURRENCY} concurrent callers, database answers canned; median (lowest–highest) of ${RUNS}:`);
        const apolloAlone = median(figures['{ __typename } (Apollo alone)']);
        for (const [name, values] of Object.entries(figures)) {
          console.log(`   ${name.padEnd(30)} ${withSpread(values, 0).padStart(16)} us   ${(median(values) / apolloAlone).toFixed(2)}x Apollo alone`);
        }
      } finally {
        await graphql.apollo.stop();
      }
    } finally {
      await revocations.stop();
      await db.close();
    }
  },
};

export default scenario;
