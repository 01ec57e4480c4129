import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { AuthService } from '../../src/auth/auth.service.js';
import { Container } from '../../src/container.js';
import type { Context } from '../../src/graphql/context.js';
import { FastPath } from '../../src/graphql/fast-path.js';
import { createFormatError } from '../../src/graphql/format-error.js';
import { createGraphql, graphqlRoutes, type Graphql } from '../../src/graphql/graphql.route.js';
import { KnownDocuments } from '../../src/graphql/known-documents.js';
import { buildHelaSchema } from '../../src/graphql/schema.js';
import type { HttpRequest, HttpResponse, Route } from '../../src/http/route.js';
import { createLogger } from '../../src/logger.js';
import { testApp, testConfig } from '../hooks.js';
import { createExternalPsp, createInsuredFamily, type InsuredFamily } from '../helpers/openimis.js';
import { Role, tokenFor } from '../helpers/users.js';

const VERIFY = 'query($c: String!) { verifyInsuree(chfId: $c) { firstName lastName message policies { amount status productName productCode token } } }';
const PAY = 'mutation($i: ProcessPaymentMutationInput!) { processPayment(input: $i) { Success responseMessage detail errorCode clientMutationId } }';
const log = createLogger('silent');

/** The GraphQL route twice on one schema: with the fast path, and Apollo alone (the route without one). */
interface Paths {
  graphql: Graphql;
  fast: Route;
  apollo: Route;
}

async function paths(overrides: Record<string, string> = {}): Promise<Paths> {
  const { container: app } = testApp();
  const config = testConfig(overrides);
  const graphql = await createGraphql(await buildHelaSchema(new Container(config, app.orm, log)), config, log);
  const post = (g: Graphql) => graphqlRoutes(g, app.orm, app.get(AuthService)).find((route) => route.method === 'POST')!;
  return { graphql, fast: post(graphql), apollo: post({ apollo: graphql.apollo }) };
}

function request(body: unknown, headers: Record<string, string> = {}): HttpRequest {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method: 'POST', path: '/graphql', params: {}, search: '', body: bytes, requestId: 'fast-path-test', log, remoteAddress: '127.0.0.1',
    headers: { host: '127.0.0.1', 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers },
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** What a client receives: status, headers and the exact body text. */
const received = ({ status, headers, body }: HttpResponse) => ({ status, headers, body });

/**
 * Sends the same request through both paths (`second` builds the Apollo one, where the first must not
 * be repeated, e.g. a payment) and expects byte-identical answers; the fast path must have taken it.
 */
async function expectSameAnswer(p: Paths, body: Record<string, unknown>, headers: Record<string, string>, second: Record<string, unknown> = body) {
  expect(p.graphql.fastPath!.match('POST', headers.accept, body), 'the fast path takes it').to.not.equal(undefined);
  const fast = received(await p.fast.handle(request(body, headers)));
  const apollo = received(await p.apollo.handle(request(second, headers)));
  expect(fast).to.deep.equal(apollo);
  expect(Object.keys(fast.headers!)).to.deep.equal(Object.keys(apollo.headers!));
  return fast;
}

function payInput(insured: InsuredFamily, extra: Record<string, unknown> = {}) {
  return { chfId: insured.chfId, amount: insured.lumpSum, pspTransactionId: `fp-${randomUUID()}`, policy: { productName: insured.productName, productCode: insured.productCode, token: insured.policyUuid }, ...extra };
}

for (const mode of ['test', 'production'] as const) {
  describe(`GraphQL fast path for the PSP API answers as Apollo does (NODE_ENV=${mode})`, () => {
    let p: Paths;
    let psp: { token: string };
    const env: Record<string, string> = mode === 'production' ? { NODE_ENV: 'production' } : {};

    before(async () => {
      p = await paths(env);
      psp = await createExternalPsp(await tokenFor(Role.ADMIN));
    });
    after(() => p.graphql.apollo.stop());

    it('verifyInsuree: an insuree with an idle policy, an unknown insuree, a document with literals and an operation name', async () => {
      const insured = await createInsuredFamily({ lumpSum: '100.00' });
      const found = await expectSameAnswer(p, { query: VERIFY, variables: { c: insured.chfId } }, bearer(psp.token));
      expect(JSON.parse(found.body as string).data.verifyInsuree.message).to.equal('1 for idle policy');
      const unknown = await expectSameAnswer(p, { query: VERIFY, variables: { c: 'NO-SUCH-ID' } }, bearer(psp.token));
      expect(JSON.parse(unknown.body as string).data.verifyInsuree.message).to.equal('chf_id does not exist');
      await expectSameAnswer(p, { query: `query Check { verifyInsuree(chfId: "${insured.chfId}") { message policies { token } } }`, operationName: 'Check' }, { ...bearer(psp.token), accept: '*/*' });
    });

    it('processPayment: a payment, its resend, the same id for another payment', async () => {
      const [one, two] = [await createInsuredFamily({ lumpSum: '100.00' }), await createInsuredFamily({ lumpSum: '100.00' })];
      const paid = await expectSameAnswer(p, { query: PAY, variables: { i: payInput(one) } }, bearer(psp.token), { query: PAY, variables: { i: payInput(two) } });
      expect(JSON.parse(paid.body as string).data.processPayment.Success).to.equal(true);
      const input = payInput(await createInsuredFamily({ lumpSum: '100.00' }), { clientMutationId: 'c-1' });
      await p.apollo.handle(request({ query: PAY, variables: { i: input } }, bearer(psp.token)));
      await expectSameAnswer(p, { query: PAY, variables: { i: input } }, bearer(psp.token));
      const reused = await expectSameAnswer(p, { query: PAY, variables: { i: { ...input, amount: '99' } } }, bearer(psp.token));
      expect(JSON.parse(reused.body as string).data.processPayment.errorCode).to.equal('CONFLICT');
    });

    it('refusals: no token, an invalid token, a non-PSP user', async () => {
      const insured = await createInsuredFamily();
      const missing = await expectSameAnswer(p, { query: VERIFY, variables: { c: insured.chfId } }, {});
      expect(JSON.parse(missing.body as string).errors[0].extensions.code).to.equal('UNAUTHENTICATED');
      await expectSameAnswer(p, { query: PAY, variables: { i: payInput(insured) } }, {});
      await expectSameAnswer(p, { query: VERIFY, variables: { c: insured.chfId } }, bearer('not.a.token'));
      await expectSameAnswer(p, { query: PAY, variables: { i: payInput(insured) } }, bearer('not.a.token'));
      const accountant = await tokenFor(Role.ACCOUNTANT);
      const forbidden = await expectSameAnswer(p, { query: VERIFY, variables: { c: insured.chfId } }, bearer(accountant));
      expect(JSON.parse(forbidden.body as string).errors[0].extensions.code).to.equal('FORBIDDEN');
      await expectSameAnswer(p, { query: PAY, variables: { i: payInput(insured) } }, bearer(accountant));
    });

    it('bad input: variables that do not coerce, a missing variable, checks of the service, a NUL, an overlong string', async () => {
      const insured = await createInsuredFamily();
      const coerced = await expectSameAnswer(p, { query: PAY, variables: { i: { ...payInput(insured), amount: 'ten', policy: { productNam: 'x', extra: 1 } } } }, bearer(psp.token));
      expect(coerced.status).to.equal(400);
      expect(JSON.parse(coerced.body as string).errors[0].extensions.code).to.equal('BAD_USER_INPUT');
      await expectSameAnswer(p, { query: VERIFY }, bearer(psp.token));
      await expectSameAnswer(p, { query: VERIFY, variables: { c: 42 } }, bearer(psp.token));
      const badInput = await expectSameAnswer(p, { query: PAY, variables: { i: payInput(insured, { pspTransactionId: 'x'.repeat(200), policy: { productName: 'a', productCode: 'b', token: 'not-a-uuid' } }) } }, bearer(psp.token));
      expect(JSON.parse(badInput.body as string).data.processPayment.errorCode).to.equal('BAD_USER_INPUT');
      await expectSameAnswer(p, { query: PAY, variables: { i: payInput(insured, { chfId: 'A\u0000' }) } }, bearer(psp.token));
      const overlong = await expectSameAnswer(p, { query: VERIFY, variables: { c: 'x'.repeat(70_000) } }, bearer(psp.token));
      expect(overlong.status).to.equal(400);
    });

    it('a mutation sent with the session cookie and no Origin is refused before it runs', async () => {
      const insured = await createInsuredFamily();
      const refused = await expectSameAnswer(p, { query: PAY, variables: { i: payInput(insured) } }, { cookie: `JWT=${psp.token}` });
      expect(refused.status).to.equal(403);
    });
  });
}

describe('GraphQL fast path under a rate limit', () => {
  let p: Paths;
  after(() => p?.graphql.apollo.stop());

  it('answers RATE_LIMITED with HTTP 429 and Retry-After as Apollo does', async () => {
    // One call a minute: the first takes the token, the next ones (well within the same second) wait 60 s.
    p = await paths({ RATE_LIMIT_PSP_PER_MINUTE: '1', RATE_LIMIT_PSP_BURST: '1' });
    const psp = await createExternalPsp(await tokenFor(Role.ADMIN));
    const insured = await createInsuredFamily();
    await p.fast.handle(request({ query: VERIFY, variables: { c: insured.chfId } }, bearer(psp.token)));
    const limited = await expectSameAnswer(p, { query: VERIFY, variables: { c: insured.chfId } }, bearer(psp.token));
    expect(limited.status).to.equal(429);
    expect(limited.headers).to.include({ 'retry-after': '60' });
    await expectSameAnswer(p, { query: PAY, variables: { i: payInput(insured) } }, bearer(psp.token));
  });
});

describe('GraphQL fast path: what it leaves to Apollo', () => {
  let p: Paths;
  before(async () => {
    p = await paths();
  });
  after(() => p.graphql.apollo.stop());

  it('takes only POSTed PSP documents that validate, with one operation and the content type Apollo would choose', () => {
    const match = (body: unknown, accept?: string, method = 'POST') => p.graphql.fastPath!.match(method, accept, body);
    expect(match({ query: VERIFY, variables: { c: '1' } })).to.not.equal(undefined);
    expect(match({ query: VERIFY, variables: { c: '1' } }, 'application/graphql-response+json')?.contentType).to.equal('application/graphql-response+json; charset=utf-8');
    expect(match({ query: VERIFY }, 'text/html')).to.equal(undefined); // Apollo answers 406
    expect(match({ query: VERIFY }, undefined, 'GET')).to.equal(undefined);
    expect(match({ query: VERIFY, extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } })).to.equal(undefined);
    expect(match({ query: VERIFY, variables: '{}' })).to.equal(undefined);
    expect(match({ query: VERIFY, operationName: 'Other' })).to.equal(undefined);
    expect(match([{ query: VERIFY }])).to.equal(undefined);
    expect(match({ query: '{ __typename }' })).to.equal(undefined);
    expect(match({ query: '{ verifyInsuree(chfId: "1") { message } __typename }' })).to.equal(undefined);
    expect(match({ query: '{ verifyInsuree(chfId: "1") { message nope } }' })).to.equal(undefined);
    expect(match({ query: 'query { verifyInsuree(chfId: "1") { message } ' })).to.equal(undefined);
    expect(match({ query: 'query A { verifyInsuree(chfId: "1") { message } } query B { verifyInsuree(chfId: "2") { message } }', operationName: 'A' })).to.equal(undefined);
  });

  it('fails its first request when a plugin has a hook it does not call, rather than skip the hook', async () => {
    const schema = await buildHelaSchema(testApp().container);
    const withExecutionHook = { async requestDidStart() {
      return { async executionDidStart() {} };
    } };
    const fastPath = new FastPath(schema, new KnownDocuments(schema, new Set(['verifyInsuree']), {}, []), [withExecutionHook], createFormatError());
    const fast = fastPath.match('POST', undefined, { query: VERIFY, variables: { c: '1' } })!;
    const failure = await fastPath.execute(fast, { outcome: {} } as Context, () => { throw new Error('not asked for'); }).then(() => undefined, (error: Error) => error);
    expect(failure?.message).to.match(/does not call the plugin hooks executionDidStart/);
  });

  it('answers a document it does not take exactly as before', async () => {
    const token = await tokenFor(Role.ADMIN);
    for (const body of [{ query: '{ verifyInsuree(chfId: "1") { message nope } }' }, { query: '{ __typename }' }]) {
      expect(received(await p.fast.handle(request(body, bearer(token))))).to.deep.equal(received(await p.apollo.handle(request(body, bearer(token)))));
    }
  });
});
