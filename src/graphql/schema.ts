import 'reflect-metadata';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { audited } from '../audit/audit.middleware.js';
import { AuditService } from '../audit/audit.service.js';
import type { Container } from '../container.js';
import { resolvers } from '../features.js';
import { RateLimiter } from '../rate-limits/rate-limiter.js';
import { authChecker } from './auth-checker.js';
import type { Context } from './context.js';
import { rejectingNul } from './reject-nul.middleware.js';
import { rootFieldRoles } from './root-field-roles.js';

/**
 * Builds the executable schema; resolvers are resolved through the app's container. Arguments
 * arrive only at root fields here, so NUL checks, rate limits and auditing wrap those alone: nested
 * fields keep type-graphql's synchronous fast path (a global middleware would make every field async).
 */
export async function buildHelaSchema(container?: Container): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    container: container && { get: (cls) => container.get(cls) },
    validate: { forbidUnknownValues: false },
  });
  if (container) wrapRootFields(schema, container.get(AuditService), new RateLimiter(container.config.rateLimits));
  return schema;
}

type Resolver = GraphQLFieldResolver<unknown, Context>;

/**
 * Outermost the NUL check (as before: it needs no caller), then the rate limit (after authorization,
 * before anything runs or is written: a refused call leaves no audit event), then the resolver.
 */
function wrapRootFields(schema: GraphQLSchema, audit: AuditService, limiter: RateLimiter): void {
  const roots: Array<['query' | 'mutation', GraphQLObjectType | null | undefined]> = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]];
  RateLimiter.checkClasses(roots.flatMap(([, type]) => Object.keys(type?.getFields() ?? {})));
  for (const [operation, type] of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      let resolve = (field.resolve ?? defaultFieldResolver) as Resolver;
      if (operation === 'mutation') resolve = audited(audit, resolve);
      resolve = limiter.wrap(field.name, rootFieldRoles(operation, field.name), resolve);
      field.resolve = rejectingNul(resolve);
    }
  }
}
