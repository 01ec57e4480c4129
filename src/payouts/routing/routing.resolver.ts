import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { HELD } from '../../approvals/held-operations.js';
import { PendingChangeService } from '../../approvals/pending-change.service.js';
import { Role } from '../../auth/role.js';
import type { Container } from '../../container.js';
import type { Context } from '../../graphql/context.js';
import { PayoutRoutingRule } from './payout-routing-rule.entity.js';
import { PayoutRoutingRuleInput } from './routing.inputs.js';
import { RoutingService } from './routing.service.js';
import { CycleRoutingPlan } from './routing.types.js';

@Resolver(() => PayoutRoutingRule)
export class RoutingResolver {
  private readonly routing: RoutingService;

  private readonly held: PendingChangeService;

  constructor(container: Container) {
    this.held = container.get(PendingChangeService);
    this.routing = container.get(RoutingService);
  }

  @Authorized(Role.ADMIN)
  @Query(() => [PayoutRoutingRule], { description: 'In evaluation order.' })
  payoutRoutingRules(@Ctx() ctx: Context): Promise<PayoutRoutingRule[]> {
    return this.routing.list(ctx.em);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutRoutingRule)
  async createPayoutRoutingRule(@Arg('input', () => PayoutRoutingRuleInput) input: PayoutRoutingRuleInput, @Ctx() ctx: Context): Promise<PayoutRoutingRule> {
    const rule = await this.held.hold(ctx, HELD.createPayoutRoutingRule, { input });
    ctx.auditEntity = { type: 'PayoutRoutingRule', id: rule.id };
    return rule;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PayoutRoutingRule, { description: 'Replaces the whole rule.' })
  updatePayoutRoutingRule(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PayoutRoutingRuleInput) input: PayoutRoutingRuleInput,
    @Ctx() ctx: Context,
  ): Promise<PayoutRoutingRule> {
    ctx.auditEntity = { type: 'PayoutRoutingRule', id };
    return this.held.hold(ctx, HELD.updatePayoutRoutingRule, { id, input });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Boolean)
  deletePayoutRoutingRule(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    ctx.auditEntity = { type: 'PayoutRoutingRule', id };
    return this.held.hold(ctx, HELD.deletePayoutRoutingRule, { id });
  }

  @Authorized(Role.ADMIN, Role.PROGRAM_MANAGER)
  @Query(() => CycleRoutingPlan, { description: "How the cycle's pending payments would be routed now, without sending anything." })
  routeCycleDryRun(@Arg('cycleId', () => ID) cycleId: string, @Ctx() ctx: Context): Promise<CycleRoutingPlan> {
    return this.routing.dryRun(ctx.em, cycleId);
  }

  @FieldResolver(() => ID)
  channelId(@Root() rule: PayoutRoutingRule): string {
    return rule.channel.id;
  }
}
