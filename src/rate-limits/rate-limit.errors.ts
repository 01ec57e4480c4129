import { DomainError } from '../common/domain-error.js';

/** The caller's bucket for this kind of operation is empty; the call was not executed. */
export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many requests; try again later', { retryAfterSeconds });
  }
}
