import { getMetadataStorage } from 'type-graphql';
import type { Role } from '../auth/role.js';
import { resolvers } from '../features.js';

type Storage = ReturnType<typeof getMetadataStorage>;
/** type-graphql keys its metadata by class (its `Function` type). */
type Target = Storage['queries'][number]['target'];

function isOurs(target: Target): boolean {
  return resolvers.some((cls) => cls === target || cls.prototype instanceof target);
}

/**
 * The roles type-graphql enforces on a root field, read from its metadata: undefined when the field
 * has no @Authorized (public), [] for any signed-in user, else one of these roles.
 */
export function rootFieldRoles(operation: 'query' | 'mutation', fieldName: string): Role[] | undefined {
  const storage = getMetadataStorage();
  const handlers = operation === 'query' ? storage.queries : storage.mutations;
  const handler = handlers.find((h) => h.schemaName === fieldName && isOurs(h.target));
  if (!handler) throw new Error(`no resolver metadata for ${operation} field ${fieldName}`);
  const onField = storage.authorizedFields.find((a) => a.target === handler.target && a.fieldName === handler.methodName);
  return (onField ?? storage.authorizedResolver.find((a) => a.target === handler.target))?.roles as Role[] | undefined;
}
