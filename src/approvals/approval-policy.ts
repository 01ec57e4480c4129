import { Field, Int, ObjectType } from 'type-graphql';
import { Role } from '../auth/role.js';
import { DecimalScalar } from '../common/decimal.scalar.js';
import { compareDecimals } from '../common/money.js';

/** What `programmes.approval_policy` holds; null there is the default policy. */
export interface ApprovalPolicyValue {
  /** The role of each stage, in order. */
  stages: Role[];
  /** A stage added after the others for cycles whose total is above `above`. */
  extraStage?: { role: Role; above: string } | null;
}

/** Today's behaviour: one stage, any programme manager (or admin). */
export const DEFAULT_POLICY: ApprovalPolicyValue = Object.freeze({ stages: [Role.PROGRAM_MANAGER], extraStage: null });

@ObjectType()
export class ApprovalStage {
  @Field(() => Int, { description: '1-based.' }) stage!: number;
  @Field(() => Role, { description: 'Who may approve it: a holder of this role, or an ADMIN.' }) role!: Role;
}

@ObjectType({ description: 'Extra stage for cycles whose total is above `above`.' })
export class ThresholdStage {
  @Field(() => Role) role!: Role;
  @Field(() => DecimalScalar, { description: 'In the programme currency; a cycle total strictly above it takes the extra stage.' }) above!: string;
}

@ObjectType({ description: "A programme's approval stages (README: Approvals and pending changes)." })
export class ApprovalPolicy {
  @Field(() => [ApprovalStage]) stages!: ApprovalStage[];
  @Field(() => ThresholdStage, { nullable: true }) extraStage?: ThresholdStage | null;
}

export function policyOf(value: ApprovalPolicyValue | null | undefined): ApprovalPolicyValue {
  return value ?? DEFAULT_POLICY;
}

export function describePolicy(value: ApprovalPolicyValue | null | undefined): ApprovalPolicy {
  const policy = policyOf(value);
  return { stages: policy.stages.map((role, i) => ({ stage: i + 1, role })), extraStage: policy.extraStage ?? null };
}

/** The stages a cycle of this total must pass, in order. */
export function stagesFor(value: ApprovalPolicyValue | null | undefined, total: string): ApprovalStage[] {
  const policy = policyOf(value);
  const roles = [...policy.stages];
  if (policy.extraStage && compareDecimals(total, policy.extraStage.above) > 0) roles.push(policy.extraStage.role);
  return roles.map((role, i) => ({ stage: i + 1, role }));
}

/** ADMIN may approve any stage (as it may do all a programme manager does); the four-eyes rules still hold for it. */
export function mayApprove(roles: readonly Role[], stage: ApprovalStage): boolean {
  return roles.includes(stage.role) || roles.includes(Role.ADMIN);
}

