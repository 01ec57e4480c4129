import { AuditEvent } from './audit/audit-event.entity.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { LoginThrottle } from './auth/login-throttle.entity.js';
import { RefreshToken } from './auth/refresh-token.entity.js';
import { User } from './auth/user.entity.js';
import { UserResolver } from './auth/user.resolver.js';
import type { RouteFactory } from './http/route.js';
import type { StartableFactory } from './jobs/startable.js';

/** Every feature's entities, resolvers and REST routes, in one list each. */
export const entities = [User, RefreshToken, LoginThrottle, AuditEvent];

export const resolvers = [AuthResolver, UserResolver, AuditResolver] as const;

export const routeFactories: RouteFactory[] = [];

/** Background workers (pg-boss handlers, sweepers); run by `npm start` when WORKERS_ENABLED and by `npm run worker`. */
export const startables: StartableFactory[] = [];
