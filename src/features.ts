import { AuditEvent } from './audit/audit-event.entity.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { LoginThrottle } from './auth/login-throttle.entity.js';
import { RefreshToken } from './auth/refresh-token.entity.js';
import { User } from './auth/user.entity.js';
import { UserResolver } from './auth/user.resolver.js';
import { DisbursementBatch } from './disbursements/batch.entity.js';
import { Beneficiary } from './disbursements/beneficiary.entity.js';
import { Cycle } from './disbursements/cycle.entity.js';
import { Entitlement } from './disbursements/entitlement.entity.js';
import { IntegrationError } from './disbursements/integration-error.entity.js';
import { DisbursementPayment } from './disbursements/payment.entity.js';
import { Programme } from './disbursements/programme.entity.js';
import { PayoutChannel } from './disbursements/channels/payout-channel.entity.js';
import { PayoutChannelResolver } from './disbursements/channels/payout-channel.resolver.js';
import type { RouteFactory } from './http/route.js';
import type { StartableFactory } from './jobs/startable.js';

/** Every feature's entities, resolvers and REST routes, in one list each. */
export const entities = [
  User, RefreshToken, LoginThrottle, AuditEvent, PayoutChannel,
  Programme, Beneficiary, Cycle, Entitlement, DisbursementBatch, DisbursementPayment, IntegrationError,
];

export const resolvers = [AuthResolver, UserResolver, AuditResolver, PayoutChannelResolver] as const;

export const routeFactories: RouteFactory[] = [];

/** Background workers (pg-boss handlers, sweepers); run by `npm start` when WORKERS_ENABLED and by `npm run worker`. */
export const startables: StartableFactory[] = [];
