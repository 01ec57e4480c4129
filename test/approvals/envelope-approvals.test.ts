import { expect } from 'chai';
import type { App } from '../../src/app.js';
import type { ExampleBankSimulator } from '../../src/simulators/example-bank/example-bank.simulator.js';
import { gqlAt, startFourEyesApp } from '../helpers/four-eyes.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import {
  CREATE_DISBURSEMENTS, CREATE_ENVELOPE, disbursementInput, envelopeInput, PROCESS, processEnvelope, programmeAt, startExampleBank, suffix,
} from '../helpers/sponsor-bank.js';
import { Role, tokenFor } from '../helpers/users.js';

const APPROVE = `mutation($e: String!, $s: Int!) {
  approveDisbursementEnvelope(envelopeId: $e, stage: $s) { approvalRequired approvedAt pendingStage { stage role } approvals { stage role approvedBy totals { count amount } } }
}`;
const STATUS = 'query($e: String!) { disbursementEnvelopeStatus(envelopeId: $e) { approvalRequired approvedAt fundsAttempts shippedCount pendingStage { stage role } } }';

describe('sponsor-bank envelopes created through the API (four eyes)', function () {
  this.timeout(60_000);
  let fourEyes: App;
  let bank: ExampleBankSimulator;

  before(async () => {
    [fourEyes, bank] = await Promise.all([startFourEyesApp(), startExampleBank()]);
  });
  after(async () => {
    await Promise.all([fourEyes?.close(), bank?.stop()]);
  });

  it('wait for a second person before any bank step; then go as before', async () => {
    const p = await programmeAt(bank);
    const envelopeId = `ENV-${suffix()}`;
    expectData(await gqlAt(fourEyes, CREATE_ENVELOPE, { i: envelopeInput(p, envelopeId, { amounts: ['100.00', '50.00'] }) }, p.manager));
    const ids = [`${envelopeId}-1`, `${envelopeId}-2`];
    expectData(await gqlAt(fourEyes, CREATE_DISBURSEMENTS, { i: { envelopeId, disbursements: [disbursementInput(ids[0], '100.00'), disbursementInput(ids[1], '50.00')] } }, p.manager));
    expect(expectData(await gql(STATUS, { e: envelopeId }, p.manager)).disbursementEnvelopeStatus).to.deep.include({ approvalRequired: true, approvedAt: null, pendingStage: { stage: 1, role: 'PROGRAM_MANAGER' } });

    // Not processed, by either app: the stage is named.
    for (const app of [fourEyes, undefined]) {
      const refused = app ? await gqlAt(app, PROCESS, { e: envelopeId }, p.manager) : await gql(PROCESS, { e: envelopeId }, p.manager);
      expect(expectCode(refused, 'CONFLICT').extensions).to.include({ pendingStage: 1, role: 'PROGRAM_MANAGER', envelopeId });
    }
    expect(expectData(await gql(STATUS, { e: envelopeId }, p.manager)).disbursementEnvelopeStatus.fundsAttempts).to.equal(0);

    expect(expectCode(await gqlAt(fourEyes, APPROVE, { e: envelopeId, s: 1 }, p.manager), 'FORBIDDEN').extensions).to.include({ rule: 'MAKER_CANNOT_APPROVE' });
    const approved = expectData(await gqlAt(fourEyes, APPROVE, { e: envelopeId, s: 1 }, await tokenFor(Role.PROGRAM_MANAGER))).approveDisbursementEnvelope;
    expect(approved.pendingStage).to.equal(null);
    expect(approved.approvedAt).to.be.a('string');
    expect(approved.approvals).to.have.length(1);
    expect(approved.approvals[0]).to.deep.include({ stage: 1, role: 'PROGRAM_MANAGER', totals: { count: 2, amount: '150.00' } });
    expectCode(await gqlAt(fourEyes, APPROVE, { e: envelopeId, s: 1 }, p.admin), 'CONFLICT');

    expect(await processEnvelope(p, envelopeId)).to.include({ fundsStatus: 'FUNDS_AVAILABLE', blockStatus: 'BLOCKED', shippedCount: 2 });
  });

  it("follow the stages of the programme's policy, by the declared total", async () => {
    const p = await programmeAt(bank);
    const programmeId = await hostProgramme(p.mnemonic);
    expectData(await gql('mutation($i: ApprovalPolicyInput!) { setApprovalPolicy(input: $i) { id } }', { i: { programmeId, stages: ['PROGRAM_MANAGER'], extraStage: { role: 'FINANCE_APPROVER', above: '1000' } } }, p.admin));
    const envelopeId = `ENV-${suffix()}`;
    expectData(await gqlAt(fourEyes, CREATE_ENVELOPE, { i: envelopeInput(p, envelopeId, { amounts: ['1500.00'] }) }, p.manager));
    const first = expectData(await gqlAt(fourEyes, APPROVE, { e: envelopeId, s: 1 }, p.admin)).approveDisbursementEnvelope;
    expect(first.pendingStage).to.deep.equal({ stage: 2, role: 'FINANCE_APPROVER' });
    expect(expectCode(await gqlAt(fourEyes, APPROVE, { e: envelopeId, s: 2 }, p.admin), 'FORBIDDEN').extensions).to.include({ rule: 'ONE_STAGE_PER_PERSON' });
    const last = expectData(await gqlAt(fourEyes, APPROVE, { e: envelopeId, s: 2 }, await tokenFor(Role.FINANCE_APPROVER))).approveDisbursementEnvelope;
    expect(last.pendingStage).to.equal(null);
  });

  it('with FOUR_EYES=false need no approval (a single-admin installation)', async () => {
    const p = await programmeAt(bank);
    const envelopeId = `ENV-${suffix()}`;
    const created = expectData(await gql(CREATE_ENVELOPE.replace('scheduleDate', 'scheduleDate approvalRequired'), { i: envelopeInput(p, envelopeId, { amounts: ['10.00'] }) }, p.manager));
    expect(created.createDisbursementEnvelope.approvalRequired).to.equal(false);
    expectCode(await gql(APPROVE, { e: envelopeId, s: 1 }, p.admin), 'CONFLICT');
  });
});

/** A Hela programme with the envelope's mnemonic, whose policy the envelope then follows. */
async function hostProgramme(mnemonic: string): Promise<string> {
  const admin = await tokenFor(Role.ADMIN);
  const channel = expectData(await gql('mutation($i: SponsorBankChannelInput!) { createSponsorBankChannel(input: $i) { id } }', { i: { name: `bank-${suffix()}`, currency: 'GMD', bankCode: 'EXAMPLE', mobileWalletProvider: 'QMONEY' } }, admin)).createSponsorBankChannel.id;
  return expectData(await gql('mutation($i: CreateProgrammeInput!) { createProgramme(input: $i) { id } }', { i: { mnemonic, name: mnemonic, currency: 'GMD', channelId: channel } }, admin)).createProgramme.id;
}
