import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Cycle } from '../programmes/cycle.entity.js';
import { ApprovalTotals, StageApproval } from './stage-approval.entity.js';

/**
 * One approved stage of a cycle. `round` counts the resets (entitlements changed, cycle rejected): only the
 * approvals of the cycle's current round count, and the unique key makes "one approval per stage" hold in the
 * database too, whatever races above it. "No one approves two stages" is a FOUR_EYES rule (a single-admin
 * installation approves every stage itself), checked under the cycle's row lock.
 */
@ObjectType()
@Entity({ tableName: 'cycle_approvals' })
@Unique({ properties: ['cycle', 'round', 'stage'] })
export class CycleApproval extends StageApproval {
  @ManyToOne(() => Cycle, { deleteRule: 'cascade' })
  cycle!: Cycle;

  @Property({ type: 'integer' })
  round!: number;

  @Property({ type: 'integer' })
  entitlementCount!: number;

  @Property({ type: 'decimal', columnType: 'numeric' })
  totalAmount!: string;

  @Field(() => ApprovalTotals)
  get totals(): ApprovalTotals {
    return { count: this.entitlementCount, amount: this.totalAmount };
  }
}
