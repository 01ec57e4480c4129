import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { HELD } from '../../../approvals/held-operations.js';
import { PendingChangeService } from '../../../approvals/pending-change.service.js';
import { Role } from '../../../auth/role.js';
import { BadInputError } from '../../../common/domain-error.js';
import type { Container } from '../../../container.js';
import type { Context } from '../../../graphql/context.js';
import { SponsorBankAccount } from '../accounts/sponsor-bank-account.entity.js';
import { SponsorBankAccountService } from '../accounts/sponsor-bank-account.service.js';
import { SponsorBankTransfer } from './sponsor-bank-transfer.entity.js';
import { DisbursementEnvelope } from './disbursement-envelope.entity.js';
import { EnvelopePipeline } from './envelope-pipeline.service.js';
import { CancelDisbursementsInput, CreateDisbursementEnvelopeInput, CreateDisbursementsInput, SponsorBankAccountInput } from './envelope.inputs.js';
import { EnvelopeService } from './envelope.service.js';
import { EnvelopeApprovalService } from '../../../approvals/envelope-approval.service.js';

const MANAGERS = [Role.ADMIN, Role.PROGRAM_MANAGER];

@Resolver(() => SponsorBankTransfer)
export class EnvelopeResolver {
  private readonly envelopes: EnvelopeService;
  private readonly accounts: SponsorBankAccountService;
  private readonly pipeline: EnvelopePipeline;
  private readonly approvals: EnvelopeApprovalService;

  private readonly held: PendingChangeService;

  constructor(container: Container) {
    this.held = container.get(PendingChangeService);
    this.envelopes = container.get(EnvelopeService);
    this.accounts = container.get(SponsorBankAccountService);
    this.pipeline = container.get(EnvelopePipeline);
    this.approvals = container.get(EnvelopeApprovalService);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => SponsorBankAccount, { description: "Sets a programme's sponsor bank (connector code) and funding account." })
  async configureSponsorBankAccount(@Arg('input', () => SponsorBankAccountInput) input: SponsorBankAccountInput, @Ctx() ctx: Context): Promise<SponsorBankAccount> {
    const account = await this.held.hold(ctx, HELD.configureSponsorBankAccount, { input });
    ctx.auditEntity = { type: 'SponsorBankAccount', id: account.id };
    return account;
  }

  @Authorized(...MANAGERS)
  @Query(() => [SponsorBankAccount])
  sponsorBankAccounts(@Ctx() ctx: Context): Promise<SponsorBankAccount[]> {
    return this.accounts.list(ctx.em);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => DisbursementEnvelope, { description: 'Idempotent on envelopeId: the same content returns the same envelope; different content is CONFLICT.' })
  createDisbursementEnvelope(@Arg('input', () => CreateDisbursementEnvelopeInput) input: CreateDisbursementEnvelopeInput, @Ctx() ctx: Context): Promise<DisbursementEnvelope> {
    ctx.auditEntity = { type: 'DisbursementEnvelope', id: input.envelopeId };
    return this.envelopes.createEnvelope(ctx.em, input, ctx.user?.id);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => [SponsorBankTransfer], { description: 'Idempotent per disbursementId; never beyond the declared count and total.' })
  createDisbursements(@Arg('input', () => CreateDisbursementsInput) input: CreateDisbursementsInput, @Ctx() ctx: Context): Promise<SponsorBankTransfer[]> {
    ctx.auditEntity = { type: 'DisbursementEnvelope', id: input.envelopeId };
    return this.envelopes.createDisbursements(ctx.em, input, ctx.user?.id);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => DisbursementEnvelope, { description: 'Only before the schedule date; cancels every disbursement not yet sent.' })
  cancelDisbursementEnvelope(@Arg('envelopeId', () => String) envelopeId: string, @Ctx() ctx: Context): Promise<DisbursementEnvelope> {
    ctx.auditEntity = { type: 'DisbursementEnvelope', id: envelopeId };
    return this.envelopes.cancelEnvelope(ctx.em, envelopeId, ctx.user?.id);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => [SponsorBankTransfer], { description: 'Only before the schedule date and before they are sent.' })
  cancelDisbursements(@Arg('input', () => CancelDisbursementsInput) input: CancelDisbursementsInput, @Ctx() ctx: Context): Promise<SponsorBankTransfer[]> {
    ctx.auditEntity = { type: 'DisbursementEnvelope', id: input.envelopeId };
    return this.envelopes.cancelDisbursements(ctx.em, input, ctx.user?.id);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => DisbursementEnvelope, {
    description: 'Runs the due bank steps now (funds check, block, initiation on or after the schedule date) instead of waiting for the worker.',
  })
  async processDisbursementEnvelope(@Arg('envelopeId', () => String) envelopeId: string, @Ctx() ctx: Context): Promise<DisbursementEnvelope> {
    await this.envelopes.envelope(ctx.em, envelopeId);
    ctx.auditEntity = { type: 'DisbursementEnvelope', id: envelopeId };
    await this.approvals.assertApproved(envelopeId);
    // A worker may be on it right now: wait for its lease rather than report a half-done state.
    await this.pipeline.process(envelopeId, 30_000);
    return this.envelopes.envelope(ctx.em.fork(), envelopeId);
  }

  @Authorized(...MANAGERS)
  @Query(() => DisbursementEnvelope)
  disbursementEnvelopeStatus(@Arg('envelopeId', () => String) envelopeId: string, @Ctx() ctx: Context): Promise<DisbursementEnvelope> {
    return this.envelopes.envelope(ctx.em, envelopeId);
  }

  @Authorized(...MANAGERS)
  @Query(() => [SponsorBankTransfer], { description: 'At most 500 ids; unknown ids are left out.' })
  disbursementStatus(@Arg('disbursementIds', () => [String]) disbursementIds: string[], @Ctx() ctx: Context): Promise<SponsorBankTransfer[]> {
    if (disbursementIds.length > 500) throw new BadInputError('At most 500 disbursementIds per query', { field: 'disbursementIds' });
    return this.envelopes.disbursements(ctx.em, disbursementIds);
  }

  @FieldResolver(() => String)
  envelopeId(@Root() disbursement: SponsorBankTransfer): string {
    return disbursement.envelope.envelopeId;
  }
}
