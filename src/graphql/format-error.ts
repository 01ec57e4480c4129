import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { DriverException } from '@mikro-orm/core';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { BadInputError, ConflictError, DomainError } from '../common/domain-error.js';
import type { Context } from './context.js';

/** Request-level failures (parse, validation, bad variables) all reach the client as BAD_USER_INPUT. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_FOUND',
]);
const PASSTHROUGH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED']);

interface ValidationFailure {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

/**
 * A safety net for input that got past validation: PostgreSQL's data exceptions (SQLSTATE class 22:
 * too long, out of range, malformed) can only come from the values sent, and a unique violation
 * means the thing exists. The client gets the code without the SQL; the log keeps the detail.
 */
function fromDatabase(error: unknown): DomainError | undefined {
  if (!(error instanceof DriverException)) return undefined;
  const sqlState = String((error as { code?: unknown }).code ?? '');
  if (sqlState.startsWith('22')) return new BadInputError('A value is too long, out of range or malformed');
  if (sqlState === '23505') return new ConflictError('This already exists');
  return undefined;
}

/** Whether an error is an expected outcome (a code the client can act on) rather than a fault. */
function isExpected(error: unknown, code: unknown): boolean {
  return unwrapResolverError(error) instanceof DomainError || CLIENT_ERROR_CODES.has(String(code)) || PASSTHROUGH_CODES.has(String(code));
}

/**
 * The one mapping point from errors to what clients see. A DomainError keeps its code, message and
 * details; GraphQL request errors keep their message; anything else is masked (its detail is logged
 * with the request id by `logUnexpectedErrors`).
 */
export function createFormatError() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    const original = fromDatabase(unwrapped) ?? unwrapped;
    const { locations, path } = formatted;
    if (original instanceof DomainError) {
      return { message: original.message, locations, path, extensions: { ...original.details, code: original.code } };
    }
    const code = String(formatted.extensions?.code ?? '');
    if (!isExpected(error, code)) {
      return { message: 'Internal server error', locations, path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    const { stacktrace: _stack, code: _code, validationErrors, ...safeExtensions } = formatted.extensions ?? {};
    const mapped = PASSTHROUGH_CODES.has(code) ? code : 'BAD_USER_INPUT';
    const reason = code !== mapped ? { reason: code } : {};
    const validation = Array.isArray(validationErrors) ? { validationErrors: validationErrors.map(withoutValues) } : {};
    return { message: formatted.message, locations, path, extensions: { ...safeExtensions, ...validation, ...reason, code: mapped } };
  };
}

/**
 * class-validator's errors carry `target` (the whole input object) and `value`: echoing them would
 * send passwords and PINs back in the response. The property and the rule it broke are enough.
 */
function withoutValues({ property, constraints, children }: ValidationFailure): ValidationFailure {
  return { property, constraints, ...(children?.length ? { children: children.map(withoutValues) } : {}) };
}

/** Logs what `createFormatError` masks, on the request's logger so the line carries its request id. */
const unexpectedErrorsListener: GraphQLRequestListener<Context> = {
  async didEncounterErrors({ errors, contextValue }) {
    for (const error of errors as readonly GraphQLError[]) {
      const original = unwrapResolverError(error);
      if (fromDatabase(original)) {
        contextValue.log.warn({ err: original, path: error.path }, 'the database refused input that validation let through');
      } else if (!isExpected(error, error.extensions?.code)) {
        contextValue.log.error({ err: original, path: error.path }, 'unexpected error');
      }
    }
  },
};

/** One listener for every request: it keeps nothing of its own. */
export const logUnexpectedErrors: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return unexpectedErrorsListener;
  },
};
