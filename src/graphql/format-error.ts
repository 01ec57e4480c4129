import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { DomainError } from '../common/domain-error.js';
import type { Logger } from '../logger.js';

/** Request-level failures (parse, validation, bad variables) all reach the client as BAD_USER_INPUT. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_FOUND',
]);
const PASSTHROUGH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);

/**
 * The one mapping point from errors to what clients see. A DomainError keeps its code, message and
 * details; GraphQL request errors keep their message; anything else is logged and masked.
 */
export function createFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const { locations, path } = formatted;
    if (original instanceof DomainError) {
      return { message: original.message, locations, path, extensions: { ...original.details, code: original.code } };
    }
    const code = String(formatted.extensions?.code ?? '');
    const { stacktrace: _stack, code: _code, ...safeExtensions } = formatted.extensions ?? {};
    if (CLIENT_ERROR_CODES.has(code) || PASSTHROUGH_CODES.has(code)) {
      const mapped = PASSTHROUGH_CODES.has(code) ? code : 'BAD_USER_INPUT';
      const reason = code !== mapped ? { reason: code } : {};
      return { message: formatted.message, locations, path, extensions: { ...safeExtensions, ...reason, code: mapped } };
    }
    log.error({ err: original, path }, 'unexpected error');
    return { message: 'Internal server error', locations, path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
