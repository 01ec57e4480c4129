import 'reflect-metadata';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { audited } from '../audit/audit.middleware.js';
import { AuditService } from '../audit/audit.service.js';
import type { Container } from '../container.js';
import { refusalPayloads, resolvers } from '../features.js';
import { RateLimiter } from '../rate-limits/rate-limiter.js';
import { authChecker } from './auth-checker.js';
import type { Context } from './context.js';
import { refusalsAsPayloads, type RefusalPayload } from './refusal-payloads.js';
import { rejectingNul } from './reject-nul.middleware.js';
import { rootFieldRoles } from './root-field-roles.js';
import { validateArgument } from './validate-argument.js';

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
    validateFn: validateArgument,
    // Every subscription brings its own `subscribe` (src/live: PostgreSQL notifications); type-graphql still asks for a PubSub.
    pubSub: NO_PUBSUB,
  });
  if (container) {
    const refusals = Object.fromEntries(Object.entries(refusalPayloads).map(([name, factory]) => [name, factory(container)]));
    wrapRootFields(schema, container.get(AuditService), new RateLimiter(container.config.rateLimits), refusals);
  }
  return schema;
}

type Resolver = GraphQLFieldResolver<unknown, Context>;

const NO_PUBSUB = {
  publish: () => {
    throw new Error('no in-memory bus: live events come from PostgreSQL (src/live)');
  },
  subscribe: () => {
    throw new Error('no in-memory bus: live events come from PostgreSQL (src/live)');
  },
};

/**
 * Outermost, for the openIMIS mutations that report refusals in their payload, the conversion of any
 * refusal below into that payload; then the NUL check (as before: it needs no caller), then the rate
 * limit (after authorization, before anything runs or is written: a refused call leaves no audit
 * event), then the audit, then the resolver.
 */
function wrapRootFields(schema: GraphQLSchema, audit: AuditService, limiter: RateLimiter, refusals: Record<string, RefusalPayload>): void {
  const roots: Array<['query' | 'mutation', GraphQLObjectType | null | undefined]> = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]];
  RateLimiter.checkClasses(roots.flatMap(([, type]) => Object.keys(type?.getFields() ?? {})));
  const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
  const stale = Object.keys(refusals).filter((name) => !mutations.includes(name));
  if (stale.length) throw new Error(`refusalPayloads names unknown mutations: ${stale.join(', ')}`);
  for (const [operation, type] of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      let resolve = (field.resolve ?? defaultFieldResolver) as Resolver;
      if (operation === 'mutation') resolve = audited(audit, resolve);
      resolve = limiter.wrap(field.name, rootFieldRoles(operation, field.name), resolve);
      resolve = rejectingNul(resolve);
      const refusal = operation === 'mutation' ? refusals[field.name] : undefined;
      field.resolve = refusal ? refusalsAsPayloads(refusal, resolve) : resolve;
    }
  }
}
