import { expect } from 'chai';
import type { App } from '../../src/app.js';
import { approvalDecisions } from '../../src/observability/process-metrics.js';
import {
  addEntitlements, approve, createCycle, createFamilies, createProgramme, createSponsorBankChannel, enrol, manager,
} from '../helpers/disbursements.js';
import { startFourEyesApp, gqlAt } from '../helpers/four-eyes.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { Role, tokenFor } from '../helpers/users.js';

const STAGE = `mutation($c: ID!, $s: Int!, $m: String) {
  approveCycleStage(cycleId: $c, stage: $s, comment: $m) { stage pendingStage { stage role } pendingPayments jobId cycle { status } }
}`;
const APPROVE = 'mutation($c: ID!) { approveCycle(cycleId: $c) { status pendingPayments } }';
const REJECT = 'mutation($c: ID!, $r: String!) { rejectCycle(cycleId: $c, reason: $r) { id status approvals { stage } pendingStage { stage role } } }';
const CYCLE = `query($p: ID!) { cycles(programmeId: $p) { items { id status pendingStage { stage role } approvals { stage role approvedBy approvedAt totals { count amount } } } } }`;
const POLICY = 'mutation($i: ApprovalPolicyInput!) { setApprovalPolicy(input: $i) { id approvalPolicy { stages { stage role } extraStage { role above } } } }';

interface Setup {
  programmeId: string;
  cycleId: string;
  families: string[];
}

/** A programme with `count` entitlements of 100.00 loaded by the shared programme manager (the maker). */
async function cycleWith(count: number, policy?: { stages: Role[]; extraStage?: { role: Role; above: string } }): Promise<Setup> {
  const channelId = await createSponsorBankChannel();
  const programmeId = await createProgramme(channelId);
  if (policy) expectData(await gql(POLICY, { i: { programmeId, ...policy } }, await tokenFor(Role.ADMIN)));
  const families = await createFamilies(count + 1);
  await enrol(programmeId, families);
  const cycleId = await createCycle(programmeId);
  const intake = expectData(await addEntitlements(cycleId, families.slice(0, count).map((beneficiary) => ({ beneficiary, amount: '100.00' })))).addEntitlements;
  expect(intake.accepted).to.equal(count);
  return { programmeId, cycleId, families };
}

async function cycleState(setup: Setup) {
  const items = expectData(await gql(CYCLE, { p: setup.programmeId }, await manager())).cycles.items;
  return items.find((c: { id: string }) => c.id === setup.cycleId);
}

async function auditActions(cycleId: string): Promise<Array<{ action: string; detail: any; actorUsername: string }>> {
  const response = await gql('query($id: String) { auditEvents(entityType: "Cycle", entityId: $id, result: SUCCESS, limit: 50) { items { action actorUsername detail } } }', { id: cycleId }, await tokenFor(Role.ADMIN));
  return expectData(response).auditEvents.items;
}

describe('cycle approvals (four eyes)', function () {
  this.timeout(60_000);
  let fourEyes: App;

  before(async () => {
    fourEyes = await startFourEyesApp();
  });
  after(async () => {
    await fourEyes?.close();
  });

  it('the maker of the entitlements cannot approve; someone else can, and the approval records who, when and the totals', async () => {
    const setup = await cycleWith(3);
    const refused = expectCode(await gqlAt(fourEyes, APPROVE, { c: setup.cycleId }, await manager()), 'FORBIDDEN');
    expect(refused.extensions).to.include({ rule: 'MAKER_CANNOT_APPROVE' });
    expect((await cycleState(setup)).approvals).to.deep.equal([]);

    const checker = await tokenFor(Role.PROGRAM_MANAGER);
    expect(expectData(await gqlAt(fourEyes, APPROVE, { c: setup.cycleId }, checker)).approveCycle).to.deep.equal({ status: 'APPROVED', pendingPayments: 3 });
    const state = await cycleState(setup);
    expect(state.pendingStage).to.equal(null);
    expect(state.approvals).to.have.length(1);
    expect(state.approvals[0]).to.deep.include({ stage: 1, role: 'PROGRAM_MANAGER', totals: { count: 3, amount: '300.00' } });
    expect(state.approvals[0].approvedBy).to.match(/^program_manager-/);
    expect(Date.parse(state.approvals[0].approvedAt)).to.be.closeTo(Date.now(), 60_000);
  });

  it('a two-stage policy: in order, one person per stage, the role the stage names; payments only at the last stage', async () => {
    const setup = await cycleWith(2, { stages: [Role.PROGRAM_MANAGER, Role.FINANCE_APPROVER] });
    const [pm, admin, finance] = await Promise.all([tokenFor(Role.PROGRAM_MANAGER), tokenFor(Role.ADMIN), tokenFor(Role.FINANCE_APPROVER)]);

    const shortcut = expectCode(await gqlAt(fourEyes, APPROVE, { c: setup.cycleId }, pm), 'CONFLICT');
    expect(shortcut.message).to.match(/2 approval stages.*approveCycleStage/);
    const early = expectCode(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 2 }, finance), 'CONFLICT');
    expect(early.extensions).to.include({ pendingStage: 1, role: 'PROGRAM_MANAGER' });
    expectCode(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 3 }, pm), 'BAD_USER_INPUT');
    expect(expectCode(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 1 }, finance), 'FORBIDDEN').extensions).to.include({ rule: 'ROLE_REQUIRED' });

    const first = expectData(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 1, m: 'numbers checked' }, admin)).approveCycleStage;
    expect(first).to.deep.equal({ stage: 1, pendingStage: { stage: 2, role: 'FINANCE_APPROVER' }, pendingPayments: 0, jobId: null, cycle: { status: 'DRAFT' } });

    // The cycle waits for its second stage: sending it says so.
    const send = expectCode(await gqlAt(fourEyes, 'mutation($i: SendDisbursementsInput!) { sendDisbursements(input: $i) { batchesQueued } }', { i: { cycleId: setup.cycleId } }, pm), 'CONFLICT');
    expect(send.message).to.match(/stage 2 \(FINANCE_APPROVER\)/);
    expect(send.extensions).to.include({ pendingStage: 2, role: 'FINANCE_APPROVER' });

    // The admin may approve any stage, but not two of one cycle.
    expect(expectCode(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 2 }, admin), 'FORBIDDEN').extensions).to.include({ rule: 'ONE_STAGE_PER_PERSON' });
    expect(expectCode(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 1 }, pm), 'CONFLICT').message).to.match(/already approved/);

    const last = expectData(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 2 }, finance)).approveCycleStage;
    expect(last).to.deep.include({ stage: 2, pendingStage: null, pendingPayments: 2, cycle: { status: 'APPROVED' } });
    expect(last.jobId).to.be.a('string');
    const state = await cycleState(setup);
    expect(state.approvals.map((a: { stage: number; role: string }) => [a.stage, a.role])).to.deep.equal([[1, 'PROGRAM_MANAGER'], [2, 'FINANCE_APPROVER']]);
    const events = await auditActions(setup.cycleId);
    const stages = events.filter((e) => e.action === 'approveCycleStage').map((e) => e.detail);
    expect(stages).to.have.length(2);
    expect(stages.find((d) => d.stage === 1)).to.deep.include({ role: 'PROGRAM_MANAGER', comment: 'numbers checked', totals: { count: 2, amount: '200.00' } });
  });

  it('a cycle above the threshold takes the extra stage', async () => {
    const policy = { stages: [Role.PROGRAM_MANAGER], extraStage: { role: Role.FINANCE_APPROVER, above: '250' } };
    const small = await cycleWith(2, policy);
    const large = await cycleWith(3, policy);
    expect((await cycleState(small)).pendingStage).to.deep.equal({ stage: 1, role: 'PROGRAM_MANAGER' });
    const pm = await tokenFor(Role.PROGRAM_MANAGER);
    expect(expectData(await gqlAt(fourEyes, APPROVE, { c: small.cycleId }, pm)).approveCycle.status).to.equal('APPROVED');
    const first = expectData(await gqlAt(fourEyes, STAGE, { c: large.cycleId, s: 1 }, pm)).approveCycleStage;
    expect(first.pendingStage).to.deep.equal({ stage: 2, role: 'FINANCE_APPROVER' });
    expect(first.cycle.status).to.equal('DRAFT');
  });

  it('changing the entitlements after an approval resets the approvals, says so in the audit trail, and makes the changer a maker', async () => {
    const setup = await cycleWith(2, { stages: [Role.PROGRAM_MANAGER, Role.FINANCE_APPROVER] });
    const [pm, other] = await Promise.all([tokenFor(Role.PROGRAM_MANAGER), tokenFor(Role.PROGRAM_MANAGER)]);
    expectData(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 1 }, pm));
    expect((await cycleState(setup)).approvals).to.have.length(1);

    // The approver now adds an entitlement: its approval no longer counts, and it is the maker.
    const added = await gqlAt(fourEyes, 'mutation($i: AddEntitlementsInput!) { addEntitlements(input: $i) { accepted } }', { i: { cycleId: setup.cycleId, rows: [{ beneficiary: setup.families[2], amount: '50.00' }] } }, pm);
    expect(expectData(added).addEntitlements.accepted).to.equal(1);
    const state = await cycleState(setup);
    expect(state.approvals).to.deep.equal([]);
    expect(state.pendingStage).to.deep.equal({ stage: 1, role: 'PROGRAM_MANAGER' });
    const reset = (await auditActions(setup.cycleId)).find((e) => e.action === 'cycleApprovalsReset');
    expect(reset?.detail).to.deep.include({ reason: 'entitlements changed after approval' });
    expect(reset?.detail.approvalsReset).to.have.length(1);

    expect(expectCode(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 1 }, pm), 'FORBIDDEN').extensions).to.include({ rule: 'MAKER_CANNOT_APPROVE' });
    const again = expectData(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 1 }, other)).approveCycleStage;
    expect(again.pendingStage).to.deep.equal({ stage: 2, role: 'FINANCE_APPROVER' });
    expect((await cycleState(setup)).approvals[0].totals).to.deep.equal({ count: 3, amount: '250.00' });
  });

  it('rejectCycle clears the approvals with a reason; an approved cycle cannot be rejected', async () => {
    const setup = await cycleWith(1, { stages: [Role.PROGRAM_MANAGER, Role.FINANCE_APPROVER] });
    const [pm, finance] = await Promise.all([tokenFor(Role.PROGRAM_MANAGER), tokenFor(Role.FINANCE_APPROVER)]);
    expectData(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 1 }, pm));
    expectCode(await gqlAt(fourEyes, REJECT, { c: setup.cycleId, r: '  ' }, finance), 'BAD_USER_INPUT');
    const rejected = expectData(await gqlAt(fourEyes, REJECT, { c: setup.cycleId, r: 'amounts do not match the register' }, finance)).rejectCycle;
    expect(rejected).to.deep.include({ status: 'DRAFT', approvals: [], pendingStage: { stage: 1, role: 'PROGRAM_MANAGER' } });
    const event = (await auditActions(setup.cycleId)).find((e) => e.action === 'rejectCycle');
    expect(event?.detail).to.deep.include({ reason: 'amounts do not match the register' });

    // The approver of the rejected round may approve stage 1 of the new one; the finance approver then stage 2.
    expectData(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 1 }, pm));
    expectData(await gqlAt(fourEyes, STAGE, { c: setup.cycleId, s: 2 }, finance));
    expectCode(await gqlAt(fourEyes, REJECT, { c: setup.cycleId, r: 'too late' }, finance), 'CONFLICT');
  });

  it('two approvers racing on one stage: one wins, the other gets CONFLICT, and the payments exist once', async () => {
    const twoStage = await cycleWith(2, { stages: [Role.PROGRAM_MANAGER, Role.FINANCE_APPROVER] });
    const oneStage = await cycleWith(2);
    const [a, b] = await Promise.all([tokenFor(Role.PROGRAM_MANAGER), tokenFor(Role.PROGRAM_MANAGER)]);

    const stageRace = await Promise.all([a, b].map((token) => gqlAt(fourEyes, STAGE, { c: twoStage.cycleId, s: 1 }, token)));
    expect(stageRace.filter((r) => !r.errors)).to.have.length(1);
    expectCode(stageRace.find((r) => r.errors)!, 'CONFLICT');
    expect((await cycleState(twoStage)).approvals).to.have.length(1);

    const lastRace = await Promise.all([a, b].map((token) => gqlAt(fourEyes, APPROVE, { c: oneStage.cycleId }, token)));
    expect(lastRace.filter((r) => !r.errors)).to.have.length(1);
    expectCode(lastRace.find((r) => r.errors)!, 'CONFLICT');
    const summary = expectData(await gql('query($c: ID!) { cycleSummary(cycleId: $c) { payments { status count } } }', { c: oneStage.cycleId }, await manager())).cycleSummary;
    expect(summary.payments.reduce((n: number, p: { count: number }) => n + p.count, 0)).to.equal(2);
  });

  it('only an admin sets a policy; the default is one PROGRAM_MANAGER stage', async () => {
    const setup = await cycleWith(1);
    const shown = expectData(await gql('query($p: ID!) { cycles(programmeId: $p) { items { programme { approvalPolicy { stages { stage role } extraStage { role } } } } } }', { p: setup.programmeId }, await manager())).cycles.items;
    expect(shown[0].programme.approvalPolicy).to.deep.equal({ stages: [{ stage: 1, role: 'PROGRAM_MANAGER' }], extraStage: null });
    expectCode(await gql(POLICY, { i: { programmeId: setup.programmeId, stages: ['PROGRAM_MANAGER'] } }, await manager()), 'FORBIDDEN');
    expectCode(await gql(POLICY, { i: { programmeId: setup.programmeId, stages: ['PSP'] } }, await tokenFor(Role.ADMIN)), 'BAD_USER_INPUT');
  });

  it('decisions are counted in hela_approval_decisions_total', async () => {
    const values = (await approvalDecisions.get()).values;
    const count = (outcome: string) => values.filter((v) => v.labels.subject === 'cycle' && v.labels.outcome === outcome).reduce((n, v) => n + v.value, 0);
    expect(count('approved')).to.be.greaterThan(0);
    expect(count('refused')).to.be.greaterThan(0);
    expect(count('rejected')).to.be.greaterThan(0);
    expect(count('reset')).to.be.greaterThan(0);
  });
});

describe('cycle approvals with FOUR_EYES=false (a single-admin installation)', () => {
  it('one person may load the entitlements and approve every stage', async () => {
    const setup = await cycleWith(1, { stages: [Role.PROGRAM_MANAGER, Role.PROGRAM_MANAGER] });
    const pm = await manager();
    expectData(await gql(STAGE, { c: setup.cycleId, s: 1 }, pm));
    const last = expectData(await gql(STAGE, { c: setup.cycleId, s: 2 }, pm)).approveCycleStage;
    expect(last.cycle.status).to.equal('APPROVED');
    const oneStage = await cycleWith(1);
    expect(expectData(await approve(oneStage.cycleId)).approveCycle.status).to.equal('APPROVED');
  });
});
