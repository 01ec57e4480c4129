import 'reflect-metadata';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { audited } from '../audit/audit.middleware.js';
import { AuditService } from '../audit/audit.service.js';
import type { Container } from '../container.js';
import { resolvers } from '../features.js';
import { authChecker } from './auth-checker.js';
import { rejectingNul } from './reject-nul.middleware.js';

/**
 * Builds the executable schema; resolvers are resolved through the app's container. Arguments
 * arrive only at root fields here, so NUL checks and auditing wrap those alone: nested fields keep
 * type-graphql's synchronous fast path (a global middleware would make every field async).
 */
export async function buildHelaSchema(container?: Container): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    container: container && { get: (cls) => container.get(cls) },
    validate: { forbidUnknownValues: false },
  });
  if (container) wrapRootFields(schema, container.get(AuditService));
  return schema;
}

function wrapRootFields(schema: GraphQLSchema, audit: AuditService): void {
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    field.resolve = rejectingNul(field.resolve ?? defaultFieldResolver);
  }
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    field.resolve = rejectingNul(audited(audit, (field.resolve ?? defaultFieldResolver) as Parameters<typeof audited>[1]));
  }
}

