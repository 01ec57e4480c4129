import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { startApp } from '../src/app.js';
import { Role } from '../src/auth/role.js';
import { UserService } from '../src/auth/user.service.js';
import { loadConfig } from '../src/config.js';
import { cyclePaymentsSql } from '../src/exports/export.sql.js';
import type { BenchScenario } from './run.js';

/**
 * GET /exports/cycles/:id/payments.csv of a 1,000,000-payment cycle, read to the end over HTTP, against
 * its floor: `COPY (the same select) TO STDOUT` read by a plain client in the same run (target ≤ 2×).
 * BENCH_EXPORT_ROWS (default 1,000,000) scales it down while iterating.
 */
const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Counts bytes and drops them: what is timed is producing and carrying the CSV, not storing it. */
function byteCounter(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      sink.bytes += chunk.length;
      done();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

async function graphql(url: string, token: string, query: string, variables: object) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as any;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Beneficiaries and payments written set-based: the export reads them, how they came to be does not matter here. */
async function seedPayments(client: pg.Client, programmeId: string, cycleId: string): Promise<void> {
  await client.query(
    `insert into programme_beneficiaries (id, programme_id, kind, registrant_id, enrolled_at)
     select gen_random_uuid(), $1, 'INSUREE', gen_random_uuid(), now() from generate_series(1, $2)`,
    [programmeId, ROWS],
  );
  await client.query(
    `insert into disbursement_payments (id, cycle_id, entitlement_id, beneficiary_id, amount, currency, payee_fa, payee_name, region, status, created_at, updated_at)
     select gen_random_uuid(), $1, gen_random_uuid(), b.id, 100.50, 'GMD', 'phone:+220' || lpad(row_number() over ()::text, 7, '0') || '@mobile',
            'Payee ' || b.registrant_id, 'Banjul', 'PAID', now(), now()
       from programme_beneficiaries b where b.programme_id = $2`,
    [cycleId, programmeId],
  );
  await client.query('analyze programme_beneficiaries; analyze disbursement_payments');
}

const scenario: BenchScenario = {
  name: 'exports',
  async run(databaseUrl) {
    const app = await startApp(loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', BCRYPT_COST: '4' }));
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { container, url } = app;
      const password = 'bench-password-123';
      const user = await container.get(UserService).create(container.orm.em.fork(), { username: `bench-${randomUUID().slice(0, 8)}`, password, roles: [Role.ADMIN, Role.PROGRAM_MANAGER] });
      const login = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation($u:String!,$p:String!){tokenAuth(username:$u,password:$p){token}}', variables: { u: user.username, p: password } }) });
      const token = ((await login.json()) as any).data.tokenAuth.token as string;
      const channel = await graphql(url, token, 'mutation($i: CreateG2pConnectChannelInput!) { createG2pConnectChannel(input: $i) { id } }', {
        i: {
          name: `bench-${randomUUID().slice(0, 8)}`, currency: 'GMD', mode: 'SYNC', paymentEndpointUrl: 'http://127.0.0.1:9/disburse', statusEndpointUrl: 'http://127.0.0.1:9/status',
          senderId: 'hela.bench', payerFa: 'account:1002003004@treasury-bank', payeeIdType: 'PHONE', batchSize: 1000, statusPollIntervalSeconds: 30, apiTimeoutMs: 30000,
        },
      });
      const programme = await graphql(url, token, 'mutation($i: CreateProgrammeInput!) { createProgramme(input: $i) { id } }', { i: { mnemonic: `BENCH-${randomUUID().slice(0, 6)}`, name: 'Bench', currency: 'GMD', channelId: channel.createG2pConnectChannel.id } });
      const programmeId = programme.createProgramme.id;
      const cycleId = (await graphql(url, token, 'mutation($i: CreateCycleInput!) { createCycle(input: $i) { id } }', { i: { programmeId, code: 'C1', scheduledDate: '2026-12-01' } })).createCycle.id;
      let t = process.hrtime.bigint();
      await seedPayments(client, programmeId, cycleId);
      console.log(`setup: ${ROWS.toLocaleString()} payments written in ${seconds(t).toFixed(1)} s (not timed below)`);

      // Warm both paths once (plans, buffers), then time each.
      const floorSink = byteCounter();
      await pipeline(client.query(copyTo(`copy (${cyclePaymentsSql(client.escapeLiteral(cycleId))}) to stdout with (format csv, header)`)), byteCounter());
      t = process.hrtime.bigint();
      await pipeline(client.query(copyTo(`copy (${cyclePaymentsSql(client.escapeLiteral(cycleId))}) to stdout with (format csv, header)`)), floorSink);
      const floorSeconds = seconds(t);

      const rssBefore = process.memoryUsage().rss;
      t = process.hrtime.bigint();
      const response = await fetch(`${url}/exports/cycles/${cycleId}/payments.csv`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
      const httpSink = byteCounter();
      for await (const chunk of response.body!) httpSink.bytes += (chunk as Uint8Array).length;
      const exportSeconds = seconds(t);
      const rssGrowth = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;

      if (httpSink.bytes !== floorSink.bytes) throw new Error(`export sent ${httpSink.bytes} bytes, COPY ${floorSink.bytes}`);
      console.log(`floor: COPY … TO STDOUT of the same ${ROWS.toLocaleString()} rows: ${floorSeconds.toFixed(2)} s (${(floorSink.bytes / 1e6).toFixed(0)} MB)`);
      console.log(`GET /exports/cycles/:id/payments.csv, read to the end: ${exportSeconds.toFixed(2)} s = ${(exportSeconds / floorSeconds).toFixed(2)}× the floor (target ≤ 2×)`);
      console.log(`RSS growth of the process (server and client) while streaming: ${rssGrowth.toFixed(0)} MB`);
    } finally {
      await client.end();
      await app.close();
    }
  },
};

export default scenario;
