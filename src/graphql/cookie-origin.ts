import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { isAllowedOrigin } from '../http/cors.js';
import type { Context } from './context.js';

/**
 * CSRF protection for cookie-authenticated callers, beside Apollo's own rule (a JSON body or a
 * preflight header, which a plain cross-site form cannot send, and a preflight only CORS_ORIGINS
 * pass). A mutation that carries Hela's cookies and no Authorization header is refused when:
 * - it comes from an origin that is neither Hela's own (the Host it was sent to) nor in CORS_ORIGINS:
 *   another site (a sibling subdomain's page is "same-site", so SameSite=Lax cookies go along) could
 *   otherwise make a signed-in browser act;
 * - it has no Origin at all, which browsers always send with a POST.
 * What a browser does not send by itself is not concerned: a bearer token (PSPs, Apollo Sandbox), and
 * a request without Hela's cookies, which acts on no one's session (tokenAuth from a desktop tool).
 * Refused before anything runs: no resolver, no write, no audit event.
 */
export function cookieMutationOrigin(allowed: readonly string[]): ApolloServerPlugin<Context> {
  const listener: GraphQLRequestListener<Context> = {
    async didResolveOperation({ operation, contextValue }) {
      if (operation?.operation !== 'mutation') return;
      const refusal = originRefusal(contextValue.http, allowed);
      if (refusal) throw new GraphQLError(refusal, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

function originRefusal(http: Context['http'], allowed: readonly string[]): string | undefined {
  const { cookies, hasAuthorizationHeader } = http.credentials;
  if (hasAuthorizationHeader || !(cookies.access || cookies.refresh)) return undefined;
  if (http.origin === undefined) return 'A mutation sent with cookies must carry an Origin header';
  if (isAllowedOrigin(http.origin, http.host, allowed)) return undefined;
  return 'Cross-origin request refused: this origin is not Hela\'s own and not listed in CORS_ORIGINS';
}
