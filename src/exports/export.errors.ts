import { DomainError } from '../common/domain-error.js';

/** Each process streams a few exports at once; more would hold every bulk connection. */
export class TooManyExportsError extends DomainError {
  constructor(limit: number) {
    super('RATE_LIMITED', `At most ${limit} exports are streamed at once; try again shortly`, { limit });
  }
}
