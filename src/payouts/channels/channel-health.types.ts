import { Field, Int, ObjectType } from 'type-graphql';
import { CircuitState } from './channel-health.entity.js';

@ObjectType({ description: 'How a counterpart has been answering, as its circuit breaker sees it.' })
export class ChannelHealth {
  @Field(() => CircuitState, { description: 'OPEN: calls are refused at once until openedUntil; HALF_OPEN: the next call (or the one under way) is a probe.' })
  state!: CircuitState;

  @Field(() => Int, { description: 'Failed calls in a row (timeouts, lost answers, 5xx, refused connections); a success resets it.' })
  consecutiveFailures!: number;

  @Field(() => Int, { description: 'Failures in a row that open the breaker (CIRCUIT_BREAKER_FAILURE_THRESHOLD).' })
  failureThreshold!: number;

  @Field(() => Date, { nullable: true })
  lastFailureAt?: Date;

  @Field(() => String, { nullable: true, description: 'What the last failure was, e.g. "UNKNOWN: no answer within 2000 ms".' })
  lastFailure?: string;

  @Field(() => Date, { nullable: true, description: 'When the breaker last opened.' })
  openedAt?: Date;

  @Field(() => Date, { nullable: true, description: 'While OPEN: when a probe call will be let through.' })
  openedUntil?: Date;
}
