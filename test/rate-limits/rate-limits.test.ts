import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { App } from '../../src/app.js';
import { createExternalPsp, createInsuredFamily, sql } from '../helpers/openimis.js';
import { capturedLog, raw, startSecondApp, type RawResponse } from '../helpers/second-app.js';
import { Role, tokenFor } from '../helpers/users.js';

const VERIFY = 'query($c: String!) { verifyInsuree(chfId: $c) { message } }';
const PAY = 'mutation($i: ProcessPaymentMutationInput!) { processPayment(input: $i) { Success detail } }';
const INITIATE = 'mutation($i: InitiateTransactionMutationInput!) { initiateTransaction(input: $i) { Success errorCode detail } }';
const VERIFY_TOKEN = 'mutation($t: String) { verifyToken(token: $t) { payload } }';

/**
 * G11 on an app of its own with small limits (the shared test app's are far above any test): PSP
 * calls 3 in a burst and then 1 a minute, so no call in this file can get a refilled token by being
 * slow. The refill itself is tested with an injected clock (token-buckets.test.ts).
 */
describe('rate limits per principal and operation (G11) @smoke', () => {
  let app: App;
  let lines: string[];
  let admin: string;

  before(async () => {
    const captured = capturedLog('warn');
    lines = captured.lines;
    app = await startSecondApp({
      WORKERS_ENABLED: 'false',
      RATE_LIMIT_PSP_PER_MINUTE: '1',
      RATE_LIMIT_PSP_BURST: '3',
      RATE_LIMIT_OTP_PER_MINUTE: '1',
      RATE_LIMIT_OTP_BURST: '2',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1',
      RATE_LIMIT_ANONYMOUS_BURST: '3',
    }, captured.log);
    admin = await tokenFor(Role.ADMIN); // on the shared app: same database and JWT secret
  });
  after(async () => {
    await app?.close();
  });

  function post(query: string, variables: Record<string, unknown>, token?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return raw(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
  }

  const randomChf = () => String(100_000_000 + Math.floor(Math.random() * 900_000_000));
  const spoofed = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i}`, forwarded: `for=198.51.100.${i}`, 'x-real-ip': `198.51.100.${i}` });

  function expectLimited(response: RawResponse): number {
    expect(response.status, response.text).to.equal(429);
    const [error] = response.json.errors;
    expect(error.extensions.code, response.text).to.equal('RATE_LIMITED');
    const wait = error.extensions.retryAfterSeconds;
    expect(wait).to.be.a('number').within(1, 60); // one call a minute
    expect(response.headers.get('retry-after')).to.equal(String(wait));
    return wait;
  }

  it('refuses a PSP user past its limit with RATE_LIMITED and retryAfterSeconds; spoofed X-Forwarded-For does not reset it', async () => {
    const psp = await createExternalPsp(admin);
    for (let i = 0; i < 3; i++) {
      const response = await post(VERIFY, { c: randomChf() }, psp.token, spoofed(i));
      expect(response.status, response.text).to.equal(200);
      expect(response.json.data.verifyInsuree.message).to.be.a('string');
    }
    for (let i = 3; i < 6; i++) {
      const response = await post(VERIFY, { c: randomChf() }, psp.token, spoofed(i));
      expectLimited(response);
      expect(response.json.data).to.deep.equal({ verifyInsuree: null });
    }
    // processPayment is in the same class: the same bucket.
    expectLimited(await post(PAY, { i: { chfId: randomChf(), amount: '1', pspTransactionId: randomUUID(), policy: { productName: 'x', productCode: 'x', token: randomUUID() } } }, psp.token));
  });

  it('keys the limit by principal: another PSP user, and the same user\'s other operations, are unaffected', async () => {
    const first = await createExternalPsp(admin);
    for (let i = 0; i < 3; i++) await post(VERIFY, { c: randomChf() }, first.token);
    expectLimited(await post(VERIFY, { c: randomChf() }, first.token));

    const second = await createExternalPsp(admin);
    const response = await post(VERIFY, { c: randomChf() }, second.token);
    expect(response.status, response.text).to.equal(200);
    expect(response.json.errors).to.equal(undefined);
    const other = await post('{ me { username } }', {}, first.token);
    expect(other.json.data?.me?.username, other.text).to.equal(first.username);
  });

  it('counts every aliased root field of one document', async () => {
    const psp = await createExternalPsp(admin);
    for (let i = 0; i < 2; i++) await post(VERIFY, { c: randomChf() }, psp.token);
    // One call left: one alias is answered, the others refused. (One answered alias also keeps this
    // free of concurrent verifies, which collide on the embedded database's single session here.)
    const aliases = ['a', 'b', 'c', 'd'];
    const query = `query { ${aliases.map((alias) => `${alias}: verifyInsuree(chfId: "${randomChf()}") { message }`).join(' ')} }`;
    const response = await post(query, {}, psp.token);
    expect(response.status, 'partly answered: not a 429').to.equal(200);
    expect(response.json.data.a?.message, response.text).to.be.a('string');
    const refused = response.json.errors.map((e: { path: string[]; extensions: { code: string } }) => [e.path[0], e.extensions.code]);
    expect(refused).to.have.deep.members([['b', 'RATE_LIMITED'], ['c', 'RATE_LIMITED'], ['d', 'RATE_LIMITED']]);
    expect(aliases.slice(1).map((alias) => response.json.data[alias])).to.deep.equal([null, null, null]);
    expectLimited(await post(VERIFY, { c: randomChf() }, psp.token));
  });

  it('executes and writes nothing for a refused call: no payment, no premium, no audit event', async () => {
    const psp = await createExternalPsp(admin);
    for (let i = 0; i < 3; i++) await post(VERIFY, { c: randomChf() }, psp.token);
    const insured = await createInsuredFamily({ lumpSum: '100.00' });
    const ref = `limited-${randomUUID()}`;
    const requestId = `rate-limit-${randomUUID()}`;
    const input = { chfId: insured.chfId, amount: insured.lumpSum, pspTransactionId: ref, policy: { productName: insured.productName, productCode: insured.productCode, token: insured.policyUuid } };
    expectLimited(await post(PAY, { i: input }, psp.token, { 'x-request-id': requestId }));
    expect(await sql('select 1 from payment_transactions where psp_transaction_id = ?', [ref])).to.deep.equal([]);
    expect(await sql('select 1 from premiums where policy_uuid = ?', [insured.policyUuid])).to.deep.equal([]);
    expect(await sql('select 1 from audit_events where request_id = ?', [requestId])).to.deep.equal([]);
    expect((await sql('select status from policies where uuid = ?', [insured.policyUuid]))[0].status).to.equal(1); // still idle
  });

  it('leaves UNAUTHENTICATED and FORBIDDEN as they were: callers refused by authorization spend nothing', async () => {
    for (let i = 0; i < 6; i++) {
      const anonymous = await post(VERIFY, { c: randomChf() });
      expect(anonymous.json.errors[0].extensions.code, anonymous.text).to.equal('UNAUTHENTICATED');
      const badToken = await post(VERIFY, { c: randomChf() }, 'not-a-token');
      expect(badToken.json.errors[0].extensions.code, badToken.text).to.equal('UNAUTHENTICATED');
    }
    // initiateTransaction is for accountants; the otp class allows 2 calls in a burst.
    const input = { amount: 1, insureeUuid: randomUUID(), paymentServiceProviderUuid: randomUUID() };
    for (let i = 0; i < 4; i++) {
      const forbidden = await post(INITIATE, { i: input }, admin);
      expect(forbidden.json.data.initiateTransaction, forbidden.text).to.include({ Success: false, errorCode: 'FORBIDDEN' }); // openIMIS: in the payload
    }
  });

  it('limits the otp class per accountant', async () => {
    const accountant = await tokenFor(Role.ACCOUNTANT);
    const input = { amount: 1, insureeUuid: randomUUID(), paymentServiceProviderUuid: randomUUID() };
    for (let i = 0; i < 2; i++) {
      const refused = await post(INITIATE, { i: input }, accountant);
      expect(refused.json.data?.initiateTransaction?.errorCode, refused.text).to.equal('NOT_FOUND'); // unknown insuree: refused in the payload
    }
    // An openIMIS money mutation reports the limit in its payload too (HTTP 200, Retry-After still set).
    const limited = await post(INITIATE, { i: input }, accountant);
    expect(limited.status).to.equal(200);
    expect(limited.json.data.initiateTransaction, limited.text).to.include({ Success: false, errorCode: 'RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 60);
  });

  it('limits anonymous calls by the socket address, not by X-Forwarded-For; a signed-in caller has its own bucket', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await post(VERIFY_TOKEN, { t: 'not-a-token' }, undefined, spoofed(i));
      expect(response.json.errors[0].extensions.code, response.text).to.equal('UNAUTHENTICATED');
    }
    for (let i = 3; i < 6; i++) expectLimited(await post(VERIFY_TOKEN, { t: 'not-a-token' }, undefined, spoofed(i)));
    const signedIn = await post(VERIFY_TOKEN, { t: admin }, admin);
    expect(signedIn.json.data?.verifyToken?.payload, signedIn.text).to.be.an('object');
    const warnings = lines.map((line) => JSON.parse(line)).filter((entry) => entry.operationClass === 'anonymous');
    expect(warnings.map((entry) => entry.clientAddress), 'one line for this address').to.deep.equal(['127.0.0.1']);
  });

  it('logs one warn line per caller and minute, not one per refusal', async () => {
    const psp = await createExternalPsp(admin);
    for (let i = 0; i < 8; i++) await post(VERIFY, { c: randomChf() }, psp.token);
    const warnings = lines.map((line) => JSON.parse(line)).filter((entry) => entry.username === psp.username);
    expect(warnings, lines.join('\n')).to.have.length(1);
    expect(warnings[0]).to.deep.include({ level: 40, operationClass: 'psp', operation: 'verifyInsuree', limit: { perMinute: 1, burst: 3 } });
  });
});
