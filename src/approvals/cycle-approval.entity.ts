import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Role } from '../auth/role.js';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { Cycle } from '../programmes/cycle.entity.js';

@ObjectType({ description: 'What a stage approved: a cycle\'s entitlements at that moment, or an envelope\'s declared disbursements.' })
export class ApprovalTotals {
  @Field(() => Int, { description: 'Entitlements of the cycle, or disbursements of the envelope.' }) count!: number;
  @Field(() => DecimalScalar, { description: 'In the programme currency.' }) amount!: string;
}

/**
 * One approved stage of a cycle. `round` counts the resets (entitlements changed, cycle rejected): only the
 * approvals of the cycle's current round count, and the unique key makes "one approval per stage" hold in the
 * database too, whatever races above it. "No one approves two stages" is a FOUR_EYES rule (a single-admin
 * installation approves every stage itself), checked under the cycle's row lock.
 */
@ObjectType()
@Entity({ tableName: 'cycle_approvals' })
@Unique({ properties: ['cycle', 'round', 'stage'] })
export class CycleApproval {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Cycle, { deleteRule: 'cascade' })
  cycle!: Cycle;

  @Property({ type: 'integer' })
  round!: number;

  @Field(() => Int, { description: '1-based, in the order of the policy.' })
  @Property({ type: 'integer' })
  stage!: number;

  @Field(() => Role, { description: 'The role the stage asked for.' })
  @Enum({ items: () => Role })
  role!: Role;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  approvedById!: string;

  @Field(() => String, { description: 'Username of the approver.' })
  @Property({ type: 'string', length: 150 })
  approvedBy!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  approvedAt: Date = new Date();

  @Property({ type: 'integer' })
  entitlementCount!: number;

  @Property({ type: 'decimal', precision: 20, scale: 2 })
  totalAmount!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  comment?: string;

  @Field(() => ApprovalTotals)
  get totals(): ApprovalTotals {
    return { count: this.entitlementCount, amount: this.totalAmount };
  }
}
