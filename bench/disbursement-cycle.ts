import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { Role } from '../src/auth/role.js';
import { UserService } from '../src/auth/user.service.js';
import type { Container } from '../src/container.js';
import { EntitlementIntakeService } from '../src/programmes/entitlement-intake.service.js';
import { seconds } from './stats.js';

/**
 * The disbursement cycle of the benches (disbursements, scale): a programme on a G2P Connect channel to
 * the payer simulator (SYNC mode, loopback, its own process), a registry of beneficiaries enrolled in
 * it, an entitlements file, and one cycle from approval until every payment is final, over GraphQL.
 */

/** What the payer simulator's ledger says, over every cycle it has seen (g2p-payer.child.ts). */
export interface PayerStats {
  /** Distinct reference ids received: payments that reached the payer. */
  references: number;
  /** Distinct disburse transaction ids received: batches that reached the payer. */
  transactions: number;
  paid: number;
  rejected: number;
  /** Disburse items that repeated a reference id already received. */
  duplicates: number;
  /** References paid more than once: 0 by construction of the simulator, asserted anyway. */
  paidTwice: number;
  maxRss: number;
}

export interface Payer {
  url: string;
  stats(): Promise<PayerStats>;
  stop(): void;
}

export function startPayer(): Promise<Payer> {
  const child: ChildProcess = fork(new URL('./g2p-payer.child.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const stats = () => new Promise<PayerStats>((resolve) => {
    child.once('message', (m) => resolve(m as PayerStats));
    child.send({ type: 'stats' });
  });
  return new Promise((resolve) => child.once('message', (m: any) => resolve({ url: m.url, stats, stop: () => void child.send({ type: 'stop' }) })));
}

export async function graphql(url: string, token: string, query: string, variables: object) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as any;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A programme manager's token (the user created in-process), logged in over HTTP at `url`. */
export async function managerToken(url: string, container: Container): Promise<string> {
  const user = await container.get(UserService).create(container.orm.em.fork(), { username: `bench-${randomUUID().slice(0, 8)}`, password: 'bench-password-123', roles: [Role.ADMIN, Role.PROGRAM_MANAGER] });
  const login = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation($u:String!,$p:String!){tokenAuth(username:$u,password:$p){token}}', variables: { u: user.username, p: 'bench-password-123' } }) });
  return ((await login.json()) as any).data.tokenAuth.token as string;
}

/** A G2P Connect channel to the payer (batches of 1,000) and a programme paid through it. */
export async function createProgramme(url: string, token: string, payerUrl: string): Promise<string> {
  const channel = await graphql(url, token, 'mutation($i: CreateG2pConnectChannelInput!) { createG2pConnectChannel(input: $i) { id } }', {
    i: {
      name: `bench-${randomUUID().slice(0, 8)}`, currency: 'GMD', mode: 'SYNC',
      paymentEndpointUrl: `${payerUrl}/disburse/sync/disburse`, statusEndpointUrl: `${payerUrl}/disburse/sync/txn/status`,
      senderId: 'hela.bench', payerFa: 'account:1002003004@treasury-bank', payeeIdType: 'PHONE', batchSize: 1000, statusPollIntervalSeconds: 30, apiTimeoutMs: 30000,
    },
  });
  const channelId = channel.createG2pConnectChannel.id;
  const programme = await graphql(url, token, 'mutation($i: CreateProgrammeInput!) { createProgramme(input: $i) { id } }', { i: { mnemonic: `BENCH-${randomUUID().slice(0, 6)}`, name: 'Bench', currency: 'GMD', channelId } });
  return programme.createProgramme.id;
}

/** `rows` insurees with phones, enrolled in the programme. */
export async function seedRegistry(databaseUrl: string, programmeId: string, rows: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tag = randomUUID().slice(0, 6);
    await client.query(
      `insert into insurees (uuid, chf_id, last_name, other_names, phone, registrant_ids, created_at, updated_at)
       select gen_random_uuid(), 'B${tag}' || g, 'Payee', 'Bench ' || g, '+220' || lpad(g::text, 7, '0'), '{}'::jsonb, now(), now()
         from generate_series(1, $1) g`,
      [rows],
    );
    await client.query(
      `insert into programme_beneficiaries (id, programme_id, kind, registrant_id, enrolled_at)
       select gen_random_uuid(), $1, 'INSUREE', uuid, now() from insurees where chf_id like 'B${tag}%'`,
      [programmeId],
    );
    await client.query('analyze insurees; analyze programme_beneficiaries');
  } finally {
    await client.end();
  }
}

/** The entitlements file, written before any clock starts (keyset pages of beneficiaries, never whole in memory). */
export async function writeEntitlementsCsv(databaseUrl: string, programmeId: string, file: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  async function* lines() {
    yield 'beneficiary,amount,currency\n';
    let last = '00000000-0000-0000-0000-000000000000';
    let n = 0;
    for (;;) {
      const { rows } = await client.query<{ r: string }>(
        'select registrant_id as r from programme_beneficiaries where programme_id = $1 and registrant_id > $2 order by registrant_id limit 10000',
        [programmeId, last],
      );
      if (!rows.length) break;
      last = rows[rows.length - 1].r;
      yield rows.map((row) => `${row.r},${100 + (n++ % 400)}.50,\n`).join('');
    }
  }
  try {
    await pipeline(Readable.from(lines()), createWriteStream(file));
  } finally {
    await client.end();
  }
}

/** A new draft cycle of the programme; a new one per run, so the tables grow as they would, cycle after cycle. */
export async function createCycle(url: string, token: string, programmeId: string, code: string): Promise<string> {
  const cycle = await graphql(url, token, 'mutation($i: CreateCycleInput!) { createCycle(input: $i) { id } }', { i: { programmeId, code, scheduledDate: '2026-12-01' } });
  return cycle.createCycle.id;
}

/** Loads the entitlements file into the cycle (in this process) and checks every row was accepted. */
export async function importEntitlements(container: Container, cycleId: string, file: string, rows: number): Promise<void> {
  const intake = await container.get(EntitlementIntakeService).importCsv(cycleId, createReadStream(file));
  if (intake.accepted !== rows) throw new Error(`intake accepted ${intake.accepted}: ${JSON.stringify(intake.rejections.slice(0, 3))}`);
}

export interface SendRun {
  approve: number;
  batches: number;
  send: number;
  total: number;
  pendingPayments: number;
  batchesCreated: number;
  batchesQueued: number;
  summary: { payments: { status: string; count: number }[]; batches: { status: string; count: number }[] };
}

/**
 * approve → sendDisbursements → workers send → payer → every payment PAID or FAILED; seconds of each step.
 * The end is seen by polling cycleSummary every `pollMs` (which itself costs the database a scan of the cycle).
 */
export async function approveAndSendUntilFinal(url: string, token: string, cycleId: string, pollMs = 2000): Promise<SendRun> {
  const e2e = process.hrtime.bigint();
  let t = e2e;
  const approved = await graphql(url, token, 'mutation($c: ID!) { approveCycle(cycleId: $c) { pendingPayments failedPayments } }', { c: cycleId });
  const approve = seconds(t);
  t = process.hrtime.bigint();
  const sent = await graphql(url, token, 'mutation($c: ID!) { sendDisbursements(input: { cycleId: $c }) { batchesCreated batchesQueued } }', { c: cycleId });
  const batches = seconds(t);
  t = process.hrtime.bigint();
  let summary: SendRun['summary'];
  for (;;) {
    summary = (await graphql(url, token, 'query($c: ID!) { cycleSummary(cycleId: $c) { payments { status count } batches { status count } } }', { c: cycleId })).cycleSummary;
    const open = summary.payments.filter((p) => p.status !== 'PAID' && p.status !== 'FAILED').reduce((n, p) => n + p.count, 0);
    if (open === 0) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return {
    approve, batches, send: seconds(t), total: seconds(e2e), summary,
    pendingPayments: approved.approveCycle.pendingPayments, batchesCreated: sent.sendDisbursements.batchesCreated, batchesQueued: sent.sendDisbursements.batchesQueued,
  };
}
