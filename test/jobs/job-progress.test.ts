import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { writeMt940 } from '../../src/statements/mt940/mt940.writer.js';
import { JobKind } from '../../src/jobs/progress/job.entity.js';
import { JobProgressService } from '../../src/jobs/progress/job-progress.service.js';
import { testApp } from '../hooks.js';
import {
  addEntitlements, createChannel, createCycle, createFamilies, createProgramme, enrol, eventually, manager, startSimulator,
} from '../helpers/disbursements.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { accountant, admin } from '../helpers/registry.js';
import { Role, tokenFor } from '../helpers/users.js';

const JOB = `query($id: ID!) { job(id: $id) { id kind status cycleId label phase unit done total startedAt finishedAt estimatedEnd error } }`;

async function job(id: string, token?: string) {
  return expectData(await gql(JOB, { id }, token ?? (await manager()))).job;
}

describe('jobs: progress of approval, send and reconciliation', () => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  before(async () => {
    simulator = await startSimulator({ settleDelayMs: 50 });
  });
  after(() => simulator.stop());

  it('approveCycle and sendDisbursements are jobs: done out of total, in cycleSummary and job(id)', async () => {
    const channelId = await createChannel(simulator.url, { batchSize: 2 });
    const programmeId = await createProgramme(channelId);
    const families = await createFamilies(5);
    await enrol(programmeId, families);
    const cycleId = await createCycle(programmeId);
    expectData(await addEntitlements(cycleId, families.map((beneficiary) => ({ beneficiary, amount: '10.00' }))));

    const approval = expectData(await gql('mutation($c: ID!) { approveCycle(cycleId: $c) { jobId } }', { c: cycleId }, await manager())).approveCycle;
    const approved = await job(approval.jobId);
    expect(approved).to.deep.include({ kind: 'APPROVE_CYCLE', status: 'DONE', cycleId, unit: 'payments', done: 5, total: 5, estimatedEnd: null, error: null });
    expect(new Date(approved.finishedAt).getTime()).to.be.at.least(new Date(approved.startedAt).getTime());

    const sent = expectData(await gql('mutation($c: ID!) { sendDisbursements(input: { cycleId: $c }) { batchesQueued jobId } }', { c: cycleId }, await manager())).sendDisbursements;
    expect(sent.batchesQueued).to.equal(3);
    const sending = await eventually(async () => {
      const current = await job(sent.jobId);
      expect(current.status).to.equal('DONE');
      return current;
    });
    expect(sending).to.deep.include({ kind: 'SEND_DISBURSEMENTS', cycleId, unit: 'payments', done: 5, total: 5, phase: 'sent' });

    const summary = expectData(await gql('query($c: ID!) { cycleSummary(cycleId: $c) { jobs { id kind status } } }', { c: cycleId }, await manager())).cycleSummary;
    expect(summary.jobs).to.deep.equal([
      { id: sent.jobId, kind: 'SEND_DISBURSEMENTS', status: 'DONE' },
      { id: approval.jobId, kind: 'APPROVE_CYCLE', status: 'DONE' },
    ]);
  });

  it('a refused approval is no job', async () => {
    const programmeId = await createProgramme(await createChannel(simulator.url));
    const cycleId = await createCycle(programmeId);
    expectCode(await gql('mutation($c: ID!) { approveCycle(cycleId: $c) { jobId } }', { c: cycleId }, await manager()), 'BAD_USER_INPUT');
    expect(expectData(await gql('query($c: ID!) { jobs(cycleId: $c) { totalCount } }', { c: cycleId }, await manager())).jobs.totalCount).to.equal(0);
  });

  it('a running job shows what is done so far and when it should end, then its end', async () => {
    const tracker = testApp().container.get(JobProgressService).begin({ kind: JobKind.RECONCILE_STATEMENTS, label: 'a test job', unit: 'bytes', phase: 'reading', total: 1000 });
    tracker.advance(250);
    const running = await eventually(async () => {
      const current = await job(tracker.id);
      expect(current.done).to.equal(250);
      return current;
    });
    expect(running).to.deep.include({ status: 'RUNNING', total: 1000, phase: 'reading', finishedAt: null });
    // At the rate so far, 1000 take four times as long as the 250 done.
    expect(new Date(running.estimatedEnd).getTime()).to.be.greaterThan(new Date(running.startedAt).getTime());
    const listed = expectData(await gql('{ jobs(status: RUNNING, kind: RECONCILE_STATEMENTS) { items { id } } }', {}, await admin())).jobs.items;
    expect(listed.map((j: { id: string }) => j.id)).to.include(tracker.id);

    await tracker.finish({ done: 1000 });
    expect(await job(tracker.id)).to.deep.include({ status: 'DONE', done: 1000, estimatedEnd: null });
  });

  it('a reconciled statement file is a job counted in its characters', async () => {
    const account = `JOB-${randomUUID().slice(0, 8)}`;
    expectData(await gql('mutation($i: SponsorBankAccountInput!) { configureSponsorBankAccount(input: $i) { accountNumber } }',
      { i: { programmeMnemonic: `JOBS-${account}`, bankCode: 'EXAMPLE', accountNumber: account, currency: 'GMD' } }, await admin()));
    const balance = { mark: 'C' as const, date: '2026-12-01', currency: 'GMD', amountMinor: 100_000n };
    const statement = writeMt940({ reference: account, account, statementNumber: '00001', sequenceNumber: '001', opening: balance, closing: balance, entries: [] });
    expectData(await gql('mutation($s: String!) { uploadBankStatement(statement: $s) { statements { outcome } } }', { s: statement }, await manager()));
    const [latest] = expectData(await gql('{ jobs(kind: RECONCILE_STATEMENTS, limit: 1) { items { status unit done total phase } } }', {}, await manager())).jobs.items;
    expect(latest).to.deep.equal({ status: 'DONE', unit: 'characters', done: statement.length, total: statement.length, phase: 'reconciled' });
  });

  it('is for programme managers and admins: job(id) and jobs', async () => {
    const tracker = testApp().container.get(JobProgressService).begin({ kind: JobKind.APPROVE_CYCLE, label: 'roles', unit: 'payments', phase: 'generating payments', total: 1 });
    await tracker.finish({ done: 1 });
    expect((await job(tracker.id, await admin())).id).to.equal(tracker.id);
    for (const token of [await accountant(), await tokenFor(Role.PSP)]) {
      expectCode(await gql(JOB, { id: tracker.id }, token), 'FORBIDDEN');
      expectCode(await gql('{ jobs { totalCount } }', {}, token), 'FORBIDDEN');
    }
    expectCode(await gql(JOB, { id: tracker.id }), 'UNAUTHENTICATED');
    expectCode(await gql(JOB, { id: randomUUID() }, await manager()), 'NOT_FOUND');
    expectCode(await gql(JOB, { id: 'not-a-uuid' }, await manager()), 'NOT_FOUND');
  });
});
