import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { testApp, testEnv } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { createUser, login, PASSWORD, Role, tokenFor } from '../helpers/users.js';

const ME = '{ me { id username roles } }';
const REFRESH = 'mutation($t: String) { refreshToken(refreshToken: $t) { token refreshToken payload refreshExpiresIn } }';

describe('auth: tokenAuth, refresh, revoke, verify @smoke', () => {
  it('issues an openIMIS-shaped token whose payload has username, exp (15 minutes by default) and origIat, plus iss, aud and the session', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const before = Math.floor(Date.now() / 1000);
    const tokens = await login(user.username);
    expect(tokens.payload.username).to.equal(user.username);
    expect(tokens.payload.exp).to.be.within(before + 900 - 5, before + 900 + 5);
    expect(tokens.payload).to.include({ iss: 'hela', aud: 'hela-api' });
    expect(tokens.payload.sid).to.match(/^[0-9a-f-]{36}$/);
    expect(tokens.payload.origIat).to.be.within(before - 5, before + 5);
    expect(tokens.refreshToken).to.match(/^[0-9a-f]{40}$/);
    expect(tokens.refreshExpiresIn).to.be.within(before + 30 * 86_400 - 5, before + 30 * 86_400 + 5);
    const me = expectData(await gql(ME, {}, tokens.token));
    expect(me.me.username).to.equal(user.username);
  });

  it('gives the same error for an unknown user and a wrong password', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const q = 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }';
    const wrong = expectCode(await gql(q, { u: user.username, p: 'wrong password!' }), 'UNAUTHENTICATED');
    const unknown = expectCode(await gql(q, { u: 'nobody-at-all', p: 'wrong password!' }), 'UNAUTHENTICATED');
    expect(wrong.message).to.equal('Please enter valid credentials');
    expect(unknown.message).to.equal(wrong.message);
  });

  it('throttles repeated failures for one username, even with the right password afterwards', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const q = 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }';
    for (let i = 0; i < 5; i++) expectCode(await gql(q, { u: user.username, p: 'wrong password!' }), 'UNAUTHENTICATED');
    const locked = expectCode(await gql(q, { u: user.username, p: PASSWORD }), 'UNAUTHENTICATED');
    expect(locked.message).to.match(/too many/i);
  });

  it('accepts only Bearer tokens signed with the pinned algorithm', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const { token, payload } = await login(user.username);
    const [, body] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${body}.`;
    expectCode(await gql(ME, {}, none), 'UNAUTHENTICATED');
    const hs512 = jwt.sign(payload, testEnv.JWT_SECRET, { algorithm: 'HS512', noTimestamp: true });
    expectCode(await gql(ME, {}, hs512), 'UNAUTHENTICATED');
    const forged = jwt.sign(payload, 'another-secret-another-secret-0123456', { algorithm: 'HS256', noTimestamp: true });
    expectCode(await gql(ME, {}, forged), 'UNAUTHENTICATED');
  });

  it('refuses an expired token and a token without exp', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const { payload } = await login(user.username);
    const expired = jwt.sign({ ...payload, exp: Math.floor(Date.now() / 1000) - 120 }, testEnv.JWT_SECRET, { algorithm: 'HS256', noTimestamp: true });
    const error = expectCode(await gql(ME, {}, expired), 'UNAUTHENTICATED');
    expect(error.message).to.equal('Signature has expired');
    const { exp: _exp, ...noExp } = payload;
    const eternal = jwt.sign(noExp, testEnv.JWT_SECRET, { algorithm: 'HS256', noTimestamp: true });
    expectCode(await gql(ME, {}, eternal), 'UNAUTHENTICATED');
    // Within the 60 s skew an just-expired token still works.
    const justExpired = jwt.sign({ ...payload, exp: Math.floor(Date.now() / 1000) - 10 }, testEnv.JWT_SECRET, { algorithm: 'HS256', noTimestamp: true });
    expectData(await gql(ME, {}, justExpired));
  });

  it('rotates refresh tokens, and reuse of a spent one revokes the whole family', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const first = await login(user.username);
    const second = expectData(await gql(REFRESH, { t: first.refreshToken })).refreshToken;
    expect(second.refreshToken).to.not.equal(first.refreshToken);
    expectData(await gql(ME, {}, second.token));
    expectCode(await gql(REFRESH, { t: first.refreshToken }), 'UNAUTHENTICATED'); // reuse
    const afterReuse = expectCode(await gql(REFRESH, { t: second.refreshToken }), 'UNAUTHENTICATED');
    expect(afterReuse.message).to.equal('Invalid refresh token');
  });

  it('revokes a refresh token and verifies access tokens', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const tokens = await login(user.username);
    const verified = expectData(await gql('mutation($t: String) { verifyToken(token: $t) { payload } }', { t: tokens.token }));
    expect(verified.verifyToken.payload.username).to.equal(user.username);
    const revoked = expectData(await gql('mutation($t: String) { revokeToken(refreshToken: $t) { revoked } }', { t: tokens.refreshToken }));
    expect(revoked.revokeToken.revoked).to.be.a('number');
    expectCode(await gql(REFRESH, { t: tokens.refreshToken }), 'UNAUTHENTICATED');
  });

  it('cuts off existing tokens when a user is disabled or its password changes', async () => {
    const admin = await tokenFor(Role.ADMIN);
    const user = await createUser([Role.ACCOUNTANT]);
    const tokens = await login(user.username);
    const update = 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { isActive } }';
    expectData(await gql(update, { i: { id: user.id, isActive: false } }, admin));
    expectCode(await gql(ME, {}, tokens.token), 'UNAUTHENTICATED');
    expectCode(await gql(REFRESH, { t: tokens.refreshToken }), 'UNAUTHENTICATED');
    expectData(await gql(update, { i: { id: user.id, isActive: true } }, admin));

    const again = await login(user.username);
    const setPassword = 'mutation($i: SetUserPasswordInput!) { setUserPassword(input: $i) { id } }';
    expectData(await gql(setPassword, { i: { id: user.id, password: 'a brand new password' } }, admin));
    expectCode(await gql(ME, {}, again.token), 'UNAUTHENTICATED');
    await login(user.username, 'a brand new password');
  });

  it('lets only admins manage users', async () => {
    const accountant = await tokenFor(Role.ACCOUNTANT);
    const create = 'mutation($i: CreateUserInput!) { createUser(input: $i) { id username roles } }';
    const input = { username: `new-${Date.now()}`, password: 'long enough password', roles: ['PSP'] };
    expectCode(await gql(create, { i: input }), 'UNAUTHENTICATED');
    expectCode(await gql(create, { i: input }, accountant), 'FORBIDDEN');
    const admin = await tokenFor(Role.ADMIN);
    expect(expectData(await gql(create, { i: input }, admin)).createUser.roles).to.deep.equal(['PSP']);
    expectCode(await gql(create, { i: input }, admin), 'CONFLICT');
    expectCode(await gql(create, { i: { ...input, username: `short-${Date.now()}`, password: 'short' } }, admin), 'BAD_USER_INPUT');
    const list = expectData(await gql('{ users(search: "new-", limit: 5) { totalCount items { username } } }', {}, admin));
    expect(list.users.totalCount).to.be.greaterThan(0);
    expectCode(await gql('{ users { totalCount } }', {}, accountant), 'FORBIDDEN');
  });

  it('records logins and mutations in the audit trail, which cannot be changed', async () => {
    const admin = await tokenFor(Role.ADMIN);
    const user = await createUser([Role.ACCOUNTANT]);
    await gql('mutation { tokenAuth(username: "' + user.username + '", password: "bad password") { token } }');
    const events = expectData(await gql('query($u: String) { auditEvents(entityId: $u, action: "tokenAuth") { items { id action result errorCode } } }', { u: user.username }, admin));
    expect(events.auditEvents.items[0]).to.deep.include({ action: 'tokenAuth', result: 'FAILURE', errorCode: 'UNAUTHENTICATED' });
    const em = testApp().container.orm.em.fork();
    let refused = false;
    try {
      await em.getConnection().execute('update audit_events set action = action');
    } catch {
      refused = true;
    }
    expect(refused, 'audit_events must be append-only').to.equal(true);
  });
});
