import { expect } from 'chai';
import type { App } from '../../src/app.js';
import { testApp } from '../hooks.js';
import { capturedLog, raw, startSecondApp } from '../helpers/second-app.js';
import { createUser, login, Role } from '../helpers/users.js';

const CANARY_PASSWORD = 'Canary-Pa55word-7f3e';
const CANARY_TOKEN = 'canary.jwt.token-91c2';
const CANARY_MSISDN = '256700999111';

describe('request logs: one JSON line per request with a request id, never a secret @smoke', () => {
  let app: App;
  let lines: string[];
  before(async () => {
    const captured = capturedLog('debug');
    lines = captured.lines;
    app = await startSecondApp({ LOG_LEVEL: 'debug' }, captured.log);
  });
  after(async () => {
    await app?.close();
  });

  it('logs method, path, status, duration and request id, and no password, token or body', async () => {
    const user = await createUser([Role.ACCOUNTANT], CANARY_PASSWORD);
    const login = 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }';
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      raw(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    const ok = await post({ query: login, variables: { u: user.username, p: CANARY_PASSWORD } }, { 'x-request-id': 'req-canary-login' });
    expect(ok.json.data.tokenAuth.token).to.be.a('string');
    await post({ query: login, variables: { u: user.username, p: `${CANARY_PASSWORD}-wrong` } });
    await post({ query: '{ me { id } }', variables: { msisdn: CANARY_MSISDN } }, { authorization: `Bearer ${CANARY_TOKEN}` });
    await raw(`${app.url}/graphql?access_token=${CANARY_TOKEN}&query={__typename}`, { headers: { 'apollo-require-preflight': '1' } });
    await post({ query: `{ ${CANARY_PASSWORD} }` }); // a validation failure quoting the canary back to the caller

    const log = lines.join('\n');
    for (const canary of [CANARY_PASSWORD, CANARY_TOKEN, CANARY_MSISDN, ok.json.data.tokenAuth.token]) {
      expect(log, `log leaks ${canary}`).to.not.include(canary);
    }
    const requests = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'request');
    expect(requests).to.have.length(5);
    for (const entry of requests) {
      expect(entry).to.include.keys('requestId', 'method', 'path', 'status', 'ms', 'level', 'time');
      expect(entry.level).to.equal(30); // info
      expect(entry.path).to.equal('/graphql');
      expect(entry).to.not.have.any.keys('body', 'query', 'variables', 'headers', 'url');
    }
    expect(requests[0]).to.include({ requestId: 'req-canary-login', method: 'POST', status: 200 });
    // The operation (its root field), the caller and the outcome code, for GraphQL requests.
    expect(requests[0]).to.include({ operation: 'tokenAuth', code: 'OK' });
    expect(requests[2]).to.include({ operation: 'me', code: 'UNAUTHENTICATED' }).and.not.have.property('userId');
    expect(requests[4]).to.include({ operation: '(invalid)', code: 'BAD_USER_INPUT' });
    expect(new Set(requests.map((entry) => entry.requestId)).size).to.equal(5);
  });

  it('names the signed-in user by id', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const { token } = await login(user.username);
    const before = lines.length;
    await raw(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { id } }' }) });
    const line = lines.slice(before).map((entry) => JSON.parse(entry)).find((entry) => entry.msg === 'request');
    expect(line).to.include({ operation: 'me', code: 'OK', userId: user.id });
    expect(JSON.stringify(line)).to.not.include(user.username);
  });

  it('stores neither the password nor the tokens in the database (a grep over every table)', async () => {
    const connection = testApp().container.orm.em.getConnection();
    const tables = await connection.execute<Array<{ name: string }>>(
      `select quote_ident(table_schema) || '.' || quote_ident(table_name) as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    expect(tables.length).to.be.greaterThan(3);
    for (const { name } of tables) {
      const [{ hits }] = await connection.execute<Array<{ hits: number }>>(
        `select count(*)::int as hits from ${name} t where t::text like any (array[?, ?, ?])`,
        [CANARY_PASSWORD, CANARY_TOKEN, CANARY_MSISDN].map((canary) => `%${canary}%`),
      );
      expect(hits, `${name} holds a canary`).to.equal(0);
    }
  });
});
