import { expect } from 'chai';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { eventually } from '../helpers/disbursements.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../helpers/fault-proxy.js';
import { expectData, gql } from '../helpers/graphql.js';
import { createInsuredFamily, createQmoneyPsp, sql, startQmoney, type InsuredFamily } from '../helpers/openimis.js';
import { Role, tokenFor } from '../helpers/users.js';

/**
 * I1–I5 for Qmoney, with the fault proxy between Hela and the Qmoney simulator.
 *
 * What UNKNOWN means with Qmoney, which has no status API (openimis-mobile-payments.md §8): a
 * verifyCode whose answer was lost may or may not have moved the money. Hela keeps the transaction
 * UNKNOWN (no premium, and no second collection for the policy) and the one way to ask is to confirm
 * again: Hela sends verifyCode again with the same Qmoney transactionId and OTP. That cannot move money
 * twice, because a Qmoney session is single-use: if the first call went through, Qmoney answers
 * -150001 (session not found) and the transaction stays UNKNOWN, to be settled against Qmoney's
 * merchant statement; if it never arrived, the money moves now, once, and the collection is PAID.
 * A lost getMoney only risks an OTP message: nothing can have moved, and a new collection may start.
 */
const INITIATE = `mutation($input: InitiateTransactionMutationInput!) {
  initiateTransaction(input: $input) { uuids Success responseMessage detail errorCode state } }`;
const PROCESS = `mutation($input: ProcessTransactionMutationInput!) {
  processTransaction(input: $input) { responseCode responseMessage Success detail errorCode state } }`;
const HEALTH = `query($uuid: String) { paymentServiceProvider(uuid: $uuid) { edges { node { uuid health { state consecutiveFailures lastFailure openedUntil } } } } }`;

describe('outbound faults: Qmoney behind a fault proxy', function () {
  this.timeout(60_000);
  let sim: QmoneySimulator;
  let proxy: FaultProxy;
  let admin: string;
  let accountant: string;
  let psp: string;

  before(async () => {
    sim = await startQmoney();
    admin = await tokenFor(Role.ADMIN);
    accountant = await tokenFor(Role.ACCOUNTANT);
  });
  after(() => sim.stop());
  beforeEach(async () => {
    proxy = await startFaultProxy(sim.url);
    psp = await createQmoneyPsp(sim, admin, { baseUrl: proxy.url, timeoutMs: 500 });
  });
  afterEach(() => proxy.stop());

  async function family(): Promise<InsuredFamily> {
    const insured = await createInsuredFamily();
    sim.setBalance(insured.wallet!, '1000.00');
    return insured;
  }

  async function initiate(insured: InsuredFamily, through = psp) {
    const input = { amount: Number(insured.lumpSum), paymentServiceProviderUuid: through, insureeUuid: insured.insureeUuid };
    return expectData(await gql(INITIATE, { input }, accountant)).initiateTransaction;
  }

  async function confirm(uuid: string, insured: InsuredFamily) {
    return expectData(await gql(PROCESS, { input: { uuid, otp: sim.lastOtp(insured.wallet!) } }, accountant)).processTransaction;
  }

  async function premiums(transactionUuid: string): Promise<number> {
    return (await sql('select uuid from premiums where payment_transaction_uuid = ?', [transactionUuid])).length;
  }

  async function health() {
    return expectData(await gql(HEALTH, { uuid: psp }, admin)).paymentServiceProvider.edges[0].node.health;
  }

  it('every call has an explicit timeout: a hung login, getMoney or verifyCode ends at the PSP timeout, once, with the connection closed', async () => {
    proxy.inject({ kind: 'hang' }, { path: '/login', times: 1 });
    const getMoneyCalls = sim.calls.getMoney;
    const noLogin = await initiate(await family());
    expect(noLogin).to.deep.include({ Success: false, errorCode: 'PSP_UNAVAILABLE', state: 'FAILED' });
    expect(noLogin.detail).to.match(/nothing was sent.*ETIMEDOUT on \/login/);
    expect(sim.calls.getMoney).to.equal(getMoneyCalls);

    proxy.inject({ kind: 'hang' }, { path: '/getMoney', times: 1 });
    const otpLost = await family();
    const lost = await initiate(otpLost);
    expect(lost).to.deep.include({ Success: false, errorCode: 'PSP_UNKNOWN', state: 'UNKNOWN' });
    expect(lost.detail).to.include('ETIMEDOUT on /getMoney');
    expect(sim.lastOtp(otpLost.wallet!), 'Qmoney sent the OTP').to.be.a('string');

    const insured = await family();
    const { uuids } = await initiate(insured);
    proxy.inject({ kind: 'hang' }, { path: '/verifyCode', times: 1 });
    const unknown = await confirm(uuids, insured);
    expect(unknown).to.deep.include({ Success: false, errorCode: 'PSP_UNKNOWN', state: 'UNKNOWN' });
    expect(unknown.detail).to.include('ETIMEDOUT on /verifyCode');
    expect(sim.balance(insured.wallet!)).to.equal('500.00'); // Qmoney moved the money; Hela does not know

    // Never retried on its own, and every hung connection was given up by Hela.
    expect(proxy.to('/getMoney')).to.have.length(2);
    expect(proxy.to('/verifyCode')).to.have.length(1);
    await eventually(async () => expect(proxy.hangingConnections()).to.equal(0));
  });

  it('a reset, a cut answer or a 5xx after Qmoney moved the money is UNKNOWN, never FAILED; confirming again re-sends the same transactionId and cannot move it twice', async () => {
    const faults: Fault[] = [{ kind: 'reset-after' }, { kind: 'truncate' }, { kind: 'status', status: 502, forward: true }];
    for (const fault of faults) {
      const insured = await family();
      const { uuids } = await initiate(insured);
      proxy.inject(fault, { path: '/verifyCode', times: 1 });
      expect(await confirm(uuids, insured), fault.kind).to.deep.include({ Success: false, errorCode: 'PSP_UNKNOWN', state: 'UNKNOWN' });
      expect(sim.balance(insured.wallet!), fault.kind).to.equal('500.00');
      // The same policy cannot be collected again while the outcome is unknown.
      expect(await initiate(insured), fault.kind).to.deep.include({ Success: false, errorCode: 'CONFLICT' });

      const again = await confirm(uuids, insured);
      expect(again, fault.kind).to.deep.include({ Success: false, responseCode: '-150001', errorCode: 'PSP_UNKNOWN', state: 'UNKNOWN' });
      expect(sim.balance(insured.wallet!), fault.kind).to.equal('500.00');
      expect(await premiums(uuids), fault.kind).to.equal(0);
      const [transaction] = await sql('select state from payment_transactions where uuid = ?', [uuids]);
      expect(transaction.state, fault.kind).to.equal('UNKNOWN');
    }
    const sent = proxy.to('/verifyCode').map((r) => JSON.parse(r.body.toString()));
    expect(sent).to.have.length(6);
    for (let i = 0; i < 6; i += 2) expect(sent[i + 1]).to.deep.equal(sent[i]); // same transactionId and OTP, never a new session
  });

  it('a confirmation that never reached Qmoney (reset before sending) is UNKNOWN as well; confirming again pays it once', async () => {
    const insured = await family();
    const { uuids } = await initiate(insured);
    proxy.inject({ kind: 'reset-before' }, { path: '/verifyCode', times: 1 });
    expect(await confirm(uuids, insured)).to.deep.include({ Success: false, errorCode: 'PSP_UNKNOWN', state: 'UNKNOWN' });
    expect(sim.balance(insured.wallet!)).to.equal('1000.00');
    expect(await confirm(uuids, insured)).to.deep.include({ Success: true, responseCode: '1', state: 'PAID' });
    expect(sim.balance(insured.wallet!)).to.equal('500.00');
    expect(await premiums(uuids)).to.equal(1);
    expect(proxy.to('/verifyCode').map((r) => r.forwarded)).to.deep.equal([false, true]);

    // A lost getMoney moved nothing (it only sends an OTP): the policy may be collected again at once.
    const other = await family();
    proxy.inject({ kind: 'reset-after' }, { path: '/getMoney', times: 1 });
    expect(await initiate(other)).to.deep.include({ Success: false, errorCode: 'PSP_UNKNOWN', state: 'UNKNOWN' });
    expect(await initiate(other)).to.deep.include({ Success: true, state: 'OTP_SENT' });
  });

  it('a PSP that keeps failing opens its breaker: collections fail fast with PSP_UNAVAILABLE and no traffic, another PSP is unaffected, the breaker closes on recovery', async () => {
    proxy.inject({ kind: 'status', status: 503 });
    for (let i = 0; i < 5; i++) expect(await initiate(await family())).to.deep.include({ Success: false, errorCode: 'PSP_UNAVAILABLE', state: 'FAILED' });
    const opened = await health();
    expect(opened).to.include({ state: 'OPEN', consecutiveFailures: 5 });
    expect(opened.lastFailure).to.match(/^UNAVAILABLE: Qmoney login failed \(HTTP 503/);
    const seen = proxy.requests.length;
    const refused = await initiate(await family());
    expect(refused).to.deep.include({ Success: false, errorCode: 'PSP_UNAVAILABLE', state: 'FAILED' });
    expect(refused.detail).to.match(/circuit open after 5 failures in a row .*calls resume at/);
    expect(proxy.requests.length, 'no call reached the PSP').to.equal(seen);

    const direct = await createQmoneyPsp(sim, admin);
    expect(await initiate(await family(), direct)).to.deep.include({ Success: true, state: 'OTP_SENT' });

    proxy.clear();
    const wait = new Date(opened.openedUntil).getTime() - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    expect((await health()).state).to.equal('HALF_OPEN');
    expect(await initiate(await family())).to.deep.include({ Success: true, state: 'OTP_SENT' });
    expect(await health()).to.include({ state: 'CLOSED', consecutiveFailures: 0, openedUntil: null });
  });
});
