import { ApolloServer, HeaderMap, type ApolloServerPlugin, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { pageResponse, wantsIde } from '../ui/ui.route.js';
import type { GraphQLSchema } from 'graphql';
import { credentialsOf } from '../auth/auth-cookies.js';
import type { AuthService } from '../auth/auth.service.js';
import type { Config } from '../config.js';
import type { DomainError } from '../common/domain-error.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { HttpRequest, HttpResponse, Route } from '../http/route.js';
import type { Logger } from '../logger.js';
import type { Context } from './context.js';
import { createFormatError, logUnexpectedErrors } from './format-error.js';
import { FastPath } from './fast-path.js';
import { KnownDocuments } from './known-documents.js';
import { cookieMutationOrigin } from './cookie-origin.js';
import { hideSchemaDetails } from './hide-schema-details.js';
import { queryLimits } from './limits.js';
import { stringSizeLimit } from './string-size-limit.js';
import { rateLimitedStatus } from '../rate-limits/rate-limited-status.js';
import { graphqlMetrics } from '../observability/graphql-metrics.plugin.js';
import { inOperationSpan } from '../observability/graphql-span.js';

/** Apollo, and the fast path in front of it for the PSP API's documents (fast-path.ts); without one, Apollo answers all. */
export interface Graphql {
  apollo: ApolloServer<Context>;
  fastPath?: FastPath;
}

/** The root fields whose documents the fast path runs: the external PSP API, called thousands of times a minute. */
const FAST_PATH_FIELDS = new Set(['verifyInsuree', 'processPayment']);

export async function createGraphql(schema: GraphQLSchema, config: Config, log: Logger): Promise<Graphql> {
  const production = config.nodeEnv === 'production';
  const limits = queryLimits(config.limits, production);
  const formatError = createFormatError();
  const plugins: ApolloServerPlugin<Context>[] = [
    // Cache hints are unused here, and the plugin adds a hook to every resolved field.
    ApolloServerPluginCacheControlDisabled(),
    // Apollo's landing page loads Sandbox from a CDN (with telemetry): browsers get Hela's own IDE instead (src/ui).
    ApolloServerPluginLandingPageDisabled(),
    logUnexpectedErrors,
    cookieMutationOrigin(config.corsOrigins),
    rateLimitedStatus,
    graphqlMetrics,
    stringSizeLimit(config.limits.stringBytes, !production),
    ...(limits.plugins as ApolloServerPlugin<Context>[]), // armor is typed against Apollo's CJS build
    ...(production ? [hideSchemaDetails as ApolloServerPlugin<Context>] : []),
  ];
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown; Apollo's own signal handler would race it and leave the process hanging.
    stopOnTerminationSignals: false,
    plugins: [...plugins], // a copy: Apollo adds its default plugins to the array it is given
    validationRules: [...limits.validationRules],
    parseOptions: limits.parseOptions,
    logger: { debug: () => {}, info: () => {}, warn: (m) => log.warn(m), error: (m) => log.error(m) },
  });
  await apollo.start();
  const documents = new KnownDocuments(schema, FAST_PATH_FIELDS, limits.parseOptions, limits.validationRules);
  return { apollo, fastPath: new FastPath(schema, documents, plugins, formatError) };
}

/** `/graphql`, plus `/api/graphql` where openIMIS clients look for it. */
export function graphqlRoutes(graphql: Graphql, orm: MikroORM, auth: AuthService, ide = false): Route[] {
  const handle = async (request: HttpRequest): Promise<HttpResponse> => {
    if (ide && wantsIde(request)) return pageResponse('ide');
    const prepared = createContext(request, orm, auth);
    const { context } = prepared;
    const response = await inOperationSpan(context.outcome, () => executeGraphql(graphql, request, prepared));
    const { operation, operationName, code } = context.outcome;
    return { ...response, logFields: { operation, operationName, userId: context.user?.id, code } };
  };
  return ['/graphql', '/api/graphql'].flatMap((path) => [
    { method: 'POST' as const, path, handle },
    { method: 'GET' as const, path, handle },
  ]);
}

/**
 * The per-request context. `em` is forked on first use: many requests (the PSP API's prepared
 * statements, token mutations) never need one. The getter sits on the prototype because Apollo
 * shallow-copies the context (`Object.assign` onto `Object.create(prototype)`), which would call an
 * own getter and fork on every request.
 */
class RequestContext implements Context {
  private forkedEm?: Context['em'];
  user?: Context['user'];
  authError?: Context['authError'];
  retryAfterSeconds?: number;
  // One array shared with Apollo's copies of the context: a service pushes into it, the response reads it.
  readonly pendingChanges: NonNullable<Context['pendingChanges']> = [];
  readonly outcome: Context['outcome'] = {};

  constructor(private readonly orm: MikroORM, readonly requestId: string, readonly log: Logger, readonly http: Context['http'], readonly clientAddress?: string) {}

  get em(): Context['em'] {
    return (this.forkedEm ??= this.orm.em.fork());
  }
}

/** The caller comes from the Authorization header, else the `JWT` cookie (AuthService.authenticateRequest). */
function createContext(request: HttpRequest, orm: MikroORM, auth: AuthService): { context: RequestContext; ready: () => Promise<Context> } {
  const { headers } = request;
  const http: Context['http'] = {
    credentials: credentialsOf(headers),
    origin: headers.origin,
    host: headers.host,
    secureCookies: auth.cookies.secure(headers),
    setCookies: [],
  };
  const context = new RequestContext(orm, request.requestId, request.log, http, request.remoteAddress);
  const ready = async () => {
    try {
      context.user = (await auth.authenticateRequest(http.credentials))?.user;
    } catch (error) {
      context.authError = error as DomainError;
    }
    return context;
  };
  return { context, ready };
}

async function executeGraphql(graphql: Graphql, request: HttpRequest, { context, ready }: ReturnType<typeof createContext>): Promise<HttpResponse> {
  let body: unknown = request.body.toString('utf8');
  if (request.method === 'POST' && /^application\/json/i.test(request.headers['content-type'] ?? '')) {
    try {
      body = JSON.parse(body as string);
    } catch {
      return {
        status: 400,
        body: { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] },
      };
    }
  }
  const { fastPath } = graphql;
  const fast = fastPath?.match(request.method, request.headers.accept, body);
  const response = fast
    ? await fastPath!.execute(fast, await ready(), () => apolloRequest(request, body))
    : await viaApollo(graphql.apollo, apolloRequest(request, body), ready);
  if (context.http.setCookies.length) response.headers['set-cookie'] = context.http.setCookies;
  let text = response.body;
  if (context.pendingChanges?.length) text = withPendingChanges(text, context.pendingChanges);
  return { status: response.status ?? 200, headers: response.headers, body: text };
}

function apolloRequest(request: HttpRequest, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: request.method, headers, search: request.search, body };
}

async function viaApollo(apollo: ApolloServer<Context>, httpGraphQLRequest: HTTPGraphQLRequest, ready: () => Promise<Context>) {
  const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: ready });
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  let body = '';
  if (response.body.kind === 'complete') {
    body = response.body.string;
  } else {
    for await (const chunk of response.body.asyncIterator) body += chunk;
  }
  return { status: response.status, headers, body };
}

/**
 * A mutation held for a second admin answers as usual, and says so in `extensions.pendingChanges`. Added
 * here, to the rare response that has some, rather than by an Apollo plugin hooked into every request.
 */
function withPendingChanges(text: string, pendingChanges: NonNullable<Context['pendingChanges']>): string {
  const body = JSON.parse(text) as { extensions?: Record<string, unknown> };
  body.extensions = { ...body.extensions, pendingChanges };
  return JSON.stringify(body);
}
