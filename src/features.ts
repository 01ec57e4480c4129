import { AuditEvent } from './audit/audit-event.entity.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { AuthResolver } from './auth/auth.resolver.js';
import { LoginThrottle } from './auth/login-throttle.entity.js';
import { RefreshToken } from './auth/refresh-token.entity.js';
import { User } from './auth/user.entity.js';
import { UserResolver } from './auth/user.resolver.js';
import type { RouteFactory } from './http/route.js';
import { SponsorBankAccount } from './disbursements/sponsor-bank/accounts/sponsor-bank-account.entity.js';
import { Disbursement } from './disbursements/sponsor-bank/envelopes/disbursement.entity.js';
import { DisbursementEnvelope } from './disbursements/sponsor-bank/envelopes/disbursement-envelope.entity.js';
import { EnvelopeResolver } from './disbursements/sponsor-bank/envelopes/envelope.resolver.js';
import { BankStatement } from './disbursements/sponsor-bank/reconciliation/bank-statement.entity.js';
import { ReconciliationError } from './disbursements/sponsor-bank/reconciliation/reconciliation-error.entity.js';
import { ReconciliationResolver } from './disbursements/sponsor-bank/reconciliation/reconciliation.resolver.js';
import { statementRoutes } from './disbursements/sponsor-bank/reconciliation/statement.route.js';

/** Every feature's entities, resolvers and REST routes, in one list each. */
export const entities = [
  User, RefreshToken, LoginThrottle, AuditEvent,
  SponsorBankAccount, DisbursementEnvelope, Disbursement, BankStatement, ReconciliationError,
];

export const resolvers = [AuthResolver, UserResolver, AuditResolver, EnvelopeResolver, ReconciliationResolver] as const;

export const routeFactories: RouteFactory[] = [statementRoutes];
