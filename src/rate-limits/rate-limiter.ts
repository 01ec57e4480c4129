import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import type { Role } from '../auth/role.js';
import type { Config } from '../config.js';
import { authorize } from '../graphql/auth-checker.js';
import type { Context } from '../graphql/context.js';
import { clientAddressKey } from './client-address.js';
import { RateLimitedError } from './rate-limit.errors.js';
import { TokenBuckets } from './token-buckets.js';

export type OperationClass = keyof Config['rateLimits'];

/**
 * Root fields with a class of their own; every other field a signed-in user calls is `default`, and
 * a public field called without a valid token is `anonymous`.
 * - psp: the external PSP API, where guessing insuree ids (enumeration) is the abuse to stop.
 * - otp: each initiateTransaction sends a message to a wallet; processTransaction checks a code.
 */
export const OPERATION_CLASSES: Readonly<Record<string, OperationClass>> = {
  verifyInsuree: 'psp',
  processPayment: 'psp',
  initiateTransaction: 'otp',
  processTransaction: 'otp',
};

type Resolver = GraphQLFieldResolver<unknown, Context>;

/**
 * Per-operation rate limits, applied to each root field call (so every alias in a document counts,
 * which a limit on HTTP requests would miss). Callers are keyed by user id once authenticated, else
 * by client address; one TokenBuckets per class, in this process's memory.
 */
export class RateLimiter {
  private readonly buckets: Partial<Record<OperationClass, TokenBuckets>> = {};

  constructor(limits: Config['rateLimits'], now?: () => number) {
    for (const [operationClass, limit] of Object.entries(limits) as Array<[OperationClass, Config['rateLimits'][OperationClass]]>) {
      if (limit.perMinute > 0) this.buckets[operationClass] = new TokenBuckets(limit, now);
    }
  }

  /** Throws at start-up when OPERATION_CLASSES names a field the schema does not have (renamed, removed). */
  static checkClasses(rootFieldNames: readonly string[]): void {
    const stale = Object.keys(OPERATION_CLASSES).filter((name) => !rootFieldNames.includes(name));
    if (stale.length) throw new Error(`OPERATION_CLASSES names unknown root fields: ${stale.join(', ')}`);
  }

  /**
   * Wraps one root field; `roles` as @Authorized gives them (undefined: public). Returns `resolve`
   * itself when no enabled limit can apply, so a disabled class costs nothing.
   */
  wrap(fieldName: string, roles: readonly Role[] | undefined, resolve: Resolver): Resolver {
    const operationClass = OPERATION_CLASSES[fieldName] ?? 'default';
    const signedIn = this.buckets[operationClass];
    const anonymous = roles === undefined ? this.buckets.anonymous : undefined;
    if (!signedIn && !anonymous) return resolve;
    return (source, args, context, info) => {
      // type-graphql checks authorization again inside `resolve`. Checking first here makes the caller
      // known and keeps UNAUTHENTICATED and FORBIDDEN exactly as they were: a refused caller spends nothing.
      if (roles) authorize(context, roles);
      const { user } = context;
      if (user) {
        if (signedIn) this.take(signedIn, operationClass, user.id, context, info);
      } else if (anonymous) {
        this.take(anonymous, 'anonymous', clientAddressKey(context.clientAddress), context, info);
      }
      return resolve(source, args, context, info);
    };
  }

  private take(buckets: TokenBuckets, operationClass: OperationClass, key: string, context: Context, info: GraphQLResolveInfo): void {
    const refusal = buckets.take(key);
    if (!refusal) return;
    if (refusal.warn) {
      const caller = context.user ? { userId: context.user.id, username: context.user.username } : { clientAddress: key };
      context.log.warn({ operationClass, ...caller, operation: info.fieldName, limit: buckets.limit },
        'rate limit exceeded; further refusals of this caller are not logged for a minute');
    }
    context.retryAfterSeconds = Math.max(context.retryAfterSeconds ?? 0, refusal.retryAfterSeconds);
    throw new RateLimitedError(refusal.retryAfterSeconds);
  }
}
