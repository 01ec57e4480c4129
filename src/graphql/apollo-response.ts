import { HeaderMap, type HTTPGraphQLHead } from '@apollo/server';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import Negotiator from 'negotiator';

/**
 * What Apollo Server 5 does to a finished operation before it is sent, for the fast path
 * (fast-path.ts), which must answer exactly as Apollo would. Apollo keeps these functions internal
 * (requestPipeline.js, errorNormalize.js, runHttpQuery.js); they are restated here, line for line,
 * and test/graphql/fast-path.test.ts compares both paths' answers byte for byte.
 */

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** Apollo's MEDIA_TYPES, in the order it offers them for a single result. */
const SINGLE_RESULT_TYPES = ['application/json; charset=utf-8', 'application/graphql-response+json; charset=utf-8', 'application/json; callbackSpec=1.0; charset=utf-8'];
const NO_ACCEPT = SINGLE_RESULT_TYPES[0];

/** A few distinct Accept values per client library: their answers are kept, not negotiated per request. */
const contentTypes = new Map<string, string | null>();
const MAX_CONTENT_TYPES = 100;

/** Apollo's chooseContentTypeForSingleResultResponse: null when the client accepts no JSON (Apollo answers 406). */
export function singleResultContentType(accept: string | undefined): string | null {
  if (!accept) return NO_ACCEPT;
  let type = contentTypes.get(accept);
  if (type === undefined) {
    type = new Negotiator({ headers: { accept } }).mediaType(SINGLE_RESULT_TYPES) ?? null;
    if (contentTypes.size >= MAX_CONTENT_TYPES) contentTypes.clear();
    contentTypes.set(accept, type);
  }
  return type;
}

/** Apollo's prettyJSONStringify of orderExecutionResultFields. */
export function responseText(result: { errors?: readonly GraphQLFormattedError[]; data?: unknown; extensions?: unknown }): string {
  return JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions }) + '\n';
}

export function ensureGraphQLError(maybeError: unknown): GraphQLError {
  const error = maybeError instanceof Error ? maybeError : new GraphQLError('Unexpected error value: ' + String(maybeError));
  return error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
}

/** graphql-js's messages for a variable that could not be coerced, which Apollo turns into BAD_USER_INPUT. */
function isBadUserInput(error: GraphQLError): boolean {
  const node = error.nodes?.length === 1 ? error.nodes[0] : undefined;
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return false;
  const name = node.variable.name.value;
  return [`Variable "$${name}" has invalid value`, `Variable "$${name}" got invalid value `, `Variable "$${name}" of required type `, `Variable "$${name}" of non-null type `]
    .some((start) => error.message.startsWith(start));
}

/** Apollo's UserInputError of an execution result's variable coercion error; other errors as they are. */
export function withUserInputCode(error: GraphQLError): GraphQLError {
  if (!isBadUserInput(error) || error.extensions?.code != null) return error;
  const wrapped = new GraphQLError(error.message, {
    nodes: error.nodes,
    originalError: error.originalError ?? error,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
  wrapped.name = 'UserInputError';
  return wrapped;
}

/** Apollo's normalizeAndFormatErrors (with includeStacktraceInErrorResponses off, as Hela has it). */
export function formatErrors(errors: readonly unknown[], formatError: FormatError): { formattedErrors: GraphQLFormattedError[]; httpFromErrors: HTTPGraphQLHead } {
  const httpFromErrors: HTTPGraphQLHead = { status: undefined, headers: new HeaderMap() };
  const enrich = (maybeError: unknown): GraphQLFormattedError => {
    const graphqlError = ensureGraphQLError(maybeError);
    const extensions: Record<string, unknown> = { ...graphqlError.extensions, code: graphqlError.extensions.code ?? 'INTERNAL_SERVER_ERROR' };
    if (isPartialHead(extensions.http)) {
      mergeHead(httpFromErrors, { headers: new HeaderMap(), ...extensions.http });
      delete extensions.http;
    }
    return { ...graphqlError.toJSON(), extensions };
  };
  const formattedErrors = errors.map((error) => {
    try {
      return formatError(enrich(error), error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  return { formattedErrors, httpFromErrors };
}

/** Apollo's mergeHTTPGraphQLHead. */
export function mergeHead(target: HTTPGraphQLHead, source: Partial<HTTPGraphQLHead>): void {
  if (source.status) target.status = source.status;
  if (source.headers) for (const [name, value] of source.headers) target.headers.set(name, value);
}

function isPartialHead(value: unknown): value is Partial<HTTPGraphQLHead> {
  if (!value || typeof value !== 'object') return false;
  const head = value as { status?: unknown; headers?: unknown };
  return (!('status' in head) || typeof head.status === 'number') && (!('headers' in head) || head.headers instanceof Map);
}
