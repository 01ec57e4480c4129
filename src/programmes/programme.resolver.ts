import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/role.js';
import { PageArgs, Paginated } from '../common/paging.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { DisbursementBatch } from '../payouts/g2p-connect/batch.entity.js';
import { Cycle } from './cycle.entity.js';
import { DisbursementQueryService } from './programme-query.service.js';
import {
  AddEntitlementsInput, ApproveCycleResult, BatchesArgs, CreateCycleInput, CreateProgrammeInput, CycleSummary, CyclesArgs,
  EnrolBeneficiariesInput, EnrolResult, IntakeReport, IntegrationErrorsArgs, PaymentsArgs, SendDisbursementsInput, SendReport, TagBeneficiariesInput,
} from './programme.inputs.js';
import { EntitlementIntakeService } from './entitlement-intake.service.js';
import { IntegrationError } from '../payouts/integration-error.entity.js';
import { DisbursementPayment } from './payment.entity.js';
import { Programme } from './programme.entity.js';
import { ProgrammeService } from './programme.service.js';
import { SendService } from '../payouts/send.service.js';

@ObjectType() class ProgrammePage extends Paginated(Programme) {}
@ObjectType() class CyclePage extends Paginated(Cycle) {}
@ObjectType() class DisbursementBatchPage extends Paginated(DisbursementBatch) {}
@ObjectType() class DisbursementPaymentPage extends Paginated(DisbursementPayment) {}
@ObjectType() class IntegrationErrorPage extends Paginated(IntegrationError) {}

const MANAGERS = [Role.PROGRAM_MANAGER, Role.ADMIN];
/** A finance approver sees the cycles it is asked to approve. */
const READERS = [...MANAGERS, Role.FINANCE_APPROVER];

/** Programme managers: programmes → enrolment → cycles → entitlements → approval → sending → tracking. */
@Resolver()
export class DisbursementResolver {
  private readonly programmeService: ProgrammeService;
  private readonly intake: EntitlementIntakeService;
  private readonly sender: SendService;
  private readonly queries: DisbursementQueryService;

  constructor(container: Container) {
    this.programmeService = container.get(ProgrammeService);
    this.intake = container.get(EntitlementIntakeService);
    this.sender = container.get(SendService);
    this.queries = container.get(DisbursementQueryService);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => Programme)
  async createProgramme(@Arg('input', () => CreateProgrammeInput) input: CreateProgrammeInput, @Ctx() ctx: Context): Promise<Programme> {
    const programme = await this.programmeService.createProgramme(ctx.em, input);
    ctx.auditEntity = { type: 'Programme', id: programme.id };
    return programme;
  }

  @Authorized(...MANAGERS)
  @Mutation(() => EnrolResult, { description: 'Enrols insurees and families (paid through their head); already enrolled ones are skipped.' })
  enrolBeneficiaries(@Arg('input', () => EnrolBeneficiariesInput) input: EnrolBeneficiariesInput, @Ctx() ctx: Context): Promise<EnrolResult> {
    ctx.auditEntity = { type: 'Programme', id: input.programmeId };
    return this.programmeService.enrol(input.programmeId, { insureeIds: input.insureeIds ?? [], familyIds: input.familyIds ?? [], tags: input.tags });
  }

  @Authorized(...MANAGERS)
  @Mutation(() => Programme, { description: 'Replaces the programme tags; batches cut from now on carry them.' })
  setProgrammeTags(@Arg('programmeId', () => ID) programmeId: string, @Arg('tags', () => [String]) tags: string[], @Ctx() ctx: Context): Promise<Programme> {
    ctx.auditEntity = { type: 'Programme', id: programmeId };
    return this.programmeService.setProgrammeTags(ctx.em, programmeId, tags);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => Int, { description: 'Adds tags to enrolled beneficiaries; returns how many were tagged. Batches cut from now on never mix beneficiaries with different tags.' })
  tagBeneficiaries(@Arg('input', () => TagBeneficiariesInput) input: TagBeneficiariesInput, @Ctx() ctx: Context): Promise<number> {
    ctx.auditEntity = { type: 'Programme', id: input.programmeId };
    return this.programmeService.tagBeneficiaries(input.programmeId, { insureeIds: input.insureeIds ?? [], familyIds: input.familyIds ?? [], tags: input.tags });
  }

  @Authorized(...MANAGERS)
  @Mutation(() => Cycle)
  async createCycle(@Arg('input', () => CreateCycleInput) input: CreateCycleInput, @Ctx() ctx: Context): Promise<Cycle> {
    const cycle = await this.programmeService.createCycle(ctx.em, input);
    ctx.auditEntity = { type: 'Cycle', id: cycle.id };
    return cycle;
  }

  @Authorized(...MANAGERS)
  @Mutation(() => IntakeReport, { description: 'Small sets; a million rows go through POST /disbursements/cycles/:id/entitlements.csv or npm run import:entitlements.' })
  addEntitlements(@Arg('input', () => AddEntitlementsInput) input: AddEntitlementsInput, @Ctx() ctx: Context): Promise<IntakeReport> {
    ctx.auditEntity = { type: 'Cycle', id: input.cycleId };
    return this.intake.importRows(input.cycleId, input.rows, { id: ctx.user!.id, username: ctx.user!.username, requestId: ctx.requestId });
  }

  @Authorized(...MANAGERS)
  @Mutation(() => ApproveCycleResult, {
    description: 'Freezes the entitlements and generates the payments (payee FA from the channel rule): approveCycleStage(stage: 1) of a one-stage policy. A policy of more stages is a CONFLICT naming the next one.',
  })
  async approveCycle(@Arg('cycleId', () => ID) cycleId: string, @Ctx() ctx: Context): Promise<ApproveCycleResult> {
    ctx.auditEntity = { type: 'Cycle', id: cycleId };
    const result = await this.programmeService.approve(ctx.em, cycleId, { ...ctx.user!, requestId: ctx.requestId }, 'only');
    ctx.auditRecorded = true;
    return { cycleId, status: result.cycle.status, pendingPayments: result.pendingPayments, failedPayments: result.failedPayments, jobId: result.jobId! };
  }

  @Authorized(...MANAGERS)
  @Mutation(() => SendReport, { description: 'Batches the pending payments and queues one G2P Connect message per batch, or hands them to a sponsor bank in an envelope. Sending twice is a CONFLICT.' })
  sendDisbursements(@Arg('input', () => SendDisbursementsInput) input: SendDisbursementsInput, @Ctx() ctx: Context): Promise<SendReport> {
    const id = input.cycleId ?? input.channelId ?? input.batchIds?.[0];
    if (id) ctx.auditEntity = { type: input.cycleId ? 'Cycle' : input.channelId ? 'PayoutChannel' : 'DisbursementBatch', id };
    return this.sender.send(input);
  }

  @Authorized(...READERS)
  @Query(() => ProgrammePage)
  programmes(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context): Promise<ProgrammePage> {
    return this.queries.programmes(ctx.em, args);
  }

  @Authorized(...READERS)
  @Query(() => CyclePage)
  cycles(@Args(() => CyclesArgs) args: CyclesArgs, @Ctx() ctx: Context): Promise<CyclePage> {
    return this.queries.cycles(ctx.em, args);
  }

  @Authorized(...READERS)
  @Query(() => CycleSummary, { description: 'Payment and batch counts (and amounts) by status, and the progress of its approval and sends.' })
  cycleSummary(@Arg('cycleId', () => ID) cycleId: string, @Ctx() ctx: Context): Promise<CycleSummary> {
    return this.queries.summary(ctx.em, cycleId);
  }

  @Authorized(...MANAGERS)
  @Query(() => DisbursementBatchPage)
  disbursementBatches(@Args(() => BatchesArgs) args: BatchesArgs, @Ctx() ctx: Context): Promise<DisbursementBatchPage> {
    return this.queries.batches(ctx.em, args);
  }

  @Authorized(...MANAGERS)
  @Query(() => DisbursementPaymentPage)
  disbursementPayments(@Args(() => PaymentsArgs) args: PaymentsArgs, @Ctx() ctx: Context): Promise<DisbursementPaymentPage> {
    return this.queries.payments(ctx.em, args);
  }

  @Authorized(Role.ADMIN, Role.PROGRAM_MANAGER)
  @Query(() => IntegrationErrorPage, { description: 'Failed exchanges with payer systems: batch, operation, HTTP status, code, message, time.' })
  integrationErrors(@Args(() => IntegrationErrorsArgs) args: IntegrationErrorsArgs, @Ctx() ctx: Context): Promise<IntegrationErrorPage> {
    return this.queries.integrationErrors(ctx.em, args);
  }
}
