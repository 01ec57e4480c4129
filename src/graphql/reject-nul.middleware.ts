import type { MiddlewareFn } from 'type-graphql';
import { BadInputError } from '../common/domain-error.js';

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.values(value).some(containsNul);
  return false;
}

/**
 * PostgreSQL cannot store or even compare a text containing U+0000: the driver fails and the client
 * would see an INTERNAL_SERVER_ERROR. Refusing it up front, for every field's arguments (from
 * variables or literals alike), turns that into the bad input it is.
 */
export const rejectNul: MiddlewareFn = ({ args }, next) => {
  if (containsNul(args)) throw new BadInputError('Text must not contain the NUL character (U+0000)');
  return next();
};
