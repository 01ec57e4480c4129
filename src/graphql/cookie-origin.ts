import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { isAllowedOrigin } from '../http/cors.js';
import type { Context } from './context.js';

/**
 * CSRF protection for cookie-authenticated callers, beside Apollo's own rule (a JSON body or a
 * preflight header, which a plain cross-site form cannot send). A mutation sent without an
 * Authorization header is refused when:
 * - it comes from an origin that is neither Hela's own (the Host it was sent to) nor in CORS_ORIGINS:
 *   another site could otherwise make a signed-in browser act (or sign in: tokenAuth sets cookies);
 * - it carries Hela's cookies but no Origin at all, which browsers always send with a POST.
 * A bearer token is never sent by a browser on its own, so bearer callers (PSPs, Apollo Sandbox) are
 * not concerned. Refused before anything runs: no resolver, no write, no audit event.
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
  if (http.credentials.hasAuthorizationHeader) return undefined;
  const { cookies } = http.credentials;
  if (http.origin === undefined) {
    return cookies.access || cookies.refresh ? 'A mutation sent with cookies must carry an Origin header' : undefined;
  }
  if (isAllowedOrigin(http.origin, http.host, allowed)) return undefined;
  return 'Cross-origin request refused: this origin is not Hela\'s own and not listed in CORS_ORIGINS';
}
