import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { DisbursementEnvelope } from '../payouts/sponsor-bank/envelopes/disbursement-envelope.entity.js';
import { ApprovalTotals, StageApproval } from './stage-approval.entity.js';

/** One approved stage of an API-created sponsor-bank envelope; its totals are the envelope's declared ones (they never change). */
@ObjectType()
@Entity({ tableName: 'envelope_approvals' })
@Unique({ properties: ['envelope', 'stage'] })
export class EnvelopeApproval extends StageApproval {
  @ManyToOne(() => DisbursementEnvelope, { deleteRule: 'cascade' })
  envelope!: DisbursementEnvelope;

  @Property({ type: 'integer' })
  disbursementCount!: number;

  @Property({ type: 'decimal', columnType: 'numeric' })
  totalAmount!: string;

  @Field(() => ApprovalTotals, { description: 'The envelope as declared: number of disbursements and total.' })
  get totals(): ApprovalTotals {
    return { count: this.disbursementCount, amount: this.totalAmount };
  }
}
