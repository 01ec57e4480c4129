import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { Context } from '../graphql/context.js';

const listener: GraphQLRequestListener<Context> = {
  async willSendResponse({ response, contextValue }) {
    if (contextValue.retryAfterSeconds === undefined || response.body.kind !== 'single') return;
    response.http.headers.set('retry-after', String(contextValue.retryAfterSeconds));
    const { data, errors } = response.body.singleResult;
    if (!errors?.every((error) => error.extensions?.code === 'RATE_LIMITED')) return;
    if (data && Object.values(data).some((value) => value !== null)) return;
    response.http.status = 429;
  },
};

/**
 * Retry-After whenever the rate limiter refused something (also when the refusal is an openIMIS
 * payload), and HTTP 429 when it refused everything a request asked for. A request
 * with anything else in it (another field's data or another error) stays 200, as GraphQL over HTTP
 * has it for field errors. One shared listener: nothing is allocated per request.
 */
export const rateLimitedStatus: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return listener;
  },
};
