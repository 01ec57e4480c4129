import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/role.js';
import { BadInputError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { Cycle } from '../programmes/cycle.entity.js';
import { Programme } from '../programmes/programme.entity.js';
import { ProgrammeService } from '../programmes/programme.service.js';
import { ApprovalPolicy, ApprovalStage, describePolicy } from './approval-policy.js';
import { ApprovalPolicyInput, ApproveCycleStageResult } from './approval.inputs.js';
import { ApprovalPolicyService } from './approval-policy.service.js';
import { CycleApproval } from './cycle-approval.entity.js';
import { EnvelopeApproval } from './envelope-approval.entity.js';
import { EnvelopeApprovalService } from './envelope-approval.service.js';
import { DisbursementEnvelope } from '../payouts/sponsor-bank/envelopes/disbursement-envelope.entity.js';
import { EnvelopeService } from '../payouts/sponsor-bank/envelopes/envelope.service.js';
import { type Approver, CycleApprovalService } from './cycle-approval.service.js';

/** Who may take part in a cycle's approval; which stage each may approve is the policy's say. */
export const APPROVERS = [Role.PROGRAM_MANAGER, Role.FINANCE_APPROVER, Role.ADMIN];

function approver(ctx: Context): Approver {
  return { ...ctx.user!, requestId: ctx.requestId };
}

/** An approval's comment fits its column (500 characters); null and absent are both "no comment". */
function checkedComment(comment: string | null | undefined): string | undefined {
  if (comment && comment.length > 500) throw new BadInputError('comment is at most 500 characters', { field: 'comment' });
  return comment ?? undefined;
}

/** The approval stages of cycles: who approved what, what is next, approve and reject. */
@Resolver(() => Cycle)
export class CycleApprovalResolver {
  private readonly service: CycleApprovalService;
  private readonly programmes: ProgrammeService;

  constructor(container: Container) {
    this.service = container.get(CycleApprovalService);
    this.programmes = container.get(ProgrammeService);
  }

  @FieldResolver(() => [CycleApproval], { description: 'The approved stages of the current round (a change of entitlements or a rejection starts a new one).' })
  approvals(@Root() cycle: Cycle, @Ctx() ctx: Context): Promise<CycleApproval[]> {
    return this.service.approvals(ctx.em, cycle);
  }

  @FieldResolver(() => ApprovalStage, { nullable: true, description: 'The next stage to approve; null once approved.' })
  pendingStage(@Root() cycle: Cycle): Promise<ApprovalStage | null> {
    return this.service.pendingStage(cycle.id);
  }

  @Authorized(...APPROVERS)
  @Mutation(() => ApproveCycleStageResult, {
    description: 'Approves one stage of the programme policy, in order; the last stage freezes the entitlements and generates the payments. With FOUR_EYES, the maker of the entitlements approves no stage and no one approves two.',
  })
  async approveCycleStage(
    @Arg('cycleId', () => ID) cycleId: string,
    @Arg('stage', () => Int) stage: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<ApproveCycleStageResult> {
    ctx.auditEntity = { type: 'Cycle', id: cycleId };
    const result = await this.programmes.approve(ctx.em, cycleId, approver(ctx), stage, checkedComment(comment));
    ctx.auditRecorded = true;
    return {
      cycle: result.cycle,
      stage: result.stage,
      pendingStage: await this.service.pendingStage(cycleId),
      pendingPayments: result.pendingPayments,
      failedPayments: result.failedPayments,
      jobId: result.jobId,
    };
  }

  @Authorized(...APPROVERS)
  @Mutation(() => Cycle, { description: 'Sends a cycle in approval back to draft: every approval of it is cleared (the audit trail keeps them and the reason).' })
  async rejectCycle(@Arg('cycleId', () => ID) cycleId: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: Context): Promise<Cycle> {
    ctx.auditEntity = { type: 'Cycle', id: cycleId };
    await this.service.reject(cycleId, approver(ctx), reason);
    ctx.auditRecorded = true;
    const cycle = await this.programmes.cycle(ctx.em, cycleId);
    await ctx.em.refresh(cycle);
    return cycle;
  }
}

/** A programme's approval policy. */
@Resolver(() => Programme)
export class ApprovalPolicyResolver {
  private readonly policies: ApprovalPolicyService;

  constructor(container: Container) {
    this.policies = container.get(ApprovalPolicyService);
  }

  @FieldResolver(() => ApprovalPolicy)
  approvalPolicy(@Root() programme: Programme): ApprovalPolicy {
    return describePolicy(programme.approvalPolicy);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Programme, { description: "Sets a programme's approval stages (an admin's say: a programme manager does not lower the bar for itself)." })
  async setApprovalPolicy(@Arg('input', () => ApprovalPolicyInput) input: ApprovalPolicyInput, @Ctx() ctx: Context): Promise<Programme> {
    ctx.auditEntity = { type: 'Programme', id: input.programmeId };
    return this.policies.set(ctx.em, input);
  }
}

/** The approval stages of sponsor-bank envelopes created through the API (FOUR_EYES). */
@Resolver(() => DisbursementEnvelope)
export class EnvelopeApprovalResolver {
  private readonly service: EnvelopeApprovalService;
  private readonly envelopes: EnvelopeService;

  constructor(container: Container) {
    this.service = container.get(EnvelopeApprovalService);
    this.envelopes = container.get(EnvelopeService);
  }

  @FieldResolver(() => [EnvelopeApproval])
  approvals(@Root() envelope: DisbursementEnvelope, @Ctx() ctx: Context): Promise<EnvelopeApproval[]> {
    return this.service.approvals(ctx.em, envelope.id);
  }

  @FieldResolver(() => ApprovalStage, { nullable: true, description: 'The next stage to approve; null when none is needed or all are approved.' })
  pendingStage(@Root() envelope: DisbursementEnvelope): Promise<ApprovalStage | null> {
    return this.service.pendingStage(envelope.envelopeId);
  }

  @Authorized(...APPROVERS)
  @Mutation(() => DisbursementEnvelope, {
    description: "Approves one stage of an API-created envelope (the stages of its programme's policy, on its declared total); after the last, the bank steps may run. With FOUR_EYES, its creator approves no stage and no one approves two.",
  })
  async approveDisbursementEnvelope(
    @Arg('envelopeId', () => String) envelopeId: string,
    @Arg('stage', () => Int) stage: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<DisbursementEnvelope> {
    ctx.auditEntity = { type: 'DisbursementEnvelope', id: envelopeId };
    await this.service.approve(envelopeId, stage, approver(ctx), checkedComment(comment));
    ctx.auditRecorded = true;
    return this.envelopes.envelope(ctx.em.fork(), envelopeId);
  }
}
