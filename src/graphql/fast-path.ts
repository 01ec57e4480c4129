import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener, type HTTPGraphQLRequest } from '@apollo/server';
import { execute, type ExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Context } from './context.js';
import { ensureGraphQLError, formatErrors, mergeHead, responseText, singleResultContentType, withUserInputCode, type FormatError } from './apollo-response.js';
import type { KnownDocument, KnownDocuments } from './known-documents.js';

/** A POST the fast path takes: its JSON body's fields, the document known, the content type Apollo would answer with. */
export interface FastRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  known: KnownDocument;
  contentType: string;
}

export interface FastResponse {
  status?: number;
  headers: Record<string, string>;
  body: string;
}

type Listener = GraphQLRequestListener<Context>;
type HookContext<Hook extends keyof Listener> = Parameters<NonNullable<Listener[Hook]>>[0];
/** One object for every hook, as Apollo has it: filled in as the request goes. */
type ApolloRequestContext = HookContext<'didResolveOperation'> & HookContext<'didEncounterErrors'> & HookContext<'willSendResponse'>;

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);

/**
 * Apollo's request pipeline, without what a known document does not need, for the PSP API
 * (issue 18: Hela's JavaScript per call was most of its cost). A POST whose document is one of the
 * KnownDocuments is executed by graphql-js's `execute` on the same schema (same resolvers,
 * argument validation, auth checks, rate limits, audit), with the same context, through the same
 * plugins' hooks in Apollo's order (didResolveOperation: origin check, string-size limit, metrics;
 * didEncounterErrors: logging, hidden details; willSendResponse: Retry-After and 429, metrics), and
 * its errors formatted by the same formatError. What it skips is what Apollo spends on every
 * request for any document: the SHA-256 of the text and the document store, HTTP header maps,
 * Accept negotiation twice, cache policies. Anything else (GET, APQ, batches, other documents,
 * invalid ones) goes to Apollo.
 *
 * The hooks called are those Hela's plugins use (PIPELINE_HOOKS); the first request throws when a
 * plugin has any other, so a new plugin cannot be skipped unnoticed (every fast-path test would fail).
 */
export class FastPath {
  private hooksChecked = false;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly documents: KnownDocuments,
    private readonly plugins: readonly ApolloServerPlugin<Context>[],
    private readonly formatError: FormatError,
  ) {}

  /** The request, when the fast path answers it as Apollo would; undefined: Apollo's. */
  match(method: string, accept: string | undefined, body: unknown): FastRequest | undefined {
    if (method !== 'POST' || !isRecord(body) || body.extensions != null) return undefined;
    const { query, variables, operationName } = body;
    if (typeof query !== 'string') return undefined;
    if (variables != null && !isRecord(variables)) return undefined;
    if (operationName != null && typeof operationName !== 'string') return undefined;
    const contentType = singleResultContentType(accept);
    if (!contentType) return undefined;
    const known = this.documents.get(query);
    if (!known || (operationName != null && known.operation.name?.value !== operationName)) return undefined;
    return { query, variables: variables ?? undefined, operationName: operationName ?? undefined, known, contentType };
  }

  /** Apollo's processGraphQLRequest for a document found in its store; `http` only if a hook asks for it. */
  async execute(request: FastRequest, context: Context, http: () => HTTPGraphQLRequest): Promise<FastResponse> {
    const requestContext = this.requestContext(request, context, http);
    const listeners = (await Promise.all(this.plugins.map((plugin) => plugin.requestDidStart?.(requestContext)))).filter((l): l is Listener => !!l);
    if (!this.hooksChecked) this.checkHooks(listeners);
    await each(listeners, 'didResolveSource', requestContext);
    try {
      await each(listeners, 'didResolveOperation', requestContext);
    } catch (error) {
      return this.errorResponse(requestContext, listeners, [ensureGraphQLError(error)], request.contentType);
    }
    let result: ExecutionResult;
    try {
      result = await execute({
        schema: this.schema,
        document: request.known.document,
        contextValue: requestContext.contextValue,
        variableValues: request.variables,
        operationName: request.operationName,
      });
    } catch (error) {
      return this.errorResponse(requestContext, listeners, [ensureGraphQLError(error)], request.contentType);
    }
    const errors = result.errors?.map(withUserInputCode);
    if (errors) await this.encountered(requestContext, listeners, errors);
    const { formattedErrors, httpFromErrors } = errors ? formatErrors(errors, this.formatError) : { formattedErrors: undefined, httpFromErrors: { status: undefined, headers: new HeaderMap() } };
    if (errors?.length && result.data === undefined && !httpFromErrors.status) httpFromErrors.status = 400;
    mergeHead(requestContext.response.http, httpFromErrors);
    requestContext.response.body = { kind: 'single', singleResult: { ...result, errors: formattedErrors } };
    return this.send(requestContext, listeners, request.contentType);
  }

  private checkHooks(listeners: Listener[]): void {
    const unsupported = listeners.flatMap((listener) => Object.keys(listener).filter((hook) => !PIPELINE_HOOKS.has(hook)));
    if (unsupported.length) throw new Error(`the GraphQL fast path does not call the plugin hooks ${unsupported.join(', ')}: call them in FastPath or take the plugin out`);
    this.hooksChecked = true;
  }

  private requestContext(request: FastRequest, context: Context, http: () => HTTPGraphQLRequest): ApolloRequestContext {
    let httpRequest: HTTPGraphQLRequest | undefined;
    const { document, operation } = request.known;
    return {
      schema: this.schema,
      request: {
        query: request.query,
        operationName: request.operationName,
        variables: request.variables,
        get http() {
          return (httpRequest ??= http());
        },
      },
      response: { http: { status: undefined, headers: new HeaderMap() } },
      // As Apollo: a shallow copy on the same prototype (RequestContext's lazy `em` lives there).
      contextValue: Object.assign(Object.create(Object.getPrototypeOf(context) as object) as Context, context),
      metrics: { persistedQueryHit: false, persistedQueryRegister: false },
      requestIsBatched: false,
      source: request.query,
      document,
      operation,
      operationName: operation.name?.value || null,
    } as unknown as ApolloRequestContext;
  }

  private async encountered(requestContext: ApolloRequestContext, listeners: Listener[], errors: readonly GraphQLError[]): Promise<void> {
    (requestContext as { errors?: readonly GraphQLError[] }).errors = errors;
    await each(listeners, 'didEncounterErrors', requestContext);
  }

  /** Apollo's sendErrorResponse: a refusal before execution, HTTP 500 unless the error says otherwise. */
  private async errorResponse(requestContext: ApolloRequestContext, listeners: Listener[], errors: GraphQLError[], contentType: string): Promise<FastResponse> {
    await this.encountered(requestContext, listeners, errors);
    const { formattedErrors, httpFromErrors } = formatErrors(errors, this.formatError);
    requestContext.response.body = { kind: 'single', singleResult: { errors: formattedErrors } };
    mergeHead(requestContext.response.http, httpFromErrors);
    requestContext.response.http.status ??= 500;
    return this.send(requestContext, listeners, contentType);
  }

  private async send(requestContext: ApolloRequestContext, listeners: Listener[], contentType: string): Promise<FastResponse> {
    await each(listeners, 'willSendResponse', requestContext);
    const { http, body } = requestContext.response;
    const headers: Record<string, string> = {};
    for (const [name, value] of http.headers) headers[name] = value;
    if (!http.headers.get('content-type')) headers['content-type'] = contentType;
    return { status: http.status, headers, body: responseText(body.kind === 'single' ? body.singleResult : {}) };
  }
}

type Hook = 'didResolveSource' | 'didResolveOperation' | 'didEncounterErrors' | 'willSendResponse';

/** As Apollo calls one hook of every listener (all at once, the first rejection wins); a hook no listener has costs nothing. */
async function each(listeners: Listener[], hook: Hook, requestContext: ApolloRequestContext): Promise<void> {
  const calls: Promise<void>[] = [];
  for (const listener of listeners) {
    const call = listener[hook] as ((context: ApolloRequestContext) => Promise<void>) | undefined;
    if (call) calls.push(call.call(listener, requestContext));
  }
  if (calls.length) await Promise.all(calls);
}

/** The per-request hooks the fast path calls; Apollo's parsing and validation hooks do not run for a stored document either. */
export const PIPELINE_HOOKS = new Set(['didResolveSource', 'didResolveOperation', 'didEncounterErrors', 'willSendResponse']);
