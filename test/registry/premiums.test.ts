import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { testApp } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { accountant, admin, createFamily, createPolicy, createProduct, PREMIUM_FIELDS } from '../helpers/registry.js';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { DomainError } from '../../src/common/domain-error.js';
import { PayType } from '../../src/registry/pay-type.js';
import { PolicyStatus } from '../../src/registry/policy-status.js';
import { Policy } from '../../src/registry/policy.entity.js';
import { PolicyService } from '../../src/registry/policy.service.js';
import { Premium } from '../../src/registry/premium.entity.js';
import { PremiumService } from '../../src/registry/premium.service.js';

const CREATE = `mutation($i: RecordPremiumInput!) { createPremium: recordPremium(input: $i) { ${PREMIUM_FIELDS} } }`;
const LIST = 'query($p: ID, $c: String, $l: Int, $o: Int) { premiums(policyUuid: $p, chfId: $c, limit: $l, offset: $o) { totalCount items { amount payDate } } }';

async function idlePolicy(lumpSum = '1500.00', extra: Record<string, unknown> = {}) {
  const product = await createProduct({ lumpSum });
  const family = await createFamily();
  return { family, policy: await createPolicy(family.uuid, product.code, extra) };
}

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('registry: premiums', () => {
  it('records exact premiums and activates the policy once they cover its value', async () => {
    const token = await accountant();
    const { policy } = await idlePolicy('10000.10', { startDate: '2026-01-01' });
    const first = expectData(await gql(CREATE, { i: { policyUuid: policy.uuid, amount: '4000.05', payDate: '2026-02-03', payType: 'C', receipt: 'R-1' } }, token)).createPremium;
    expect(first).to.deep.include({ amount: '4000.05', payDate: '2026-02-03', payType: 'C', receipt: 'R-1', paymentTransactionUuid: null });
    expect(first.policy).to.deep.equal({ uuid: policy.uuid, status: 'IDLE', effectiveDate: null });
    const me = expectData(await gql('{ me { id } }', {}, token)).me;
    expect(first.createdBy).to.equal(me.id);

    const second = expectData(await gql(CREATE, { i: { policyUuid: policy.uuid, amount: '6000.05', payDate: '2026-02-10', payType: 'M' } }, token)).createPremium;
    expect(second.policy).to.deep.equal({ uuid: policy.uuid, status: 'ACTIVE', effectiveDate: '2026-02-10' });
    const list = expectData(await gql(LIST, { p: policy.uuid }, token)).premiums;
    expect(list).to.deep.equal({ totalCount: 2, items: [{ amount: '6000.05', payDate: '2026-02-10' }, { amount: '4000.05', payDate: '2026-02-03' }] });

    const em = testApp().container.orm.em.fork();
    const events = await em.find(AuditEvent, { action: { $in: ['premium.created', 'policy.activated'] }, entityId: { $in: [first.uuid, second.uuid, policy.uuid] } });
    expect(events.map((e) => e.action).sort()).to.deep.equal(['policy.activated', 'premium.created', 'premium.created']);
  });

  it('lists premiums by the chfId of the family, with pagination', async () => {
    const token = await accountant();
    const { family, policy } = await idlePolicy('300.00');
    for (const payDate of ['2026-01-01', '2026-01-02', '2026-01-03']) {
      expectData(await gql(CREATE, { i: { policyUuid: policy.uuid, amount: '50', payDate, payType: 'B' } }, token));
    }
    const page = expectData(await gql(LIST, { c: family.head.chfId, l: 2, o: 0 }, token)).premiums;
    expect(page.totalCount).to.equal(3);
    expect(page.items).to.deep.equal([{ amount: '50.00', payDate: '2026-01-03' }, { amount: '50.00', payDate: '2026-01-02' }]);
    expect(expectData(await gql(LIST, { c: 'NO-SUCH-CHF' }, token)).premiums.totalCount).to.equal(0);
  });

  it('refuses bad amounts, dates and pay types, unknown and expired policies', async () => {
    const token = await accountant();
    const { policy } = await idlePolicy();
    const base = { policyUuid: policy.uuid, amount: '10.00', payDate: '2026-01-01', payType: 'C' };
    for (const extra of [{ amount: '1.005' }, { amount: '0' }, { amount: '-1' }, { amount: '' }, { payDate: '2026-02-30' }, { payType: 'X' }, { receipt: 'x'.repeat(51) }]) {
      expectCode(await gql(CREATE, { i: { ...base, ...extra } }, token), 'BAD_USER_INPUT');
    }
    expectCode(await gql(CREATE, { i: { ...base, policyUuid: '00000000-0000-4000-8000-000000000000' } }, token), 'NOT_FOUND');
    expectData(await gql('mutation($i: UpdatePolicyInput!) { updatePolicy(input: $i) { status } }', { i: { uuid: policy.uuid, status: 'EXPIRED' } }, await admin()));
    expectCode(await gql(CREATE, { i: base }, token), 'CONFLICT');
    expect(expectData(await gql(LIST, { p: policy.uuid }, token)).premiums.totalCount).to.equal(0);
  });

  it('records one premium per payment transaction, even under concurrency (service API)', async () => {
    const { container } = testApp();
    const premiums = container.get(PremiumService);
    const { policy } = await idlePolicy('100.00');
    const paymentTransactionUuid = randomUUID();
    const data = { policy: policy.uuid, amount: '100.00', payDate: '2026-05-01', payType: PayType.M, paymentTransactionUuid };
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => premiums.create(container.orm.em.fork(), data)));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    for (const lost of results.filter((r) => r.status === 'rejected')) {
      expect((lost as PromiseRejectedResult).reason).to.be.instanceOf(DomainError).with.property('code', 'CONFLICT');
    }
    const em = container.orm.em.fork();
    expect(await em.count(Premium, { paymentTransactionUuid })).to.equal(1);
    expect(await em.count(AuditEvent, { action: 'policy.activated', entityId: policy.uuid })).to.equal(1);
    expect((await refusal(premiums.create(em, data))).code).to.equal('CONFLICT');
  });

  it('activates inside the caller\'s transaction: effective from the later of payment and start, idempotent', async () => {
    const { container } = testApp();
    const policies = container.get(PolicyService);
    const { policy: early } = await idlePolicy('100.00', { startDate: '2026-01-01' });
    const { policy: late } = await idlePolicy('100.00', { startDate: '2030-06-01' });
    await container.orm.em.fork().transactional(async (tx) => {
      await policies.activate(tx, await tx.findOneOrFail(Policy, { uuid: early.uuid }), '2026-03-04');
      const latePolicy = await tx.findOneOrFail(Policy, { uuid: late.uuid });
      await policies.activate(tx, latePolicy, '2026-03-04');
      await policies.activate(tx, latePolicy, '2026-04-04');
    });
    const em = container.orm.em.fork();
    expect(await em.findOneOrFail(Policy, { uuid: early.uuid })).to.include({ status: PolicyStatus.ACTIVE, effectiveDate: '2026-03-04' });
    const activatedLate = await em.findOneOrFail(Policy, { uuid: late.uuid });
    expect(activatedLate).to.include({ status: PolicyStatus.ACTIVE, effectiveDate: '2030-06-01' });
    activatedLate.status = PolicyStatus.SUSPENDED;
    await em.flush();
    expect((await refusal(policies.activate(em, activatedLate, '2026-03-04'))).code).to.equal('CONFLICT');
  });

  it('rolls back with the caller: a premium written in a failed transaction leaves nothing', async () => {
    const { container } = testApp();
    const { policy } = await idlePolicy('100.00');
    const failed = container.orm.em.fork().transactional(async (tx) => {
      await container.get(PremiumService).create(tx, { policy: policy.uuid, amount: '100', payDate: '2026-01-01', payType: PayType.M });
      throw new Error('the collection failed after recording the premium');
    });
    await failed.then(() => expect.fail('should have thrown'), (error: Error) => expect(error.message).to.match(/collection failed/));
    const em = container.orm.em.fork();
    expect(await em.count(Premium, { policy: policy.uuid })).to.equal(0);
    expect((await em.findOneOrFail(Policy, { uuid: policy.uuid })).status).to.equal(PolicyStatus.IDLE);
  });
});
