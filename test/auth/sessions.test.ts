import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import type { App } from '../../src/app.js';
import { SessionRevocations } from '../../src/auth/session-revocations.js';
import { testApp, testEnv } from '../hooks.js';
import { expectCode, expectData, gql, type GraphqlResponse } from '../helpers/graphql.js';
import { sql } from '../helpers/openimis.js';
import { startSecondApp } from '../helpers/second-app.js';
import { createUser, login, Role, tokenFor } from '../helpers/users.js';

const ME = '{ me { username } }';
const REVOKE = 'mutation($t: String) { revokeToken(refreshToken: $t) { revoked } }';
const onPostgres = Boolean(process.env.DATABASE_URL);

async function meOn(app: App, token: string): Promise<GraphqlResponse> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: ME }),
  });
  return (await response.json()) as GraphqlResponse;
}

/** Notifications reach another process a moment after the revoking statement returns: wait for it (never a timing assertion). */
async function refusedSoon(app: App, token: string): Promise<GraphqlResponse> {
  const deadline = Date.now() + 5_000;
  let response = await meOn(app, token);
  while (!response.errors && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    response = await meOn(app, token);
  }
  return response;
}

describe('auth: sessions end at once, in every process (checklist A4, A5) @smoke', () => {
  let other: App;
  before(async function () {
    this.timeout(60_000);
    other = await startSecondApp();
  });
  after(async () => {
    await other?.close();
  });

  it('keeps the revocation list in memory on PostgreSQL (LISTEN/NOTIFY) and reads the table per request on the embedded PGlite', () => {
    const expected = onPostgres ? 'notified' : 'database';
    expect(testApp().container.get(SessionRevocations).mode).to.equal(expected);
    expect(other.container.get(SessionRevocations).mode).to.equal(expected);
  });

  it('revokeToken ends the session: its access token is refused by the next request here, though verified a moment ago (cache), and in the other process', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const tokens = await login(user.username);
    expect(expectData(await gql(ME, {}, tokens.token)).me.username).to.equal(user.username);
    expect(expectData(await meOn(other, tokens.token)).me.username).to.equal(user.username);
    expectData(await gql(REVOKE, { t: tokens.refreshToken }));
    expect(expectCode(await gql(ME, {}, tokens.token), 'UNAUTHENTICATED').message).to.equal('Token is revoked');
    expectCode(await refusedSoon(other, tokens.token), 'UNAUTHENTICATED');
    const [row] = await sql('select count(*)::int as n from revoked_sessions where session_id = ?', [tokens.payload.sid]);
    expect(row.n).to.equal(1);
  });

  it('a revocation made in the other process holds here too, and other sessions of the user go on', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const first = await login(user.username);
    const second = await login(user.username);
    expect(second.payload.sid).to.not.equal(first.payload.sid);
    const response = await fetch(`${other.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: REVOKE, variables: { t: first.refreshToken } }),
    });
    expect(((await response.json()) as GraphqlResponse).errors).to.equal(undefined);
    expectCode(await refusedSoon(testApp(), first.token), 'UNAUTHENTICATED');
    expect(expectData(await gql(ME, {}, second.token)).me.username).to.equal(user.username);
  });

  it('disabling a user and changing a password end every session of the user at once', async () => {
    const admin = await tokenFor(Role.ADMIN);
    for (const change of [
      { query: 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }', input: (id: string) => ({ id, isActive: false }) },
      { query: 'mutation($i: SetUserPasswordInput!) { setUserPassword(input: $i) { id } }', input: (id: string) => ({ id, password: 'another long password 1' }) },
    ]) {
      const user = await createUser([Role.ACCOUNTANT]);
      const sessions = [await login(user.username), await login(user.username)];
      for (const session of sessions) expectData(await meOn(other, session.token));
      expectData(await gql(change.query, { i: change.input(user.id) }, admin));
      for (const session of sessions) {
        expectCode(await gql(ME, {}, session.token), 'UNAUTHENTICATED');
        expectCode(await refusedSoon(other, session.token), 'UNAUTHENTICATED');
      }
    }
  });

  it('checks iss and aud: a token signed with the right key for another issuer or audience, or without a session, is refused', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const { payload } = await login(user.username);
    const sign = (claims: object) => jwt.sign(claims, testEnv.JWT_SECRET, { algorithm: 'HS256', noTimestamp: true });
    expect(expectData(await gql(ME, {}, sign(payload))).me.username).to.equal(user.username);
    const { sid: _sid, ...withoutSession } = payload;
    for (const forged of [{ ...payload, iss: 'openimis' }, { ...payload, aud: 'other-api' }, { ...payload, iss: undefined }, { ...payload, aud: undefined }, withoutSession]) {
      expectCode(await gql(ME, {}, sign(forged)), 'UNAUTHENTICATED');
    }
  });

  (onPostgres ? it : it.skip)('when the listening connection is lost, checks the database until it is back (PostgreSQL)', async function () {
    this.timeout(30_000);
    const revocations = other.container.get(SessionRevocations);
    const user = await createUser([Role.ACCOUNTANT]);
    const tokens = await login(user.username);
    await sql(`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen hela_session_revoked%' and pid <> pg_backend_pid()`);
    const deadline = Date.now() + 10_000;
    while (revocations.mode === 'notified' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(revocations.mode).to.equal('database');
    expectData(await gql(REVOKE, { t: tokens.refreshToken }));
    expectCode(await meOn(other, tokens.token), 'UNAUTHENTICATED');
    while (revocations.mode === 'database' && Date.now() < deadline + 10_000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(revocations.mode).to.equal('notified');
    expectCode(await meOn(other, tokens.token), 'UNAUTHENTICATED');
  });
});
