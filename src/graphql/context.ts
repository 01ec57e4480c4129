import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestCredentials } from '../auth/auth-cookies.js';
import type { Role } from '../auth/role.js';
import type { DomainError } from '../common/domain-error.js';
import type { Logger } from '../logger.js';
import type { GraphqlOutcome } from '../observability/graphql-metrics.plugin.js';

export interface AuthUser {
  id: string;
  username: string;
  roles: Role[];
}

/** What one GraphQL request sees: its own EntityManager fork, the caller, and a request-scoped logger. */
export interface Context {
  em: EntityManager;
  user?: AuthUser;
  /** Why a presented token was refused; surfaced only when an operation needs authentication. */
  authError?: DomainError;
  /** What the HTTP request carried (see auth/auth-cookies.ts), and the cookies the response sets. */
  http: {
    credentials: RequestCredentials;
    origin?: string;
    host?: string;
    secureCookies: boolean;
    setCookies: string[];
  };
  requestId: string;
  log: Logger;
  /** The TCP peer's address (never X-Forwarded-For): what anonymous calls are rate limited by. */
  clientAddress?: string;
  /** Set when the rate limiter refused a root field: the longest wait, for HTTP 429's Retry-After. */
  retryAfterSeconds?: number;
  /** Set by a resolver so the audit trail names the entity a mutation touched. */
  auditEntity?: { type: string; id: string };
  /** Set by a resolver whose service already wrote the audit event (in its own statement): no second one. */
  auditRecorded?: boolean;
  /** Changes this request left for a second admin (FOUR_EYES): the response's extensions.pendingChanges. */
  pendingChanges?: Array<{ id: string; operation: string; expiresAt: string }>;
  /** Filled as the request runs (one object, shared by Apollo's copies of the context): operation, outcome code. */
  readonly outcome: GraphqlOutcome;
}
