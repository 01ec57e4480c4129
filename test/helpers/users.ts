import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role.js';
import { UserService } from '../../src/auth/user.service.js';
import type { User } from '../../src/auth/user.entity.js';
import { testApp } from '../hooks.js';
import { expectData, gql } from './graphql.js';

export const PASSWORD = 'correct horse battery';

/** A fresh user with a unique name, created through the real service. */
export async function createUser(roles: Role[], password = PASSWORD): Promise<User> {
  const { container } = testApp();
  const username = `${roles.join('-').toLowerCase() || 'user'}-${randomUUID().slice(0, 8)}`;
  return container.get(UserService).create(container.orm.em.fork(), { username, password, roles });
}

export async function login(username: string, password = PASSWORD) {
  const response = await gql(
    `mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token refreshToken payload refreshExpiresIn } }`,
    { u: username, p: password },
  );
  return expectData(response).tokenAuth as { token: string; refreshToken: string; payload: any; refreshExpiresIn: number };
}

/** A signed-in user holding these roles; returns its access token. */
export async function tokenFor(...roles: Role[]): Promise<string> {
  const user = await createUser(roles);
  return (await login(user.username)).token;
}

export { Role };
