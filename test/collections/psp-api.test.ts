import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { createExternalPsp, createInsuredFamily, sql, type InsuredFamily } from '../helpers/openimis.js';
import { createUser, login, PASSWORD, Role, tokenFor } from '../helpers/users.js';

/** The seed-004 documents, with `input:` and a selection set for processPayment as the real module expects. */
function seedVerify(chfId: string): string {
  return `query{
  verifyInsuree(chfId:"${chfId}"){
 
      lastName
      firstName
      message
      policies{
        amount
        status
        productName
        productCode
        token
        
      }
  }
}`;
}

function seedPay(p: { chfId: string; amount: string; ref: string; productName: string; productCode: string; token: string }): string {
  return `mutation{
   processPayment(input:{
    chfId:"${p.chfId}",
    amount:"${p.amount}"
    pspTransactionId:"${p.ref}"
    policy:{
      productName:"${p.productName}"
      productCode:"${p.productCode}"
      token:"${p.token}"  
    },
    jsonExt:"{\\" enter here\\": \\" enter here\\"}"
    }) { Success responseMessage detail }
  }`;
}

const PSP_TOO_SMALL = 'Amount is too small. It needs to be the exact amount of the product.';

const LINK_PREMIUM = 'mutation($i: CreatePremiumMutationInput!) { createPremium(input: $i) { Success uuid errorCode detail } }';

const PAY = `mutation($input: ProcessPaymentMutationInput!) { processPayment(input: $input) { Success responseMessage detail errorCode transactionUuid clientMutationId } }`;

describe('external PSP API (verifyInsuree / processPayment)', () => {
  let admin: string;
  let psp: { token: string; pspUuid: string; username: string };

  before(async () => {
    admin = await tokenFor(Role.ADMIN);
    psp = await createExternalPsp(admin);
  });

  function payInput(insured: InsuredFamily, ref = `ref-${randomUUID()}`, extra: Record<string, unknown> = {}) {
    return { chfId: insured.chfId, amount: insured.lumpSum, pspTransactionId: ref, policy: { productName: insured.productName, productCode: insured.productCode, token: insured.policyUuid }, ...extra };
  }

  async function pay(input: Record<string, unknown>, token = psp.token) {
    return expectData(await gql(PAY, { input }, token)).processPayment;
  }

  it('runs the seed-004 tokenAuth, verifyInsuree and processPayment documents unchanged @smoke', async () => {
    const insured = await createInsuredFamily({ lumpSum: '100.00' });
    const tokens = expectData(await gql(`mutation {
  tokenAuth(username: "${psp.username}", password: "${PASSWORD}"){
    refreshToken
    token
  }
}`)).tokenAuth;
    const verified = expectData(await gql(seedVerify(insured.chfId), undefined, tokens.token)).verifyInsuree;
    expect(verified).to.deep.equal({
      lastName: verified.lastName, firstName: 'Fatou', message: '1 for idle policy',
      policies: [{ amount: 100, status: 1, productName: insured.productName, productCode: insured.productCode, token: insured.policyUuid }],
    });
    const ref = `txt_${randomUUID().slice(0, 8)}`;
    const paid = expectData(await gql(seedPay({ chfId: insured.chfId, amount: '100', ref, productName: insured.productName, productCode: insured.productCode, token: insured.policyUuid }), undefined, tokens.token)).processPayment;
    expect(paid).to.deep.equal({ Success: true, responseMessage: 'Payment processed successfully', detail: null });

    const [tx] = await sql('select uuid, amount, state, insuree_uuid, json_content from payment_transactions where psp_uuid = ? and psp_transaction_id = ?', [psp.pspUuid, ref]);
    expect(tx).to.deep.include({ amount: '100.00', state: 'PAID', insuree_uuid: insured.insureeUuid, json_content: '{" enter here": " enter here"}' });
    const [premium] = await sql('select amount, pay_type from premiums where payment_transaction_uuid = ?', [tx.uuid]);
    expect(premium).to.deep.equal({ amount: '100.00', pay_type: 'M' });
    const [policy] = await sql(`select status, effective_date is not null as effective from policies where uuid = ?`, [insured.policyUuid]);
    expect(policy).to.deep.equal({ status: 2, effective: true });
    const audit = await sql(`select action, result from audit_events where entity_id = ? and action = 'psp.paymentProcessed'`, [tx.uuid]);
    expect(audit).to.deep.equal([{ action: 'psp.paymentProcessed', result: 'SUCCESS' }]);

    const after = expectData(await gql(seedVerify(insured.chfId), undefined, tokens.token)).verifyInsuree;
    expect(after).to.deep.include({ message: 'insuree does not have any idle policy that requires payment,', policies: [] });
    expect(expectData(await gql(seedVerify('no-such-chf'), undefined, tokens.token)).verifyInsuree)
      .to.deep.equal({ lastName: null, firstName: null, message: 'chf_id does not exist', policies: null });
  });

  it('answers a resend with the same success and writes nothing; refuses the same id with another payload', async () => {
    const insured = await createInsuredFamily();
    const input = payInput(insured);
    const first = await pay(input);
    expect(first.Success).to.equal(true);
    const again = await pay(input);
    expect(again).to.deep.equal(first);
    expect(await sql('select uuid from payment_transactions where psp_uuid = ? and psp_transaction_id = ?', [psp.pspUuid, input.pspTransactionId])).to.have.length(1);
    expect(await sql('select uuid from premiums where policy_uuid = ?', [insured.policyUuid])).to.have.length(1);

    const other = await createInsuredFamily();
    const modified = await pay(payInput(other, input.pspTransactionId));
    expect(modified).to.deep.include({ Success: false, responseMessage: 'Process failed to work', errorCode: 'CONFLICT' });
    expect(modified.detail).to.include('already used');
    expect(await sql('select uuid from premiums where policy_uuid = ?', [other.policyUuid])).to.have.length(0);

    // Another PSP may use the same reference for its own payment.
    const otherPsp = await createExternalPsp(admin);
    expect((await pay(payInput(other, input.pspTransactionId), otherPsp.token)).Success).to.equal(true);
  });

  it('gives 30 concurrent duplicates exactly one transaction and one premium', async () => {
    const insured = await createInsuredFamily();
    const input = payInput(insured);
    const answers = await Promise.all(Array.from({ length: 30 }, () => pay(input)));
    for (const answer of answers) expect(answer, JSON.stringify(answer)).to.deep.include({ Success: true, responseMessage: 'Payment processed successfully' });
    expect(await sql('select uuid from payment_transactions where psp_uuid = ? and psp_transaction_id = ?', [psp.pspUuid, input.pspTransactionId])).to.have.length(1);
    expect(await sql('select uuid from premiums where policy_uuid = ?', [insured.policyUuid])).to.have.length(1);
  });

  it('refuses wrong insurees, policies, products and amounts with the openIMIS messages and writes nothing', async () => {
    const insured = await createInsuredFamily({ lumpSum: '250.00' });
    const before = (await sql('select count(*)::int as n from payment_transactions'))[0].n;
    const refuse = async (input: Record<string, unknown>, responseMessage: string, errorCode: string) => {
      const answer = await pay(input);
      expect(answer, JSON.stringify(answer)).to.deep.include({ Success: false, responseMessage, errorCode });
      return answer;
    };
    await refuse(payInput(insured, undefined, { chfId: 'unknown-chf' }), 'Please pass in the correct CH ID.', 'NOT_FOUND');
    await refuse(payInput(insured, undefined, { policy: { productName: insured.productName, productCode: insured.productCode, token: randomUUID() } }), 'Unable to process payment. insuree does not have any idle policy that requires payment.', 'NOT_FOUND');
    await refuse(payInput(insured, undefined, { policy: { productName: insured.productName, productCode: insured.productCode, token: 'not-a-uuid' } }), 'Unable to process payment. insuree does not have any idle policy that requires payment.', 'BAD_USER_INPUT');
    const wrongProduct = await refuse(payInput(insured, undefined, { policy: { productName: 'Other', productCode: insured.productCode, token: insured.policyUuid } }), 'Process failed to work', 'BAD_USER_INPUT');
    expect(wrongProduct.detail).to.include(insured.productName);
    await refuse(payInput(insured, undefined, { policy: { productName: insured.productName, productCode: 'WRONG', token: insured.policyUuid } }), 'Process failed to work', 'BAD_USER_INPUT');
    await refuse(payInput(insured, undefined, { amount: '249.99' }), 'Amount is too small. It needs to be the exact amount of the product.', 'BAD_USER_INPUT');
    await refuse(payInput(insured, undefined, { amount: '250.01' }), 'Amount is too large. pls enter the exact amount the product cost.', 'BAD_USER_INPUT');
    await refuse(payInput(insured, undefined, { amount: '250.001' }), 'Process failed to work', 'BAD_USER_INPUT');
    await refuse(payInput(insured, undefined, { amount: '-250' }), 'Amount is too small. It needs to be the exact amount of the product.', 'BAD_USER_INPUT');
    expectCode(await gql(PAY, { input: payInput(insured, undefined, { amount: '1e3' }) }, psp.token), 'BAD_USER_INPUT');
    expect((await sql('select count(*)::int as n from payment_transactions'))[0].n).to.equal(before);

    // The exact amount in another spelling is the same amount.
    expect((await pay(payInput(insured, undefined, { amount: '250' }))).Success).to.equal(true);
    await refuse(payInput(insured), 'Please check again if your policy you are trying to pay for is idle  or active.', 'CONFLICT');
  });

  it("reads the amount in the policy's product currency: a KWD third decimal is paid, XOF is stored without decimals", async () => {
    const stored = async (ref: string) => {
      const [tx] = await sql('select uuid, amount::text as amount, currency from payment_transactions where psp_uuid = ? and psp_transaction_id = ?', [psp.pspUuid, ref]);
      const [premium] = await sql('select amount::text as amount from premiums where payment_transaction_uuid = ?', [tx.uuid]);
      return { amount: tx.amount, currency: tx.currency, premium: premium.amount };
    };
    const kwd = await createInsuredFamily({ lumpSum: '3.125', currency: 'KWD' });
    expect(await pay(payInput(kwd, undefined, { amount: '3.1251' }))).to.deep.include({ Success: false, errorCode: 'BAD_USER_INPUT', detail: 'amount has more decimals than any currency allows (3)' });
    expect(await pay(payInput(kwd, undefined, { amount: '3.124' }))).to.deep.include({ Success: false, responseMessage: PSP_TOO_SMALL, detail: 'expected 3.125' });
    const kwdRef = `ref-${randomUUID()}`;
    expect((await pay(payInput(kwd, kwdRef))).Success).to.equal(true);
    expect(await stored(kwdRef)).to.deep.equal({ amount: '3.125', currency: 'KWD', premium: '3.125' });
    // The openIMIS contribution step links to that premium, reading its amount in KWD too.
    const [{ uuid: kwdTx }] = await sql('select uuid from payment_transactions where psp_transaction_id = ?', [kwdRef]);
    const link = async (amount: string) =>
      expectData(await gql(LINK_PREMIUM, { i: { policyUuid: kwd.policyUuid, amount, payDate: '2026-12-06', payType: 'M', paymentTransactionUuid: kwdTx } }, admin)).createPremium;
    const [{ uuid: kwdPremium }] = await sql('select uuid from premiums where payment_transaction_uuid = ?', [kwdTx]);
    expect(await link('3.1250')).to.deep.include({ Success: true, uuid: kwdPremium });
    expect(await link('3.12')).to.deep.include({ Success: false, errorCode: 'BAD_USER_INPUT' });
    expect(await link('3.1251')).to.deep.include({ Success: false, errorCode: 'BAD_USER_INPUT', detail: 'amount has more decimals than KWD allows (3)' });

    const xof = await createInsuredFamily({ lumpSum: '1500', currency: 'XOF' });
    expect(await pay(payInput(xof, undefined, { amount: '1500.5' }))).to.deep.include({ Success: false, errorCode: 'BAD_USER_INPUT', detail: 'amount has more decimals than XOF allows (0)' });
    expect(await pay(payInput(xof, undefined, { amount: '1499' }))).to.deep.include({ Success: false, responseMessage: PSP_TOO_SMALL, detail: 'expected 1500' });
    const xofRef = `ref-${randomUUID()}`;
    const paid = await pay(payInput(xof, xofRef, { amount: '1500.00' }));
    expect(paid.Success).to.equal(true);
    expect(await stored(xofRef), 'at the currency\'s scale, not as the PSP wrote it').to.deep.equal({ amount: '1500', currency: 'XOF', premium: '1500' });
    // The same payment in another spelling is a resend, not a modified request.
    expect(await pay(payInput(xof, xofRef, { amount: '1500' }))).to.deep.include({ Success: true, transactionUuid: paid.transactionUuid });
  });

  it('serves only users linked to an active external PSP; PSP users cannot reach accountant or admin operations', async () => {
    const insured = await createInsuredFamily();
    const accountant = await tokenFor(Role.ACCOUNTANT);
    const unlinked = await tokenFor(Role.PSP);
    for (const token of [accountant, unlinked]) {
      const error = expectCode(await gql(seedVerify(insured.chfId), undefined, token), 'FORBIDDEN');
      expect(error.message).to.equal("['You are not authorized to perform this operation']");
      expect(await pay(payInput(insured), token)).to.deep.include({ Success: false, responseMessage: 'Process failed to work', detail: "['You are not authorized to perform this operation']" });
    }
    expectCode(await gql(seedVerify(insured.chfId)), 'UNAUTHENTICATED');

    // A deleted PSP's user is cut off at once.
    const gone = await createExternalPsp(admin);
    expectData(await gql(`mutation($i: DeletePaymentServiceProviderInput!) { deletePaymentServiceProvider(input: $i) { internalId } }`, { i: { uuid: gone.pspUuid } }, admin));
    expectCode(await gql(seedVerify(insured.chfId), undefined, gone.token), 'FORBIDDEN');
    expect(await sql('select uuid from premiums where policy_uuid = ?', [insured.policyUuid])).to.have.length(0);

    expectCode(await gql('{ users { totalCount } }', undefined, psp.token), 'FORBIDDEN');
    expectCode(await gql('{ paymentServiceProvider { totalCount } }', undefined, psp.token), 'FORBIDDEN');
    const user = await createUser([Role.PSP]);
    expect((await login(user.username)).token).to.be.a('string');
  });
});
