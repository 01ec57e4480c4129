import { expect } from 'chai';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { accountant, createFamily, createPolicy, createProduct, newChfId, POLICY_FIELDS } from '../helpers/registry.js';
import { expiryDate, today } from '../../src/registry/dates.js';

const CREATE = `mutation($i: CreatePolicyInput!) { createPolicy(input: $i) { ${POLICY_FIELDS} } }`;
const UPDATE = `mutation($i: UpdatePolicyInput!) { updatePolicy(input: $i) { ${POLICY_FIELDS} } }`;
const LIST = 'query($c: String, $f: ID, $s: PolicyStatus, $p: String, $l: Int, $o: Int) { policies(chfId: $c, familyUuid: $f, status: $s, productCode: $p, limit: $l, offset: $o) { totalCount items { uuid status } } }';

describe('registry: policies', () => {
  it('creates an IDLE policy valued at the lump sum, starting today and expiring a period later minus a day', async () => {
    const product = await createProduct({ lumpSum: '10000.10' });
    const family = await createFamily();
    const policy = await createPolicy(family.uuid, product.code);
    expect(policy).to.deep.include({
      status: 'IDLE', value: '10000.10', enrollDate: today(), startDate: today(), effectiveDate: null,
      expiryDate: expiryDate(today(), 12), family: { uuid: family.uuid },
    });
    expect(policy.product).to.deep.equal({ code: product.code, lumpSum: '10000.10', currency: 'GMD' });
    const found = expectData(await gql(`query($u: ID!) { policy(uuid: $u) { ${POLICY_FIELDS} } }`, { u: policy.uuid }, await accountant())).policy;
    expect(found).to.deep.equal(policy);
    expectCode(await gql('query($u: ID!) { policy(uuid: $u) { uuid } }', { u: '00000000-0000-4000-8000-000000000000' }, await accountant()), 'NOT_FOUND');
  });

  it('takes an explicit value and start date; the expiry clamps to the month end', async () => {
    const product = await createProduct({ insurancePeriodMonths: 1 });
    const family = await createFamily();
    const policy = await createPolicy(family.uuid, product.code, { value: '750.5', startDate: '2028-01-31', enrollDate: '2028-01-15' });
    expect(policy).to.include({ value: '750.50', startDate: '2028-01-31', enrollDate: '2028-01-15', expiryDate: '2028-02-28' });
    expect(expiryDate('2026-03-01', 12)).to.equal('2027-02-28');
    expect(expiryDate('2027-12-15', 12)).to.equal('2028-12-14');
  });

  it('refuses unknown families and products (NOT_FOUND) and bad values and dates (BAD_USER_INPUT)', async () => {
    const token = await accountant();
    const product = await createProduct();
    const family = await createFamily();
    expectCode(await gql(CREATE, { i: { familyUuid: '00000000-0000-4000-8000-000000000000', productCode: product.code } }, token), 'NOT_FOUND');
    expectCode(await gql(CREATE, { i: { familyUuid: family.uuid, productCode: 'NO-SUCH-PRODUCT' } }, token), 'NOT_FOUND');
    for (const extra of [{ value: '1.005' }, { value: '0' }, { startDate: '2026-02-30' }, { startDate: '31/01/2026' }, { enrollDate: '2026-13-01' }]) {
      expectCode(await gql(CREATE, { i: { familyUuid: family.uuid, productCode: product.code, ...extra } }, token), 'BAD_USER_INPUT');
    }
  });

  it('validates status transitions: activation sets the effective date, EXPIRED is final', async () => {
    const token = await accountant();
    const product = await createProduct();
    const family = await createFamily();
    const future = await createPolicy(family.uuid, product.code, { startDate: '2099-01-01' });
    const active = expectData(await gql(UPDATE, { i: { uuid: future.uuid, status: 'ACTIVE' } }, token)).updatePolicy;
    expect(active).to.include({ status: 'ACTIVE', effectiveDate: '2099-01-01' });
    const refused = expectCode(await gql(UPDATE, { i: { uuid: future.uuid, status: 'IDLE' } }, token), 'CONFLICT');
    expect(refused.message).to.equal('Cannot change a policy from ACTIVE to IDLE');
    expect(expectData(await gql(UPDATE, { i: { uuid: future.uuid, status: 'SUSPENDED' } }, token)).updatePolicy.status).to.equal('SUSPENDED');
    expect(expectData(await gql(UPDATE, { i: { uuid: future.uuid, status: 'EXPIRED' } }, token)).updatePolicy.status).to.equal('EXPIRED');
    expectCode(await gql(UPDATE, { i: { uuid: future.uuid, status: 'ACTIVE' } }, token), 'CONFLICT');

    const dated = await createPolicy(family.uuid, product.code, { startDate: '2026-01-01' });
    const activated = expectData(await gql(UPDATE, { i: { uuid: dated.uuid, status: 'ACTIVE', effectiveDate: '2026-03-05' } }, token)).updatePolicy;
    expect(activated.effectiveDate).to.equal('2026-03-05');
    const ready = await createPolicy(family.uuid, product.code);
    expect(expectData(await gql(UPDATE, { i: { uuid: ready.uuid, status: 'READY', value: '99.99' } }, token)).updatePolicy).to.include({ status: 'READY', value: '99.99' });
    expectCode(await gql(UPDATE, { i: { uuid: ready.uuid, expiryDate: '2000-01-01' } }, token), 'BAD_USER_INPUT');
    expectCode(await gql(UPDATE, { i: { uuid: ready.uuid, status: 'BOGUS' } }, token), 'BAD_USER_INPUT');
    expectCode(await gql(UPDATE, { i: { uuid: '00000000-0000-4000-8000-000000000000', status: 'ACTIVE' } }, token), 'NOT_FOUND');
  });

  it('lists by the chfId of any family member, family, status and product, with pagination', async () => {
    const token = await accountant();
    const [fam01, ind01] = [await createProduct(), await createProduct()];
    const family = await createFamily();
    const memberChfId = newChfId();
    expectData(await gql('mutation($i: CreateInsureeInput!) { createInsuree(input: $i) { uuid } }', { i: { familyUuid: family.uuid, chfId: memberChfId, lastName: 'Darboe', otherNames: 'Kebba' } }, token));
    const idle = await createPolicy(family.uuid, fam01.code);
    const other = await createPolicy(family.uuid, ind01.code);
    expectData(await gql(UPDATE, { i: { uuid: other.uuid, status: 'ACTIVE' } }, token));
    await createPolicy((await createFamily()).uuid, fam01.code);

    const byMember = expectData(await gql(LIST, { c: memberChfId }, token)).policies;
    expect(byMember.totalCount).to.equal(2);
    const idleOfMember = expectData(await gql(LIST, { c: memberChfId, s: 'IDLE' }, token)).policies;
    expect(idleOfMember).to.deep.equal({ totalCount: 1, items: [{ uuid: idle.uuid, status: 'IDLE' }] });
    expect(expectData(await gql(LIST, { f: family.uuid, p: ind01.code }, token)).policies.items).to.deep.equal([{ uuid: other.uuid, status: 'ACTIVE' }]);
    expect(expectData(await gql(LIST, { p: fam01.code, l: 1, o: 1 }, token)).policies).to.deep.include({ totalCount: 2 });
    expect(expectData(await gql(LIST, { c: 'NO-SUCH-CHF' }, token)).policies.totalCount).to.equal(0);
    const otherFamily = await createFamily();
    expect(expectData(await gql(LIST, { c: memberChfId, f: otherFamily.uuid }, token)).policies.totalCount).to.equal(0);
  });
});
