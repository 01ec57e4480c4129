import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { Role, tokenFor } from '../helpers/users.js';

/**
 * class-validator rules on GraphQL arguments (src/graphql/validate-argument.ts): a rule on an input
 * class, or inherited by an args class, refuses with BAD_USER_INPUT and names the property and the rule;
 * an input class without rules (the PSP API's) is accepted as it is.
 */
describe('GraphQL argument validation', () => {
  let admin: string;
  before(async () => {
    admin = await tokenFor(Role.ADMIN);
  });

  it('refuses an input that breaks a rule of its class, naming the property and the rule, and writes nothing', async () => {
    const username = `x${randomUUID().slice(0, 4)}!`;
    const response = await gql('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', { input: { username, password: 'a long enough password', roles: [Role.ACCOUNTANT] } }, admin);
    const error = expectCode(response, 'BAD_USER_INPUT');
    const failures = error.extensions?.validationErrors as Array<{ property: string; constraints: Record<string, string> }>;
    expect(failures.map((f) => f.property)).to.deep.equal(['username']);
    expect(Object.keys(failures[0].constraints)).to.deep.equal(['matches']);
    expect(JSON.stringify(response)).to.not.include('a long enough password');
    const found = expectData(await gql('query($u: String) { users(search: $u) { totalCount } }', { u: username }, admin));
    expect(found.users.totalCount).to.equal(0);
  });

  it('applies the rules an args class inherits (PageArgs: limit at most 500)', async () => {
    const error = expectCode(await gql('{ auditEvents(limit: 501) { totalCount } }', {}, admin), 'BAD_USER_INPUT');
    expect((error.extensions?.validationErrors as Array<{ property: string }>).map((f) => f.property)).to.deep.equal(['limit']);
    expectData(await gql('{ auditEvents(limit: 500) { totalCount } }', {}, admin));
  });
});
