import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { FamilyService } from '../../src/registry/family.service.js';
import { PolicyService } from '../../src/registry/policy.service.js';
import { ProductService } from '../../src/registry/product.service.js';
import type { QmoneySimulator } from '../../src/simulators/qmoney/qmoney.simulator.js';
import { testApp } from '../hooks.js';
import { expectData, gql } from '../helpers/graphql.js';
import { createExternalPsp, createQmoneyPsp, sql, startQmoney } from '../helpers/openimis.js';
import { Role, tokenFor } from '../helpers/users.js';

const PAY = `mutation($input: ProcessPaymentMutationInput!) { processPayment(input: $input) { Success responseMessage detail transactionUuid } }`;
const INITIATE = `mutation($input: InitiateTransactionMutationInput!) { initiateTransaction(input: $input) { uuids Success responseMessage detail } }`;
const PROCESS = `mutation($input: ProcessTransactionMutationInput!) { processTransaction(input: $input) { Success responseMessage detail } }`;

interface Insured {
  chfId: string;
  insureeUuid: string;
  wallet: string;
  policyUuid: string;
  productName: string;
  productCode: string;
}

/** An idle policy of a new family on a new product of `lumpSum`; its value is the lump sum unless `value` is given. */
async function insured(lumpSum: string, value?: string): Promise<Insured> {
  const { container } = testApp();
  const em = container.orm.em.fork();
  const suffix = randomUUID().slice(0, 8);
  const product = await container.get(ProductService).create(em, { code: `D${suffix}`, name: `Due ${suffix}`, lumpSum, currency: 'GMD' });
  const wallet = String(randomInt(7_000_000, 7_999_999));
  const chfId = String(randomInt(100_000_000, 999_999_999));
  const family = await container.get(FamilyService).create(em, { head: { chfId, lastName: `Due${suffix}`, otherNames: 'Awa', insureeWallet: wallet } as any });
  const policy = await container.get(PolicyService).create(em, { familyUuid: family.uuid, productCode: product.code, startDate: '2099-01-01', ...(value ? { value } : {}) });
  return { chfId, insureeUuid: family.head!.uuid, wallet, policyUuid: policy.uuid, productName: product.name, productCode: product.code };
}

/** Everything a payment leaves on its policy that says what was paid, without ids, times and the path's own fields. */
async function rowsOf(policy: Insured) {
  const transactions = await sql(
    `select amount::text, currency, state, insuree_uuid = ? as by_the_insuree, psp_transaction_id is not null as has_psp_reference from payment_transactions where policy_uuid = ?`,
    [policy.insureeUuid, policy.policyUuid],
  );
  const premiums = await sql(
    `select pr.amount::text, pr.pay_type, to_char(pr.pay_date, 'YYYY-MM-DD') as pay_date, t.policy_uuid = pr.policy_uuid as of_its_transaction
       from premiums pr left join payment_transactions t on t.uuid = pr.payment_transaction_uuid where pr.policy_uuid = ?`,
    [policy.policyUuid],
  );
  const [state] = await sql(`select status, value::text, to_char(effective_date, 'YYYY-MM-DD') as effective_date from policies where uuid = ?`, [policy.policyUuid]);
  return { transactions, premiums, policy: state };
}

describe('the amount due for a policy: processPayment (product lump sum) and OTP collections (policy value)', () => {
  let sim: QmoneySimulator;
  let externalPsp: { token: string };
  let qmoneyPsp: string;
  let accountant: string;

  before(async () => {
    sim = await startQmoney();
    const admin = await tokenFor(Role.ADMIN);
    accountant = await tokenFor(Role.ACCOUNTANT);
    externalPsp = await createExternalPsp(admin);
    qmoneyPsp = await createQmoneyPsp(sim, admin);
  });
  after(() => sim.stop());

  function pay(policy: Insured, amount: string) {
    const input = { chfId: policy.chfId, amount, pspTransactionId: `due-${randomUUID()}`, policy: { productName: policy.productName, productCode: policy.productCode, token: policy.policyUuid } };
    return gql(PAY, { input }, externalPsp.token).then((r) => expectData(r).processPayment);
  }

  async function initiate(policy: Insured, amount: string) {
    sim.setBalance(policy.wallet, '1000.00');
    const input = { amount: Number(amount), paymentServiceProviderUuid: qmoneyPsp, insureeUuid: policy.insureeUuid, policyUuid: policy.policyUuid };
    return expectData(await gql(INITIATE, { input }, accountant)).initiateTransaction;
  }

  async function collect(policy: Insured, amount: string) {
    const initiated = await initiate(policy, amount);
    expect(initiated, JSON.stringify(initiated)).to.include({ Success: true });
    const processed = expectData(await gql(PROCESS, { input: { uuid: initiated.uuids, otp: sim.lastOtp(policy.wallet)! } }, accountant)).processTransaction;
    expect(processed, JSON.stringify(processed)).to.include({ Success: true });
  }

  it('for a policy priced at its product, both paths take the same amount and write the same rows', async () => {
    const [byPsp, byOtp] = [await insured('75.50'), await insured('75.50')];
    expect(await pay(byPsp, '75.50')).to.include({ Success: true });
    await collect(byOtp, '75.50');
    const [psp, otp] = [await rowsOf(byPsp), await rowsOf(byOtp)];
    expect(psp).to.deep.equal(otp);
    // And what they are: one PAID transaction, one premium M of the amount, the policy ACTIVE from its start date.
    expect(psp.transactions).to.deep.equal([{ amount: '75.50', currency: 'GMD', state: 'PAID', by_the_insuree: true, has_psp_reference: true }]);
    expect(psp.premiums).to.have.length(1);
    expect(psp.premiums[0]).to.include({ amount: '75.50', pay_type: 'M', of_its_transaction: true });
    expect(psp.policy).to.deep.equal({ status: 2, value: '75.50', effective_date: '2099-01-01' });
  });

  it('for a policy of another value, processPayment asks the lump sum (as verifyInsuree shows) and an OTP collection the value', async () => {
    const byPsp = await insured('80.00', '60.00');
    const verified = expectData(await gql(`query($c: String!) { verifyInsuree(chfId: $c) { policies { amount token } } }`, { c: byPsp.chfId }, externalPsp.token)).verifyInsuree;
    expect(verified.policies).to.deep.equal([{ amount: 80, token: byPsp.policyUuid }]);
    expect(await pay(byPsp, '60.00')).to.include({ Success: false, responseMessage: 'Amount is too small. It needs to be the exact amount of the product.', detail: 'expected 80.00' });
    expect(await pay(byPsp, '80.00')).to.include({ Success: true });

    const byOtp = await insured('80.00', '60.00');
    expect(await initiate(byOtp, '80.00')).to.include({ Success: false, detail: 'The amount must be exactly the policy value 60.00' });
    await collect(byOtp, '60.00');
    expect((await rowsOf(byOtp)).policy).to.deep.include({ status: 2 });
  });
});
