import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Role } from '../auth/role.js';
import { DisbursementEnvelope } from '../payouts/sponsor-bank/envelopes/disbursement-envelope.entity.js';
import { ApprovalTotals } from './cycle-approval.entity.js';

/** One approved stage of an API-created sponsor-bank envelope; its totals are the envelope's declared ones (they never change). */
@ObjectType()
@Entity({ tableName: 'envelope_approvals' })
@Unique({ properties: ['envelope', 'stage'] })
export class EnvelopeApproval {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => DisbursementEnvelope, { deleteRule: 'cascade' })
  envelope!: DisbursementEnvelope;

  @Field(() => Int)
  @Property({ type: 'integer' })
  stage!: number;

  @Field(() => Role)
  @Enum({ items: () => Role })
  role!: Role;

  @Field(() => ID)
  @Property({ type: 'uuid' })
  approvedById!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 150 })
  approvedBy!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  approvedAt: Date = new Date();

  @Property({ type: 'integer' })
  disbursementCount!: number;

  @Property({ type: 'decimal', precision: 18, scale: 2 })
  totalAmount!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  comment?: string;

  @Field(() => ApprovalTotals, { description: 'The envelope as declared: number of disbursements and total.' })
  get totals(): ApprovalTotals {
    return { count: this.disbursementCount, amount: this.totalAmount };
  }
}
