import { randomUUID } from 'node:crypto';
import { DriverException } from '@mikro-orm/core';
import { expect } from 'chai';
import { GraphQLError } from 'graphql';
import type { App } from '../../src/app.js';
import { User } from '../../src/auth/user.entity.js';
import { NotFoundError } from '../../src/common/domain-error.js';
import { createFormatError } from '../../src/graphql/format-error.js';
import { RateLimitedError } from '../../src/rate-limits/rate-limit.errors.js';
import { testApp } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { raw, startSecondApp, type RawResponse } from '../helpers/second-app.js';
import { Role, tokenFor } from '../helpers/users.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }';

function endpoint(app: App = testApp()): string {
  return `${app.url}/graphql`;
}

function postJson(body: unknown, headers: Record<string, string> = {}, app?: App): Promise<RawResponse> {
  return raw(endpoint(app), { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) });
}

/** A 4xx response whose first error carries this code, with no data at all (nothing executed). */
function expectRejected(response: RawResponse, status: number, code = 'BAD_USER_INPUT') {
  expect(response.status, response.text).to.equal(status);
  expect(response.json?.data, response.text).to.equal(undefined);
  expect(response.json?.errors?.[0]?.extensions?.code, response.text).to.equal(code);
  return response.json.errors[0] as { message: string; extensions: Record<string, unknown> };
}

function expectNoStack(response: RawResponse) {
  expect(response.text).to.not.match(/stacktrace|\bat .+\.(ts|js):\d+/);
}

async function userExists(username: string): Promise<boolean> {
  return (await testApp().container.orm.em.fork().count(User, { username })) > 0;
}

function newUser() {
  return { username: `hardening-${randomUUID().slice(0, 8)}`, password: 'a long enough password', roles: [Role.ACCOUNTANT] };
}

/** `__type` nesting reaches any depth without a cyclic relation in our own schema. */
function introspectionChain(ofTypes: number, leaf = 'name'): string {
  return `__type(name: "User") { fields { type { ${'ofType { '.repeat(ofTypes)}${leaf}${' }'.repeat(ofTypes)} } } }`;
}

describe('GraphQL hardening: bad requests get a 4xx and a code, never a 500 or a partial write @smoke', () => {
  let admin: string;
  before(async () => {
    admin = await tokenFor(Role.ADMIN);
  });

  it('refuses a body over 1 MB with 413 before parsing it, and executes nothing', async () => {
    const input = newUser();
    const padding = 'x'.repeat(1_100_000);
    const response = await postJson({ query: CREATE_USER, variables: { input, padding } }, { authorization: `Bearer ${admin}` });
    expect(response.status).to.equal(413);
    expect(await userExists(input.username)).to.equal(false);
    // A legitimate 60 kB body is fine.
    const modest = await postJson({ query: '{ __typename }', variables: { padding: 'x'.repeat(60_000) } });
    expect(modest.status).to.equal(200);
  });

  it('answers malformed JSON, wrong variable types and unknown fields with 400 BAD_USER_INPUT', async () => {
    const malformed = await raw(endpoint(), { method: 'POST', headers: JSON_TYPE, body: '{"query": "{ __typename }"' });
    expectRejected(malformed, 400);
    const wrongType = await postJson({
      query: 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }',
      variables: { u: 42, p: { nested: true } },
    });
    expectRejected(wrongType, 400);
    const badInput = await postJson({ query: CREATE_USER, variables: { input: { ...newUser(), roles: ['ROOT'] } } }, { authorization: `Bearer ${admin}` });
    expectRejected(badInput, 400);
    const unknownField = await postJson({ query: '{ noSuchField }' });
    expectRejected(unknownField, 400);
    const unknownInputField = { query: CREATE_USER, variables: { input: { ...newUser(), isSuperuser: true } } };
    expectRejected(await postJson(unknownInputField, { authorization: `Bearer ${admin}` }), 400);
    const unknownArgument = await postJson({ query: '{ me(id: 1) { id } }' });
    expectRejected(unknownArgument, 400);
    const syntax = await postJson({ query: '{ me { id ' });
    expectRejected(syntax, 400);
    const noQuery = await postJson({ variables: {} });
    expectRejected(noQuery, 400);
  });

  it('rejects a query one level deeper than the limit at validation, and accepts one at the limit', async () => {
    const error = expectRejected(await postJson({ query: `{ ${introspectionChain(7)} }` }), 400);
    expect(error.message).to.match(/depth limit of 10 exceeded/);
    expectData({ status: 200, ...(await postJson({ query: `{ ${introspectionChain(6)} }` })).json });
    // GHSA-224p-v68g-5g8f: naming the operation or a fragment `__schema` must not bypass the limit.
    expectRejected(await postJson({ query: `query __schema { ${introspectionChain(7)} }` }), 400);
    const fragment = `query { __type(name: "User") { ...__schema } } fragment __schema on __Type { fields { type { ${'ofType { '.repeat(7)}name${' }'.repeat(7)} } } }`;
    expectRejected(await postJson({ query: fragment }), 400);
  });

  it('rejects too many aliases, tokens or directives, and too high a cost, with 400 BAD_USER_INPUT', async () => {
    const aliases = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect(expectRejected(await postJson({ query: aliases }), 400).message).to.match(/Aliases limit/);
    const fifteen = await postJson({ query: `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: me { id }`).join(' ')} }` }, { authorization: `Bearer ${admin}` });
    expect(fifteen.status).to.equal(200);

    const tokens = `{ ${'__typename '.repeat(2001)}}`;
    expect(expectRejected(await postJson({ query: tokens }), 400).message).to.match(/more tha[nt] 2000 tokens/);

    const directives = `{ ${Array.from({ length: 51 }, (_, i) => `d${i}: __typename @include(if: true)`).join(' ')} }`;
    expect(expectRejected(await postJson({ query: directives }), 400).message).to.match(/Directives limit/);

    const costly = `{ ${introspectionChain(5, 'name '.repeat(600))} }`;
    expect(expectRejected(await postJson({ query: costly }), 400).message).to.match(/Cost limit/);
  });

  it('refuses batched requests with 400 and executes none of them', async () => {
    const first = newUser();
    const second = newUser();
    const batch = [
      { query: CREATE_USER, variables: { input: first } },
      { query: CREATE_USER, variables: { input: second } },
    ];
    expectRejected(await postJson(batch, { authorization: `Bearer ${admin}` }), 400);
    expect(await userExists(first.username)).to.equal(false);
    expect(await userExists(second.username)).to.equal(false);
  });

  it('blocks CSRF-able requests: GET without a preflight header, text/plain or form POSTs', async () => {
    const get = await raw(`${endpoint()}?query=${encodeURIComponent('{ __typename }')}`);
    expect(expectRejected(get, 400).message).to.match(/Cross-Site Request Forgery/);
    const input = newUser();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const simple = await raw(endpoint(), {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: CREATE_USER, variables: { input } }),
      });
      expectRejected(simple, 400);
    }
    expect(await userExists(input.username)).to.equal(false);
    // With the preflight header a GET query works.
    const allowed = await raw(`${endpoint()}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(allowed.json).to.deep.equal({ data: { __typename: 'Query' } });
  });

  it('answers a mutation over GET with 405 and allow: POST', async () => {
    const query = encodeURIComponent('mutation { revokeToken(refreshToken: "x") { revoked } }');
    const response = await raw(`${endpoint()}?query=${query}`, { headers: { 'apollo-require-preflight': '1' } });
    expectRejected(response, 405);
    expect(response.headers.get('allow')).to.equal('POST');
  });

  it('grants no cross-origin access and ignores tokens in the URL', async () => {
    const preflight = await raw(endpoint(), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).to.be.within(400, 499);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(null);
    const viaUrl = await raw(`${endpoint()}?access_token=${admin}&query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(viaUrl.json.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
  });

  it('answers an unknown path with 404 and a wrong method with 405', async () => {
    expect((await raw(`${testApp().url}/no/such/path`)).status).to.equal(404);
    expect((await raw(`${testApp().url}/healthz`, { method: 'POST' })).status).to.equal(405);
  });

  it('turns input PostgreSQL would choke on into BAD_USER_INPUT or a plain refusal, not an internal error', async () => {
    const nul = await gql('query($s: String) { users(search: $s) { totalCount } }', { s: 'a\u0000b' }, admin);
    expectCode(nul, 'BAD_USER_INPUT');
    const withNul = { ...newUser(), password: 'pass\u0000word-long-enough' };
    expectCode(await gql(CREATE_USER, { input: withNul }, admin), 'BAD_USER_INPUT');
    expect(await userExists(withNul.username)).to.equal(false);
    const longName = await gql('mutation($u: String!) { tokenAuth(username: $u, password: "x") { token } }', { u: 'u'.repeat(10_000) });
    expectCode(longName, 'UNAUTHENTICATED');
    const longId = await gql('query($id: String) { auditEvents(entityId: $id) { totalCount } }', { id: 'x'.repeat(10_000) }, admin);
    expect(expectData(longId).auditEvents.totalCount).to.equal(0);
    // Past GRAPHQL_MAX_STRING_BYTES (64 KB) a string is refused with 400 before any resolver runs.
    const overLimit = await gql('query($id: String) { auditEvents(entityId: $id) { totalCount } }', { id: 'x'.repeat(100_000) }, admin);
    expect(overLimit.status).to.equal(400);
    expectCode(overLimit, 'BAD_USER_INPUT');
  });

  it('does not echo input values (such as a password) in validation errors, and writes nothing', async () => {
    const input = { ...newUser(), username: 'ab', password: 'canary-Validation-Secret' };
    const response = await postJson({ query: CREATE_USER, variables: { input } }, { authorization: `Bearer ${admin}` });
    expect(response.json.errors[0].extensions.code).to.equal('BAD_USER_INPUT');
    expect(response.text).to.not.include('canary-Validation-Secret');
    expect(await userExists(input.username)).to.equal(false);
  });
});

describe('error masking (createFormatError)', () => {
  const format = createFormatError();
  const asResolverError = (error: Error) => new GraphQLError(error.message, { path: ['users'], originalError: error });

  it('masks anything unexpected: no message, SQL, stack or secret reaches the client', () => {
    const raw = new Error('insert into "users" ("password_hash") values (\'$2b$canary\') - duplicate key value violates unique constraint');
    const formatted = format({ message: raw.message, path: ['users'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: raw.stack?.split('\n') } }, asResolverError(raw));
    expect(formatted).to.deep.equal({ message: 'Internal server error', locations: undefined, path: ['users'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const unknownCode = format({ message: 'boom', extensions: { code: 'SOME_LIBRARY_CODE' } }, new GraphQLError('boom', { extensions: { code: 'SOME_LIBRARY_CODE' } }));
    expect(unknownCode.extensions).to.deep.equal({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('turns PostgreSQL data exceptions into BAD_USER_INPUT and unique violations into CONFLICT, without the SQL', () => {
    const driverError = (sqlState: string) =>
      new DriverException(Object.assign(new Error(`insert into "insurees" ("chf_id") values ('canary-chf') - sqlstate ${sqlState}`), { code: sqlState }));
    for (const [sqlState, code] of [['22001', 'BAD_USER_INPUT'], ['22003', 'BAD_USER_INPUT'], ['23505', 'CONFLICT'], ['23503', 'INTERNAL_SERVER_ERROR']]) {
      const error = driverError(sqlState);
      const formatted = format({ message: error.message, path: ['createInsuree'] }, asResolverError(error));
      expect(formatted.extensions?.code, sqlState).to.equal(code);
      expect(JSON.stringify(formatted)).to.not.match(/insert|canary|sqlstate/);
    }
  });

  it('keeps a DomainError code, message and details; maps GraphQL request errors to BAD_USER_INPUT', () => {
    const notFound = new NotFoundError('User', '42');
    expect(format({ message: notFound.message }, asResolverError(notFound)).extensions).to.deep.equal({ entity: 'User', id: '42', code: 'NOT_FOUND' });
    const limited = new RateLimitedError(7);
    expect(format({ message: limited.message }, asResolverError(limited)).extensions).to.deep.equal({ retryAfterSeconds: 7, code: 'RATE_LIMITED' });
    const validation = new GraphQLError('Cannot query field', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(format({ message: validation.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['x'] } }, validation).extensions)
      .to.deep.equal({ reason: 'GRAPHQL_VALIDATION_FAILED', code: 'BAD_USER_INPUT' });
  });
});

describe('GraphQL in production mode (NODE_ENV=production) @smoke', () => {
  let prod: App;
  let pspToken: string;
  before(async () => {
    prod = await startSecondApp({ NODE_ENV: 'production' });
    pspToken = await tokenFor(Role.PSP); // same database and JWT secret: valid on both instances
  });
  after(async () => {
    await prod?.close();
  });

  it('refuses introspection, anonymously and with a token', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Mutation") { fields { name } } }']) {
      for (const headers of [{}, { authorization: `Bearer ${pspToken}` }] as Array<Record<string, string>>) {
        const response = await postJson({ query }, headers, prod);
        const error = expectRejected(response, 400);
        expect(error.extensions.reason).to.equal('GRAPHQL_VALIDATION_FAILED');
        expect(error.message).to.match(/introspection/i);
        expectNoStack(response);
      }
    }
  });

  it('gives no field suggestions and names no field but the one sent', async () => {
    const probes = [
      ['mutation { tokenAut }', 'tokenAut'],
      ['{ processPaymen }', 'processPaymen'],
      ['{ me { usernam } }', 'usernam'],
      ['{ users(serch: "x") { totalCount } }', 'serch'],
      ['{ users(role: ADMN) { totalCount } }', 'ADMN'],
      ['query($r: Rol) { users(role: $r) { totalCount } }', 'Rol'],
    ];
    for (const [query, sent] of probes) {
      const response = await postJson({ query }, {}, prod);
      const error = expectRejected(response, 400);
      expect(error.message).to.not.match(/did you mean/i);
      const named = [...error.message.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      // Only what the document itself says (and the root type names) may be quoted back.
      const echoed = (name: string) => name === '(hidden)' || name.split('.').every((part) => query.includes(part) || ['Query', 'Mutation'].includes(part));
      expect(named.every(echoed), error.message).to.equal(true);
      expect(error.message).to.include(sent);
      expectNoStack(response);
    }
  });

  it('does not tell where the limits lie', async () => {
    const deep = expectRejected(await postJson({ query: `{ ${introspectionChain(7)} }` }, {}, prod), 400);
    expect(deep.message).to.not.match(/\d/);
    const tokens = expectRejected(await postJson({ query: `{ ${'__typename '.repeat(2001)}}` }, {}, prod), 400);
    expect(tokens.message).to.equal('Syntax Error: Query validation error.');
  });

  it('serves ordinary operations, with errors carrying only a message and a code', async () => {
    const response = await postJson({ query: '{ me { id } }' }, {}, prod);
    expect(response.status).to.equal(200);
    expect(response.json.errors[0]).to.deep.include({ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } });
    expectNoStack(response);
    const me = await postJson({ query: '{ me { roles } }' }, { authorization: `Bearer ${pspToken}` }, prod);
    expect(me.json).to.deep.equal({ data: { me: { roles: ['PSP'] } } });
  });
});
