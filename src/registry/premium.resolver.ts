import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { RelayConnection } from '../common/relay.js';
import type { Container } from '../container.js';
import { MutationLogService } from '../core/mutation-log.service.js';
import { OpenImisMutationPayload } from '../core/mutation-log.types.js';
import { loaded } from '../db/loaded.js';
import type { Context } from '../graphql/context.js';
import type { RefusalPayloadFactory } from '../graphql/refusal-payloads.js';
import { OpenimisPremiumService } from './openimis-premium.service.js';
import { premiumNode, premiumSums } from './openimis-nodes.js';
import { PremiumNode } from './openimis-nodes.types.js';
import { Policy } from './policy.entity.js';
import { Premium } from './premium.entity.js';
import { CreatePremiumMutationInput, PremiumsArgs, PremiumsByPoliciesArgs, RecordPremiumInput } from './premium.inputs.js';
import { PremiumService } from './premium.service.js';
import type { RegistryPage } from './registry-list.js';
import { registryConnection } from './registry-list.js';
import { REGISTRY_READERS, REGISTRY_WRITERS } from './registry.roles.js';

/** openIMIS's relay connection of PremiumGQLType, plus Hela's `items` (the same page as Hela entities). */
@ObjectType()
class PremiumGQLTypeConnection extends RelayConnection(PremiumNode, 'PremiumGQLTypeConnection') {
  @Field(() => [Premium], { description: 'Hela: the same page as Hela premiums.' })
  items!: Premium[];
}

@ObjectType('CreatePremiumMutationPayload')
class CreatePremiumPayload extends OpenImisMutationPayload {}

/** openIMIS stores this message for a failed createPremium. */
const CREATE_FAILED = 'contribution.mutation.failed_to_create_premium';

@Resolver(() => Premium)
export class PremiumResolver {
  private readonly premiumService: PremiumService;
  private readonly openimis: OpenimisPremiumService;
  private readonly logs: MutationLogService;

  constructor(container: Container) {
    this.premiumService = container.get(PremiumService);
    this.openimis = container.get(OpenimisPremiumService);
    this.logs = container.get(MutationLogService);
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => PremiumGQLTypeConnection, { description: 'Latest payment first. openIMIS relay connection (edges, pageInfo, totalCount) and Hela items.' })
  async premiums(@Args(() => PremiumsArgs) args: PremiumsArgs, @Ctx() ctx: Context): Promise<PremiumGQLTypeConnection> {
    return this.connection(ctx, await this.premiumService.list(ctx.em, args));
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => PremiumGQLTypeConnection, { description: 'openIMIS: the premiums of these policies, latest payment first.' })
  async premiumsByPolicies(@Args(() => PremiumsByPoliciesArgs) args: PremiumsByPoliciesArgs, @Ctx() ctx: Context): Promise<PremiumGQLTypeConnection> {
    return this.connection(ctx, await this.premiumService.listByPolicies(ctx.em, args));
  }

  @Authorized(...REGISTRY_WRITERS)
  @Mutation(() => CreatePremiumPayload, {
    nullable: true,
    description: 'openIMIS createPremium (outcome in mutationLogs). With the paymentTransactionUuid of a paid collection it links to the premium processTransaction recorded.',
  })
  createPremium(@Arg('input', () => CreatePremiumMutationInput) input: CreatePremiumMutationInput, @Ctx() ctx: Context): Promise<CreatePremiumPayload> {
    ctx.auditEntity = { type: 'Policy', id: input.policyUuid };
    return this.logs.run({ name: 'createPremium', failureMessage: CREATE_FAILED, input, user: ctx.user! }, async () => {
      const uuid = await this.openimis.createOrLink(ctx.em, input, ctx.user!.id);
      ctx.auditEntity = { type: 'Premium', id: uuid };
      return uuid;
    });
  }

  @Authorized(...REGISTRY_WRITERS)
  @Mutation(() => Premium, { description: 'Hela: records a payment; activates the policy once its premiums cover its value.' })
  async recordPremium(@Arg('input', () => RecordPremiumInput) input: RecordPremiumInput, @Ctx() ctx: Context): Promise<Premium> {
    ctx.auditEntity = { type: 'Policy', id: input.policyUuid };
    const premium = await this.premiumService.create(ctx.em, {
      policy: input.policyUuid,
      amount: input.amount,
      payDate: input.payDate,
      payType: input.payType,
      receipt: input.receipt,
      createdBy: ctx.user!.id,
    });
    ctx.auditEntity = { type: 'Premium', id: premium.uuid };
    return premium;
  }

  @FieldResolver(() => Policy)
  async policy(@Root() premium: Premium): Promise<Policy> {
    return (await loaded(premium.policy))!;
  }

  private async connection(ctx: Context, page: RegistryPage<Premium>): Promise<PremiumGQLTypeConnection> {
    const sums = await premiumSums(ctx.em, page.items.map((premium) => premium.policy.uuid));
    return registryConnection(page, (premium) => premiumNode(premium, sums.get(premium.policy.uuid) ?? '0.00'));
  }
}

export const PREMIUM_REFUSALS: Record<string, RefusalPayloadFactory> = {
  createPremium: (container) => (refusal, args, ctx) =>
    container.get(MutationLogService).refuse({ name: 'createPremium', failureMessage: CREATE_FAILED, input: args.input, user: ctx.user }, refusal),
};
