import { ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Role } from '../auth/role.js';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { Cycle } from '../programmes/cycle.entity.js';
import { ApprovalStage } from './approval-policy.js';

@InputType()
export class ThresholdStageInput {
  @Field(() => Role) role!: Role;
  @Field(() => DecimalScalar, { description: 'Cycles whose total is strictly above it take this stage, after the others.' }) above!: string;
}

@InputType()
export class ApprovalPolicyInput {
  @Field(() => ID) programmeId!: string;
  @Field(() => [Role], { description: 'The role of each stage, in order; [PROGRAM_MANAGER] is the default policy.' })
  @ArrayMinSize(1) @ArrayMaxSize(10) stages!: Role[];
  @Field(() => ThresholdStageInput, { nullable: true }) extraStage?: ThresholdStageInput | null;
}

@ObjectType()
export class ApproveCycleStageResult {
  @Field(() => Cycle) cycle!: Cycle;
  @Field(() => Int, { description: 'The stage approved.' }) stage!: number;
  @Field(() => ApprovalStage, { nullable: true, description: 'The next stage; null when this was the last (the payments are generated).' }) pendingStage!: ApprovalStage | null;
  @Field(() => Int) pendingPayments!: number;
  @Field(() => Int) failedPayments!: number;
  @Field(() => ID, { nullable: true, description: 'The payment generation as a job, after the last stage.' }) jobId?: string;
}
