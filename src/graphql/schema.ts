import 'reflect-metadata';
import { buildSchema, type ContainerType } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { AuditMiddleware } from '../audit/audit.middleware.js';
import { resolvers } from '../features.js';
import { authChecker } from './auth-checker.js';
import { rejectNul } from './reject-nul.middleware.js';

/** Builds the executable schema; resolvers and middlewares are resolved through the app's container. */
export function buildHelaSchema(container?: ContainerType): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    container,
    globalMiddlewares: [AuditMiddleware, rejectNul],
    validate: { forbidUnknownValues: false },
  });
}
