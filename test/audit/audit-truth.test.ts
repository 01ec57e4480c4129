import { expect } from 'chai';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { expectData, expectRefusal, gql } from '../helpers/graphql.js';
import { createInsuredFamily, createQmoneyPsp, startQmoney } from '../helpers/openimis.js';
import { createUser, login, Role, tokenFor } from '../helpers/users.js';

/** Checklist S6: a payload that says Success: false is a FAILURE in the audit trail, with its code. */
const INITIATE = 'mutation($input: InitiateTransactionMutationInput!) { initiateTransaction(input: $input) { uuids Success errorCode } }';
const PROCESS = 'mutation($input: ProcessTransactionMutationInput!) { processTransaction(input: $input) { Success errorCode responseCode } }';
const EVENTS = `query($a: String, $u: String, $r: AuditResult, $e: String) {
  auditEvents(action: $a, actorUsername: $u, result: $r, entityId: $e, limit: 100) { totalCount items { action result errorCode entityId actorUsername } } }`;

describe('audit: refusals answered in the payload are audited as failures (S6) @smoke', () => {
  let sim: QmoneySimulator;
  let admin: string;
  let psp: string;
  before(async () => {
    sim = await startQmoney();
    admin = await tokenFor(Role.ADMIN);
    psp = await createQmoneyPsp(sim, admin);
  });
  after(() => sim.stop());

  it('a brute-force run of wrong OTPs shows in auditEvents(result: FAILURE), one event per guess with OTP_INVALID; the right OTP is a SUCCESS', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const { token } = await login(user.username);
    const insured = await createInsuredFamily();
    sim.setBalance(insured.wallet!, '1000.00');
    const { uuids } = expectData(await gql(INITIATE, { input: { amount: 500, paymentServiceProviderUuid: psp, insureeUuid: insured.insureeUuid } }, token)).initiateTransaction;
    const otp = sim.lastOtp(insured.wallet!)!;
    const wrong = otp === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) expectRefusal(await gql(PROCESS, { input: { uuid: uuids, otp: wrong } }, token), 'processTransaction', 'OTP_INVALID');
    expect(expectData(await gql(PROCESS, { input: { uuid: uuids, otp } }, token)).processTransaction.Success).to.equal(true);

    const failures = expectData(await gql(EVENTS, { a: 'processTransaction', u: user.username, r: 'FAILURE' }, admin)).auditEvents;
    expect(failures.totalCount).to.equal(3);
    for (const event of failures.items) expect(event).to.deep.equal({ action: 'processTransaction', result: 'FAILURE', errorCode: 'OTP_INVALID', entityId: uuids, actorUsername: user.username });
    const successes = expectData(await gql(EVENTS, { a: 'processTransaction', u: user.username, r: 'SUCCESS' }, admin)).auditEvents;
    expect(successes.totalCount).to.equal(1);
  });

  it('refusals raised anywhere (service, role, input) are failures with their code, never successes', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const { token } = await login(user.username);
    const unknown = { amount: 500, paymentServiceProviderUuid: psp, insureeUuid: '00000000-0000-4000-8000-000000000000' };
    expectRefusal(await gql(INITIATE, { input: unknown }, token), 'initiateTransaction', 'NOT_FOUND');
    expectRefusal(await gql(INITIATE, { input: { ...unknown, amount: 1.2345 } }, token), 'initiateTransaction', 'BAD_USER_INPUT');
    const events = expectData(await gql(EVENTS, { a: 'initiateTransaction', u: user.username }, admin)).auditEvents;
    expect(events.items.map((event: any) => `${event.result} ${event.errorCode}`).sort()).to.deep.equal(['FAILURE BAD_USER_INPUT', 'FAILURE NOT_FOUND']);

    const create = 'mutation($i: CreatePaymentServiceProviderInput!) { createPaymentServiceProvider(input: $i) { Success errorCode } }';
    const name = `Audited ${Date.now()}`;
    expectData(await gql(create, { i: { name } }, admin));
    const admins = await createUser([Role.ADMIN]);
    const adminToken = (await login(admins.username)).token;
    expectRefusal(await gql(create, { i: { name } }, adminToken), 'createPaymentServiceProvider', 'CONFLICT');
    const pspEvents = expectData(await gql(EVENTS, { a: 'createPaymentServiceProvider', u: admins.username }, admin)).auditEvents;
    expect(pspEvents.items).to.have.length(1);
    expect(pspEvents.items[0]).to.include({ result: 'FAILURE', errorCode: 'CONFLICT' });
  });
});
