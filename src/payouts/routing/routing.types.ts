import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../common/decimal.scalar.js';

@ObjectType()
export class CycleRoute {
  @Field(() => ID, { nullable: true, description: 'Null: no rule matched an available channel.' })
  ruleId?: string;

  @Field(() => String, { nullable: true })
  ruleName?: string;

  @Field(() => ID, { nullable: true })
  channelId?: string;

  @Field(() => String, { nullable: true })
  channelName?: string;

  @Field(() => Int)
  payments!: number;

  @Field(() => DecimalScalar)
  totalAmount!: string;
}

@ObjectType()
export class CycleRoutingPlan {
  @Field(() => ID)
  cycleId!: string;

  @Field(() => [CycleRoute], { description: "Where the cycle's PENDING payments that a send may still route (unbatched, or in READY batches never attempted) would go now, largest group first; sendDisbursements applies the same decision." })
  routes!: CycleRoute[];

  @Field(() => Int, { description: 'Payments no rule routes to an available channel: a send leaves them PENDING, unbatched, with reasonCode ROUTING_NO_CHANNEL.' })
  unroutedPayments!: number;
}
