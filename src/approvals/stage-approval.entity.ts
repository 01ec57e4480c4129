import { randomUUID } from 'node:crypto';
import { Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Role } from '../auth/role.js';
import { DecimalScalar } from '../common/decimal.scalar.js';

@ObjectType({ description: 'What a stage approved: a cycle\'s entitlements at that moment, or an envelope\'s declared disbursements.' })
export class ApprovalTotals {
  @Field(() => Int, { description: 'Entitlements of the cycle, or disbursements of the envelope.' }) count!: number;
  @Field(() => DecimalScalar, { description: 'In the programme currency.' }) amount!: string;
}

/**
 * Who approved which stage, when, and with what comment: what a cycle's and an envelope's approvals share.
 * Registered as an object type only so that both inherit its fields (as Timestamped); nothing returns it.
 */
@ObjectType()
export abstract class StageApproval {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

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

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  comment?: string;

  abstract readonly totals: ApprovalTotals;
}
