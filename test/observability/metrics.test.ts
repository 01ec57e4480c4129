import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { App } from '../../src/app.js';
import { Money } from '../../src/common/money.js';
import { utcToday } from '../../src/common/utc-date.js';
import { writeMt940 } from '../../src/statements/mt940/mt940.writer.js';
import { signedAmount } from '../../src/statements/mt940/mt940.types.js';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import type { G2pPayerSimulator } from '../../src/simulators/g2p-payer/g2p-payer.simulator.js';
import type { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import { allFinal, approvedCycle, createChannel, send, startSimulator } from '../helpers/disbursements.js';
import { expectData, gql } from '../helpers/graphql.js';
import { createExternalPsp, createInsuredFamily, createQmoneyPsp, startQmoney } from '../helpers/openimis.js';
import { raw, startSecondApp } from '../helpers/second-app.js';
import { Role, tokenFor } from '../helpers/users.js';
import { envelopeWith, processEnvelope, programmeAt, startExampleBank, suffix } from '../helpers/sponsor-bank.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parse(text: string): Sample[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    return { name: match[1], labels, value: Number(match[3]) };
  });
}

/** Sum of the samples of `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('GET /metrics after one of each flow @smoke', function () {
  this.timeout(120_000);
  let app: App;
  let qmoney: QmoneySimulator;
  let payer: G2pPayerSimulator;
  let bank: ExampleBankSimulator;
  before(async () => {
    app = await startSecondApp({ METRICS_PORT: '0', METRICS_TOKEN });
    [qmoney, payer, bank] = await Promise.all([startQmoney(), startSimulator(), startExampleBank()]);
  });
  after(async () => {
    await Promise.all([app?.close(), qmoney?.stop(), payer?.stop(), bank?.stop()]);
  });

  /** The figures are read at most every 5 s: wait out the cache so a scrape sees the flows. */
  async function scrape(): Promise<Sample[]> {
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    const response = await raw(app.metricsUrl!, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status, response.text).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    return parse(response.text);
  }

  it('serves /metrics only with METRICS_TOKEN: on the main port and on METRICS_PORT', async () => {
    expect((await raw(`${app.url}/metrics`)).status).to.equal(401);
    expect((await raw(app.metricsUrl!, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).to.equal(401);
    const main = await raw(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(main.status).to.equal(200);
    expect(main.text).to.include('nodejs_eventloop_lag_seconds').and.include('process_cpu_user_seconds_total');
  });

  it('counts collections, PSP payments, disbursement payments and batches, envelopes, statement entries, queues, calls and requests', async () => {
    const before = await scrape();
    const admin = await tokenFor(Role.ADMIN);

    // OTP collection through Qmoney.
    const accountant = await tokenFor(Role.ACCOUNTANT);
    const qmoneyPsp = await createQmoneyPsp(qmoney, admin);
    const insured = await createInsuredFamily({ lumpSum: '5.00' });
    qmoney.setBalance(insured.wallet!, '20.00');
    const initiated = expectData(await gql(`mutation($i: InitiateTransactionMutationInput!) { initiateTransaction(input: $i) { uuids Success } }`,
      { i: { amount: 5, paymentServiceProviderUuid: qmoneyPsp, insureeUuid: insured.insureeUuid } }, accountant)).initiateTransaction;
    const processed = expectData(await gql(`mutation($i: ProcessTransactionMutationInput!) { processTransaction(input: $i) { Success } }`,
      { i: { uuid: initiated.uuids, otp: qmoney.lastOtp(insured.wallet!) } }, accountant)).processTransaction;
    expect(processed.Success).to.equal(true);

    // A payment an external PSP reports.
    const psp = await createExternalPsp(admin);
    const paid = await createInsuredFamily({ lumpSum: '100.00' });
    const payment = expectData(await gql(`mutation($i: ProcessPaymentMutationInput!) { processPayment(input: $i) { Success } }`, {
      i: { chfId: paid.chfId, amount: paid.lumpSum, pspTransactionId: `ref-${randomUUID()}`, policy: { productName: paid.productName, productCode: paid.productCode, token: paid.policyUuid } },
    }, psp.token)).processPayment;
    expect(payment.Success).to.equal(true);

    // A G2P Connect disbursement, sent by the workers and settled by the payer's callbacks.
    const { cycleId } = await approvedCycle(await createChannel(payer.url), 2);
    expectData(await send({ cycleId }));
    expect((await allFinal(cycleId)).map((p) => p.status)).to.deep.equal(['PAID', 'PAID']);

    // A sponsor-bank envelope shipped, and the bank's statement reconciling one payment and reversing another.
    const p = await programmeAt(bank);
    const { envelopeId, ids } = await envelopeWith(p, { amounts: ['100.00', '50.00'] });
    expect(await processEnvelope(p, envelopeId)).to.include({ shippedCount: 2 });
    const today = utcToday();
    const entries = [['D', ids[0], '100.00'], ['D', ids[1], '50.00'], ['RD', ids[1], '50.00']].map(([mark, id, amount], i) => ({
      valueDate: today, entryDate: today, mark: mark as 'D' | 'RD', amountMinor: Money.parse(amount, 'GMD').minor, transactionType: 'NTRF', customerReference: id,
      bankReference: `BR${String(i + 1).padStart(6, '0')}`, narratives: ['Cash transfer', p.mnemonic, 'NOV-2026', `Name ${id}`, `BEN-${id}`, 'ACCOUNT_CLOSED'],
    }));
    const opening = 1_000_000n;
    const closing = entries.reduce((sum, e) => sum + signedAmount(e.mark, e.amountMinor), opening);
    const text = writeMt940({
      reference: `STMT${suffix()}`, account: p.account, statementNumber: '00001', sequenceNumber: '001',
      opening: { mark: 'C', date: today, currency: 'GMD', amountMinor: opening }, closing: { mark: 'C', date: today, currency: 'GMD', amountMinor: closing }, entries,
    });
    const uploaded = expectData(await gql(`mutation($s: String!) { uploadMt940(statement: $s) { statement { paidCount reversedCount } } }`, { s: text }, p.manager)).uploadMt940;
    expect(uploaded.statement).to.include({ paidCount: 2, reversedCount: 1 });

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
    expect(moved('hela_collections', { state: 'PAID', currency: 'GMD' }), 'collections').to.equal(1);
    expect(moved('hela_collections_amount', { state: 'PAID' }), 'collected amount').to.equal(5);
    expect(moved('hela_psp_payments', { state: 'PAID' }), 'PSP payments').to.equal(1);
    expect(moved('hela_disbursement_payments', { status: 'PAID' }), 'disbursement payments').to.equal(2);
    expect(moved('hela_disbursement_batch_attempts'), 'batch attempts').to.be.at.least(1);
    expect(moved('hela_sponsor_bank_envelopes'), 'envelopes').to.equal(1);
    expect(moved('hela_sponsor_bank_disbursements', { status: 'PAID' }), 'bank disbursements paid').to.equal(1);
    expect(moved('hela_statement_entries', { outcome: 'paid' }), 'statement entries reconciled').to.equal(2);
    expect(moved('hela_statement_entries', { outcome: 'reversed' }), 'statement entries reversed').to.equal(1);
    expect(total(after, 'hela_db_figures_up')).to.equal(1);
    expect(after.some((s) => s.name === 'hela_job_queue_waiting' && s.labels.queue), 'a sample per pg-boss queue').to.equal(true);
    expect(after.some((s) => s.name === 'hela_job_queue_oldest_waiting_seconds'), 'queue age').to.equal(true);

    expect(moved('hela_outbound_call_duration_seconds_count', { counterpart: 'qmoney', outcome: '2xx' }), 'Qmoney calls').to.be.at.least(2);
    expect(moved('hela_outbound_call_duration_seconds_count', { counterpart: 'g2p-connect', outcome: '2xx' }), 'G2P Connect calls').to.be.at.least(1);
    expect(moved('hela_outbound_call_duration_seconds_count', { counterpart: 'sponsor-bank', channel: 'EXAMPLE', outcome: '2xx' }), 'bank calls').to.be.at.least(2);
    expect(moved('hela_graphql_operation_duration_seconds_count', { operation: 'processPayment', type: 'mutation', code: 'OK' }), 'GraphQL operations').to.equal(1);
    expect(moved('hela_http_request_duration_seconds_count', { route: '/graphql', method: 'POST', status: '200' }), 'HTTP requests').to.be.at.least(5);
    expect(total(after, 'hela_db_pool_connections', { pool: 'orm', state: 'waiting' })).to.be.at.least(0);
    expect(after.some((s) => s.name === 'hela_db_pool_connections' && s.labels.pool === 'jobs'), 'the job queue pool').to.equal(true);

    // Bounded labels: no id and no user name in any label value.
    const usernames = new Set([psp.username]);
    for (const sample of after) {
      for (const value of Object.values(sample.labels)) {
        expect(value, `${sample.name} ${JSON.stringify(sample.labels)}`).to.not.match(UUID);
        expect(usernames.has(value), `${sample.name} has a user name`).to.equal(false);
      }
    }
  });
});
