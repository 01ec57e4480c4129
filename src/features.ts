import { AuditEvent } from './audit/audit-event.entity.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { LoginThrottle } from './auth/login-throttle.entity.js';
import { RefreshToken } from './auth/refresh-token.entity.js';
import { User } from './auth/user.entity.js';
import { UserResolver } from './auth/user.resolver.js';
import { PayoutChannel } from './disbursements/channels/payout-channel.entity.js';
import { PayoutChannelResolver } from './disbursements/channels/payout-channel.resolver.js';
import type { RouteFactory } from './http/route.js';

/** Every feature's entities, resolvers and REST routes, in one list each. */
export const entities = [User, RefreshToken, LoginThrottle, AuditEvent, PayoutChannel];

export const resolvers = [AuthResolver, UserResolver, AuditResolver, PayoutChannelResolver] as const;

export const routeFactories: RouteFactory[] = [];
