import { expect } from 'chai';
import { LoginThrottle } from '../../src/auth/login-throttle.entity.js';
import { testApp } from '../hooks.js';
import { expectCode, gql } from '../helpers/graphql.js';
import { raw } from '../helpers/second-app.js';
import { createUser, login, Role, tokenFor } from '../helpers/users.js';

const SIGN_IN = 'mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }';
const CREATE_USER = 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }';

/** Failed sign-ins recorded for a username: a refusal before bcrypt leaves none. */
async function recordedFailures(username: string): Promise<number> {
  const throttle = await testApp().container.orm.em.fork().findOne(LoginThrottle, { username });
  return throttle?.failures ?? 0;
}

describe('passwords: the 72-byte bcrypt limit holds at sign-in as at creation (A9) @smoke', () => {
  it('refuses 72 × "a" + "X" at sign-in instead of letting bcrypt truncate it to 72 × "a"', async () => {
    const user = await createUser([Role.ACCOUNTANT], 'a'.repeat(72));
    expect((await login(user.username, 'a'.repeat(72))).token).to.be.a('string');
    const refused = expectCode(await gql(SIGN_IN, { u: user.username, p: `${'a'.repeat(72)}X` }), 'BAD_USER_INPUT');
    expect(refused.message).to.equal('Password must be at most 72 bytes');
    expect(await recordedFailures(user.username), 'refused before the password was compared').to.equal(0);
  });

  it('counts bytes, not characters: 24 × "€" (72 bytes) works, 30 × "€" (90 bytes) is refused at creation and at sign-in', async () => {
    const admin = await tokenFor(Role.ADMIN);
    const user = await createUser([Role.ACCOUNTANT], '€'.repeat(24));
    expect((await login(user.username, '€'.repeat(24))).token).to.be.a('string');
    const name = `euro-${Date.now()}`;
    const created = expectCode(await gql(CREATE_USER, { i: { username: name, password: '€'.repeat(30), roles: ['ACCOUNTANT'] } }, admin), 'BAD_USER_INPUT');
    expect(created.message).to.equal('Password must be at most 72 bytes');
    const signIn = expectCode(await gql(SIGN_IN, { u: user.username, p: '€'.repeat(30) }), 'BAD_USER_INPUT');
    expect(signIn.message).to.equal(created.message);
  });

  it('answers a 900 KB password with HTTP 400 before any resolver runs, as a variable and as a literal', async () => {
    const user = await createUser([Role.ACCOUNTANT]);
    const huge = 'p'.repeat(900_000);
    const post = (body: unknown) =>
      raw(`${testApp().url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const response of [
      await post({ query: SIGN_IN, variables: { u: user.username, p: huge } }),
      await post({ query: `mutation { tokenAuth(username: "${user.username}", password: "${huge}") { token } }` }),
    ]) {
      expect(response.status, response.text.slice(0, 200)).to.equal(400);
      expect(response.json.errors[0].extensions.code).to.equal('BAD_USER_INPUT');
      expect(response.json.data).to.equal(undefined);
      expect(response.text).to.not.include(huge.slice(0, 100));
    }
    expect(await recordedFailures(user.username), 'nothing ran: no failed sign-in recorded').to.equal(0);
  });

  it('keeps the string limit off the MT940 upload, whose statement is bounded by the body limit', async () => {
    const manager = await tokenFor(Role.PROGRAM_MANAGER);
    const statement = `:20:X\n${':86:'.padEnd(70_000, 'x')}\n`;
    const response = await gql('mutation($s: String!) { uploadMt940(statement: $s) { statement { id } } }', { s: statement }, manager);
    expect(response.status).to.equal(200);
    expectCode(response, 'BAD_USER_INPUT'); // refused by the parser as a malformed statement, not by the size limit
    expect(response.errors![0].message).to.not.match(/string value/);
  });
});
