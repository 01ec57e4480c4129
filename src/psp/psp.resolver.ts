import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { HELD } from '../approvals/held-operations.js';
import { PendingChangeService } from '../approvals/pending-change.service.js';
import { Role } from '../auth/role.js';
import type { Container } from '../container.js';
import { OpenImisMutationPayload } from '../core/mutation-log.types.js';
import { MutationLogService } from '../core/mutation-log.service.js';
import { channelHealthKey, ChannelHealthService } from '../payouts/channels/channel-health.service.js';
import { ChannelHealth } from '../payouts/channels/channel-health.types.js';
import type { Context } from '../graphql/context.js';
import type { RefusalPayloadFactory } from '../graphql/refusal-payloads.js';
import { CreatePspInput, DeletePspInput, PspListArgs, UpdatePspInput } from './psp.inputs.js';
import { PspService } from './psp.service.js';
import { PaymentServiceProviderNode, PaymentServiceProviderTypeConnection } from './psp.types.js';

/** The openIMIS error messages of the PSP ("wallet") mutations, kept as openIMIS stores them. */
const FAILURE_MESSAGES = {
  createPaymentServiceProvider: 'wallet.mutation.failed_to_create_wallet',
  updatePaymentServiceProvider: 'wallet.mutation.failed_to_update_wallet',
  deletePaymentServiceProvider: 'Faild to delete Wallet. An exception had occured',
} as const;

@ObjectType('CreatePaymentServiceProviderPayload')
class CreatePspPayload extends OpenImisMutationPayload {}

@ObjectType('UpdatePaymentServiceProviderPayload')
class UpdatePspPayload extends OpenImisMutationPayload {}

@ObjectType('DeletePaymentServiceProviderPayload')
class DeletePspPayload extends OpenImisMutationPayload {}

/** openIMIS PSP administration (OpenIMISMutations: outcome in `mutationLogs`), admins only. */
@Resolver(() => PaymentServiceProviderNode)
export class PspResolver {
  private readonly psps: PspService;
  private readonly logs: MutationLogService;
  private readonly breakers: ChannelHealthService;

  private readonly held: PendingChangeService;

  constructor(container: Container) {
    this.held = container.get(PendingChangeService);
    this.psps = container.get(PspService);
    this.logs = container.get(MutationLogService);
    this.breakers = container.get(ChannelHealthService);
  }

  @FieldResolver(() => ChannelHealth, { description: 'Hela’s circuit breaker for this PSP: while OPEN, collections through it are refused at once with PSP_UNAVAILABLE.' })
  health(@Root() psp: PaymentServiceProviderNode): Promise<ChannelHealth> {
    return this.breakers.health(channelHealthKey.psp(psp.uuid));
  }

  @Authorized(Role.ADMIN, Role.ACCOUNTANT)
  @Query(() => PaymentServiceProviderTypeConnection, { nullable: true, description: 'Current PSPs; by default only the internal (not external-API) ones, as in openIMIS.' })
  paymentServiceProvider(@Args(() => PspListArgs) args: PspListArgs, @Ctx() ctx: Context): Promise<PaymentServiceProviderTypeConnection> {
    return this.psps.list(ctx.em, args);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreatePspPayload, { nullable: true })
  createPaymentServiceProvider(@Arg('input', () => CreatePspInput) input: CreatePspInput, @Ctx() ctx: Context): Promise<CreatePspPayload> {
    return this.logs.run({ name: 'createPaymentServiceProvider', failureMessage: FAILURE_MESSAGES.createPaymentServiceProvider, input, user: ctx.user! }, async () => {
      const psp = await this.psps.create(ctx.em, input);
      ctx.auditEntity = { type: 'PaymentServiceProvider', id: psp.uuid };
      return psp.uuid;
    });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => UpdatePspPayload, { nullable: true })
  updatePaymentServiceProvider(@Arg('input', () => UpdatePspInput) input: UpdatePspInput, @Ctx() ctx: Context): Promise<UpdatePspPayload> {
    ctx.auditEntity = { type: 'PaymentServiceProvider', id: input.uuid ?? '' };
    return this.logs.run({ name: 'updatePaymentServiceProvider', failureMessage: FAILURE_MESSAGES.updatePaymentServiceProvider, input, user: ctx.user! }, async () => {
      return (await this.held.hold(ctx, HELD.updatePaymentServiceProvider, { input })).uuid;
    });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => DeletePspPayload, { nullable: true })
  deletePaymentServiceProvider(@Arg('input', () => DeletePspInput) input: DeletePspInput, @Ctx() ctx: Context): Promise<DeletePspPayload> {
    ctx.auditEntity = { type: 'PaymentServiceProvider', id: input.uuid ?? '' };
    return this.logs.run({ name: 'deletePaymentServiceProvider', failureMessage: FAILURE_MESSAGES.deletePaymentServiceProvider, input, user: ctx.user! }, async () => {
      return (await this.psps.delete(ctx.em, input.uuid)).uuid;
    });
  }
}

/** Refusals raised before the work starts (role, rate limit, validation) are logged and answered like the others. */
export const PSP_REFUSALS: Record<string, RefusalPayloadFactory> = Object.fromEntries(
  Object.entries(FAILURE_MESSAGES).map(([name, failureMessage]) => [
    name,
    (container: Container) => (refusal, args, ctx) => container.get(MutationLogService).refuse({ name, failureMessage, input: args.input, user: ctx.user }, refusal),
  ]),
);
