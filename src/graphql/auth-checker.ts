import type { AuthCheckerFn } from 'type-graphql';
import type { Role } from '../auth/role.js';
import { ForbiddenError, UnauthenticatedError } from '../common/domain-error.js';
import type { AuthUser, Context } from './context.js';

/**
 * `@Authorized()` needs any signed-in user; `@Authorized(Role.X, Role.Y)` needs one of those roles.
 * Throws (rather than returning false) so the client gets the precise code.
 */
export function authorize(context: Context, roles: readonly Role[]): AuthUser {
  const { user, authError } = context;
  if (!user) throw authError ?? new UnauthenticatedError();
  if (roles.length > 0 && !roles.some((role) => user.roles.includes(role))) throw new ForbiddenError();
  return user;
}

export const authChecker: AuthCheckerFn<Context, Role> = ({ context }, roles) => {
  authorize(context, roles);
  return true;
};
