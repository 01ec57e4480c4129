import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { BadInputError, DomainError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import type { Context } from './context.js';

/**
 * Builds the payload that reports a refusal of one openIMIS mutation, e.g. `{ Success: false,
 * responseMessage, detail, errorCode }`; may write the mutation log as openIMIS does.
 */
export type RefusalPayload = (refusal: DomainError, args: Record<string, any>, context: Context) => unknown;
export type RefusalPayloadFactory = (container: Container) => RefusalPayload;

/**
 * The openIMIS front end reads `data.<mutation>.Success === false` to show a failure and takes a
 * null payload with an error for success ("Transaction is Sucessfull"). For the mutations registered
 * here every refusal, wherever it was raised (input validation, the role check, the rate limiter, the
 * service), becomes that mutation's payload. Only UNAUTHENTICATED stays a GraphQL error, as in
 * graphql_jwt, and so do faults (masked as INTERNAL_SERVER_ERROR and logged).
 */
export function refusalsAsPayloads(build: RefusalPayload, resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  return async (source, args, context, info) => {
    try {
      return await resolve(source, args, context, info);
    } catch (error) {
      const refusal = asRefusal(error);
      if (!refusal || refusal.code === 'UNAUTHENTICATED') throw error;
      return build(refusal, args, context);
    }
  };
}

function asRefusal(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  // type-graphql's ArgumentValidationError (class-validator): bad input, with the rules it broke.
  if (error instanceof GraphQLError && error.extensions?.code === 'BAD_USER_INPUT') {
    const failures = (error.extensions.validationErrors ?? []) as ValidationFailure[];
    const rules = failures.flatMap(constraintMessages);
    return new BadInputError(rules.length ? rules.join('; ') : error.message);
  }
  return undefined;
}

interface ValidationFailure {
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

function constraintMessages(failure: ValidationFailure): string[] {
  return [...Object.values(failure.constraints ?? {}), ...(failure.children ?? []).flatMap(constraintMessages)];
}
