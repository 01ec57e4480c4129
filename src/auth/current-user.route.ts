import { DomainError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import type { HttpRequest, HttpResponse, Route } from '../http/route.js';
import { credentialsOf } from './auth-cookies.js';
import { AuthService } from './auth.service.js';
import { openimisRights } from './openimis-rights.js';
import { Role } from './role.js';

/**
 * `GET /api/core/users/current_user/`, which the openIMIS front end (fe-core `loadUser`) calls after
 * signing in and on every page load: the signed-in user in openIMIS core's UserSerializer shape, with
 * Hela's roles as the openIMIS rights the modules check. Authenticated like GraphQL (Authorization
 * header, else the JWT cookie); a failure is a 401 with Django REST framework's `{ detail }`.
 */
export function currentUserRoutes(container: Container): Route[] {
  const handle = (request: HttpRequest) => currentUser(container.get(AuthService), request);
  return ['/api/core/users/current_user/', '/api/core/users/current_user'].map((path) => ({ method: 'GET' as const, path, handle }));
}

async function currentUser(auth: AuthService, request: HttpRequest): Promise<HttpResponse> {
  let caller: Awaited<ReturnType<AuthService['authenticateRequest']>>;
  try {
    caller = await auth.authenticateRequest(credentialsOf(request.headers));
  } catch (error) {
    if (error instanceof DomainError) return { status: 401, body: { detail: error.message } };
    throw error;
  }
  if (!caller) return { status: 401, body: { detail: 'Authentication credentials were not provided.' } };
  const { user } = caller;
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      id: user.id,
      username: user.username,
      is_superuser: user.roles.includes(Role.ADMIN),
      i_user: {
        id: user.id,
        language: 'en',
        last_name: user.username,
        other_names: '',
        health_facility_id: null,
        rights: openimisRights(user.roles),
        has_password: true,
        default_rows_per_page: null,
      },
      t_user: null,
      // Hela's own view of the same thing.
      roles: user.roles,
    },
  };
}
