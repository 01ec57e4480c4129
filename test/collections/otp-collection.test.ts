import { expect } from 'chai';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { expectCode, expectData, expectRefusal, gql } from '../helpers/graphql.js';
import { createExternalPsp, createInsuredFamily, createQmoneyPsp, QMONEY, sql, startQmoney, type InsuredFamily } from '../helpers/openimis.js';
import { Role, tokenFor } from '../helpers/users.js';

const INITIATE = `mutation($input: InitiateTransactionMutationInput!) {
  initiateTransaction(input: $input) { uuids Success responseMessage detail clientMutationId errorCode state } }`;
const PROCESS = `mutation($input: ProcessTransactionMutationInput!) {
  processTransaction(input: $input) { responseCode responseMessage Success detail clientMutationId errorCode state } }`;

/** openIMIS README (seed 004) documents, ids substituted. */
function seedInitiate(amount: string, psp: string, insuree: string): string {
  return `mutation {

    initiateTransaction(input:{
    amount:${amount}
    paymentServiceProviderUuid:"${psp}"
    insureeUuid:"${insuree}"

    }),{
    responseMessage
    Success
    uuids
    clientMutationId
  }
  }`;
}

function seedProcess(uuid: string, amount: string, otp: string, psp: string, insuree: string): string {
  return `mutation {

    processTransaction(input:{
    uuid:"${uuid}"
    amount:${amount}
    otp:"${otp}"
    paymentServiceProviderUuid:"${psp}"
    insureeUuid:"${insuree}"
    clientMutationId:""
    }),{

  responseCode
  responseMessage
  clientMutationId
  Success
  detail
  clientMutationId


  }
 
 
  }`;
}

describe('openIMIS OTP collections through Qmoney (initiateTransaction / processTransaction)', () => {
  let sim: QmoneySimulator;
  let admin: string;
  let accountant: string;
  let psp: string;

  before(async () => {
    sim = await startQmoney();
    admin = await tokenFor(Role.ADMIN);
    accountant = await tokenFor(Role.ACCOUNTANT);
    psp = await createQmoneyPsp(sim, admin);
  });
  after(() => sim.stop());

  async function family(options: { lumpSum?: string; balance?: string; wallet?: string | null; startDate?: string } = {}): Promise<InsuredFamily> {
    const insured = await createInsuredFamily(options);
    if (insured.wallet) sim.setBalance(insured.wallet, options.balance ?? '1000.00');
    return insured;
  }

  async function initiate(insured: InsuredFamily, extra: Record<string, unknown> = {}) {
    const input = { amount: Number(insured.lumpSum), paymentServiceProviderUuid: psp, insureeUuid: insured.insureeUuid, ...extra };
    return expectData(await gql(INITIATE, { input }, accountant)).initiateTransaction;
  }

  async function processOtp(uuid: string, otp: string, extra: Record<string, unknown> = {}) {
    return expectData(await gql(PROCESS, { input: { uuid, otp, ...extra } }, accountant)).processTransaction;
  }

  it('runs the seed-004 documents unchanged: OTP sent, confirmed, premium M recorded and policy activated @smoke', async () => {
    const insured = await family({ lumpSum: '5.00', balance: '20.00', startDate: '2099-01-01' });
    const initiated = expectData(await gql(seedInitiate('5.00', psp, insured.insureeUuid), undefined, accountant)).initiateTransaction;
    expect(initiated).to.deep.include({ Success: true, responseMessage: 'Success', clientMutationId: null });
    expect(initiated.uuids).to.match(/^[0-9a-f-]{36}$/);
    const otp = sim.lastOtp(insured.wallet!)!;
    expect(otp).to.match(/^\d{6}$/);

    const processed = expectData(await gql(seedProcess(initiated.uuids, '5.00', otp, psp, insured.insureeUuid.toUpperCase()), undefined, accountant)).processTransaction;
    expect(processed).to.deep.equal({ responseCode: '1', responseMessage: 'Success', clientMutationId: '', Success: true, detail: null });
    expect(sim.balance(insured.wallet!)).to.equal('15.00');

    const [premium] = await sql('select amount, pay_type, pay_date, policy_uuid from premiums where payment_transaction_uuid = ?', [initiated.uuids]);
    expect(premium).to.deep.include({ amount: '5.00', pay_type: 'M', policy_uuid: insured.policyUuid });
    const [policy] = await sql(`select status, to_char(effective_date, 'YYYY-MM-DD') as effective from policies where uuid = ?`, [insured.policyUuid]);
    expect(policy).to.deep.equal({ status: 2, effective: '2099-01-01' }); // max(payDate, startDate)

    const list = expectData(await gql(`query($u: String) { transactions(uuid: $u) { totalCount edges { node { uuid amount status state otp pspTransactionId insuree { chfId } paymentServiceProvider { uuid } } } } }`, { u: initiated.uuids }, accountant));
    expect(list.transactions.edges[0].node).to.deep.include({ amount: '5.00', status: true, state: 'PAID', otp: null });
    expect(list.transactions.edges[0].node.insuree.chfId).to.equal(insured.chfId);
    expect(list.transactions.edges[0].node.pspTransactionId).to.match(/^txn_\d{20}$/);
  });

  it('answers a repeated confirmation with the same success, without calling the PSP again', async () => {
    const insured = await family();
    const { uuids } = await initiate(insured);
    const otp = sim.lastOtp(insured.wallet!)!;
    expect((await processOtp(uuids, otp)).Success).to.equal(true);
    const calls = sim.calls.verifyCode;
    const again = await processOtp(uuids, otp);
    expect(again).to.deep.include({ Success: true, responseCode: '1', responseMessage: 'Success' });
    expect(sim.calls.verifyCode).to.equal(calls);
    expect(await sql('select uuid from premiums where payment_transaction_uuid = ?', [uuids])).to.have.length(1);
  });

  it('gives 20 concurrent confirmations exactly one PSP call and one premium', async () => {
    const insured = await family();
    const { uuids } = await initiate(insured);
    const otp = sim.lastOtp(insured.wallet!)!;
    const calls = sim.calls.verifyCode;
    const answers = await Promise.all(Array.from({ length: 20 }, () => processOtp(uuids, otp)));
    expect(sim.calls.verifyCode - calls).to.equal(1);
    for (const answer of answers) expect(answer.Success === true || answer.errorCode === 'CONFLICT', JSON.stringify(answer)).to.equal(true);
    expect(await sql('select uuid from premiums where payment_transaction_uuid = ?', [uuids])).to.have.length(1);
    expect(sim.balance(insured.wallet!)).to.equal('500.00');
  });

  it('locks the transaction after 5 wrong OTPs; the PSP sees at most 5 confirmations', async () => {
    const insured = await family();
    const { uuids } = await initiate(insured);
    const calls = sim.calls.verifyCode;
    for (let i = 1; i <= 5; i++) {
      const wrong = await processOtp(uuids, '000000x');
      expect(wrong).to.deep.include({ Success: false, responseCode: '-150005', errorCode: 'OTP_INVALID' });
      expect(wrong.responseMessage).to.match(/^Two factor OTP validation fail for transactionId : txn_/);
      expect(wrong.state).to.equal(i < 5 ? 'OTP_SENT' : 'LOCKED');
    }
    const right = await processOtp(uuids, sim.lastOtp(insured.wallet!)!);
    expect(right).to.deep.include({ Success: false, errorCode: 'ATTEMPTS_EXCEEDED', state: 'LOCKED' });
    expect(sim.calls.verifyCode - calls).to.equal(5);
    expect(sim.balance(insured.wallet!)).to.equal('1000.00');
  });

  it('refuses an expired OTP without calling the PSP', async () => {
    const insured = await family();
    const { uuids } = await initiate(insured);
    await sql(`update payment_transactions set otp_expires_at = now() - interval '1 second' where uuid = ?`, [uuids]);
    const calls = sim.calls.verifyCode;
    expect(await processOtp(uuids, sim.lastOtp(insured.wallet!)!)).to.deep.include({ Success: false, errorCode: 'OTP_EXPIRED', state: 'EXPIRED' });
    expect(sim.calls.verifyCode).to.equal(calls);
  });

  it('takes amount, insuree and PSP from the stored transaction and refuses a client value that disagrees', async () => {
    const insured = await family();
    const other = await family();
    const { uuids } = await initiate(insured);
    const otp = sim.lastOtp(insured.wallet!)!;
    const calls = sim.calls.verifyCode;
    expect(await processOtp(uuids, otp, { amount: 1 })).to.deep.include({ Success: false, responseCode: '0', errorCode: 'BAD_USER_INPUT' });
    expect(await processOtp(uuids, otp, { insureeUuid: other.insureeUuid })).to.deep.include({ Success: false, errorCode: 'BAD_USER_INPUT' });
    expect(sim.calls.verifyCode).to.equal(calls);
    expect(await processOtp(uuids, otp, { amount: 500, insureeUuid: insured.insureeUuid, paymentServiceProviderUuid: psp })).to.deep.include({ Success: true });
  });

  it('reports insufficient balance with the openIMIS message and marks the transaction FAILED', async () => {
    const insured = await family({ balance: '10.00' });
    const { uuids } = await initiate(insured);
    const answer = await processOtp(uuids, sim.lastOtp(insured.wallet!)!);
    expect(answer).to.deep.include({ Success: false, responseCode: '-120008', responseMessage: 'Insufficent Balance in your Qmoney wallet', state: 'FAILED' });
    expect(await sql('select uuid from premiums where payment_transaction_uuid = ?', [uuids])).to.have.length(0);
    const [policy] = await sql('select status from policies where uuid = ?', [insured.policyUuid]);
    expect(policy.status).to.equal(1);
  });

  it('leaves a PSP timeout UNKNOWN (never FAILED), visible to accountants, and blocks a second collection', async () => {
    const slowPsp = await createQmoneyPsp(sim, admin, { timeoutMs: 300 });
    const insured = await family();
    const input = { amount: 500, paymentServiceProviderUuid: slowPsp, insureeUuid: insured.insureeUuid };
    const { uuids } = expectData(await gql(INITIATE, { input }, accountant)).initiateTransaction;
    sim.faults.verifyCode = 'hang'; // Qmoney moves the money, the answer is lost
    const answer = await processOtp(uuids, sim.lastOtp(insured.wallet!)!);
    expect(answer).to.deep.include({ Success: false, responseCode: '0', errorCode: 'PSP_UNKNOWN', state: 'UNKNOWN' });
    const unknown = expectData(await gql(`{ transactions(state: UNKNOWN, insuree_ChfId: "${insured.chfId}") { edges { node { uuid state status } } } }`, undefined, accountant));
    expect(unknown.transactions.edges.map((e: any) => e.node.uuid)).to.deep.equal([uuids]);
    const second = expectData(await gql(INITIATE, { input }, accountant)).initiateTransaction;
    expect(second).to.deep.include({ Success: false, errorCode: 'CONFLICT' });
    // Asking again is a status query: Qmoney no longer knows the session (it was consumed), so it stays UNKNOWN.
    const again = await processOtp(uuids, sim.lastOtp(insured.wallet!)!);
    expect(again).to.deep.include({ Success: false, responseCode: '-150001', state: 'UNKNOWN' });
    expect(await sql('select uuid from premiums where payment_transaction_uuid = ?', [uuids])).to.have.length(0);

    sim.faults.getMoney = 'hang';
    const other = await family();
    const timedOut = expectData(await gql(INITIATE, { input: { ...input, insureeUuid: other.insureeUuid } }, accountant)).initiateTransaction;
    expect(timedOut).to.deep.include({ Success: false, errorCode: 'PSP_UNKNOWN', state: 'UNKNOWN' });
  });

  it('marks the transaction FAILED when Qmoney cannot even be logged into (nothing was sent)', async () => {
    const misconfigured = await createQmoneyPsp(sim, admin, { loginPassword: 'not-the-password' });
    const insured = await family();
    const input = { amount: 500, paymentServiceProviderUuid: misconfigured, insureeUuid: insured.insureeUuid };
    const getMoney = sim.calls.getMoney;
    const answer = expectData(await gql(INITIATE, { input }, accountant)).initiateTransaction;
    expect(answer).to.deep.include({ Success: false, responseMessage: 'transaction.mutation.failed_to_create_initiate_transaction', errorCode: 'PSP_UNAVAILABLE', state: 'FAILED' });
    expect(sim.calls.getMoney).to.equal(getMoney);
    expect(answer.detail).to.not.include('not-the-password');
    // Nothing is under way, so a collection through a working PSP can start at once.
    expect((await initiate(insured)).Success).to.equal(true);
  });

  it('turns a confirmation interrupted long ago (CONFIRMING) into UNKNOWN instead of blocking forever', async () => {
    const insured = await family();
    const { uuids } = await initiate(insured);
    await sql(`update payment_transactions set state = 'CONFIRMING', updated_at = now() - interval '10 minutes' where uuid = ?`, [uuids]);
    const calls = sim.calls.verifyCode;
    expect(await processOtp(uuids, sim.lastOtp(insured.wallet!)!)).to.deep.include({ Success: false, errorCode: 'PSP_UNKNOWN', state: 'UNKNOWN' });
    expect(sim.calls.verifyCode).to.equal(calls);
  });

  it('refuses bad input with the documented message and writes nothing', async () => {
    const insured = await family();
    const noWallet = await family({ wallet: null });
    const before = (await sql('select count(*)::int as n from payment_transactions'))[0].n;
    const refuse = async (input: Record<string, unknown>, code: string, message = 'transaction.mutation.failed_to_create_initiate_transaction') => {
      const answer = expectData(await gql(INITIATE, { input: { amount: 500, paymentServiceProviderUuid: psp, insureeUuid: insured.insureeUuid, ...input } }, accountant)).initiateTransaction;
      expect(answer, JSON.stringify(answer)).to.deep.include({ Success: false, responseMessage: message, errorCode: code, uuids: null });
      expect(answer.detail).to.be.a('string').that.is.not.empty;
      return answer;
    };
    await refuse({ insureeUuid: noWallet.insureeUuid }, 'BAD_USER_INPUT', 'Insuree wallet does not exist');
    expect((await refuse({ insureeUuid: '0efc5c60-ac2e-4f2c-840d-022271005d5a' }, 'NOT_FOUND')).detail).to.equal('invalid insuree_uuid');
    expect((await refuse({ paymentServiceProviderUuid: '5c15ecbd-ef82-40e0-9842-a5a28cedb2b6' }, 'NOT_FOUND')).detail).to.equal('invalid payment_service_provider_uuid');
    await refuse({ insureeUuid: 'not-a-uuid' }, 'BAD_USER_INPUT');
    await refuse({ amount: -500 }, 'BAD_USER_INPUT');
    await refuse({ amount: 0 }, 'BAD_USER_INPUT');
    await refuse({ amount: 499.999 }, 'BAD_USER_INPUT');
    await refuse({ amount: 499 }, 'BAD_USER_INPUT'); // not the policy value
    const external = await createExternalPsp(admin);
    await refuse({ paymentServiceProviderUuid: external.pspUuid }, 'BAD_USER_INPUT'); // not a Qmoney PSP
    expect((await sql('select count(*)::int as n from payment_transactions'))[0].n).to.equal(before);

    // A policy that is no longer idle cannot be collected for.
    const active = await family();
    await sql('update policies set status = 2 where uuid = ?', [active.policyUuid]);
    await refuse({ insureeUuid: active.insureeUuid }, 'CONFLICT');

    // Roles: a PSP user is refused in the payload (FORBIDDEN), an anonymous caller gets the one GraphQL error left.
    const input = { amount: 500, paymentServiceProviderUuid: psp, insureeUuid: insured.insureeUuid };
    expectRefusal(await gql(INITIATE, { input }, external.token), 'initiateTransaction', 'FORBIDDEN');
    expectCode(await gql(INITIATE, { input }), 'UNAUTHENTICATED');
    expect(expectRefusal(await gql(PROCESS, { input: { uuid: insured.policyUuid, otp: '1' } }, external.token), 'processTransaction', 'FORBIDDEN').responseCode).to.equal('0');
    expectCode(await gql('{ transactions { totalCount } }', undefined, external.token), 'FORBIDDEN');
  });

  it('never stores or logs the OTP in clear text', async () => {
    const insured = await family();
    const { uuids } = await initiate(insured);
    const otp = sim.lastOtp(insured.wallet!)!;
    await processOtp(uuids, `${otp}9`); // a wrong one too
    await processOtp(uuids, otp);
    const rows = await sql(`select count(*)::int as n from payment_transactions t where t.uuid = ? and row_to_json(t)::text like ?`, [uuids, `%${otp}%`]);
    expect(rows[0].n).to.equal(0);
    const audit = await sql(`select count(*)::int as n from audit_events a where a.entity_id = ? and row_to_json(a)::text like ?`, [uuids, `%${otp}%`]);
    expect(audit[0].n).to.equal(0);
    expect(QMONEY.pin).to.not.equal(otp);
  });
});
