import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Paginated } from '../common/paging.js';
import type { Container } from '../container.js';
import { loaded } from '../db/loaded.js';
import type { Context } from '../graphql/context.js';
import { Policy } from './policy.entity.js';
import { Premium } from './premium.entity.js';
import { CreatePremiumInput, PremiumsArgs } from './premium.inputs.js';
import { PremiumService } from './premium.service.js';
import { REGISTRY_READERS, REGISTRY_WRITERS } from './registry.roles.js';

@ObjectType()
class PremiumPage extends Paginated(Premium) {}

@Resolver(() => Premium)
export class PremiumResolver {
  private readonly premiumService: PremiumService;

  constructor(container: Container) {
    this.premiumService = container.get(PremiumService);
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => PremiumPage, { description: 'Latest payment first.' })
  premiums(@Args(() => PremiumsArgs) args: PremiumsArgs, @Ctx() ctx: Context): Promise<PremiumPage> {
    return this.premiumService.list(ctx.em, args);
  }

  @Authorized(...REGISTRY_WRITERS)
  @Mutation(() => Premium, { description: 'Records a payment; activates the policy once its premiums cover its value.' })
  async createPremium(@Arg('input', () => CreatePremiumInput) input: CreatePremiumInput, @Ctx() ctx: Context): Promise<Premium> {
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
}
