import type { GraphQLFieldResolver } from 'graphql';
import { BadInputError } from '../common/domain-error.js';

/** Walks every root field's arguments: loops rather than Object.values, so the walk allocates nothing. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) {
    for (const item of value) if (containsNul(item)) return true;
  } else if (value && typeof value === 'object') {
    for (const key in value) if (Object.hasOwn(value, key) && containsNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * PostgreSQL cannot store or even compare a text containing U+0000: the driver fails and the client
 * would see an INTERNAL_SERVER_ERROR. Refusing it up front (from variables or literals alike) turns
 * that into the bad input it is.
 */
export function rejectingNul<TContext>(resolve: GraphQLFieldResolver<unknown, TContext>): GraphQLFieldResolver<unknown, TContext> {
  return (source, args, context, info) => {
    if (containsNul(args)) throw new BadInputError('Text must not contain the NUL character (U+0000)');
    return resolve(source, args, context, info);
  };
}
