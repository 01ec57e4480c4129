import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { NODE_POPULATE, premiumNode } from '../registry/openimis-nodes.js';
import { Premium } from '../registry/premium.entity.js';
import { PREMIUM_MUTATIONS } from '../registry/premium.service.js';
import { MutationLogService } from './mutation-log.service.js';
import { FamilyMutationLink, InsureeMutationLink, MutationLogGQLTypeConnection, MutationLogNode, MutationLogsArgs, PremiumMutationLink } from './mutation-log.types.js';

@Resolver(() => MutationLogNode)
export class MutationLogResolver {
  private readonly logs: MutationLogService;

  constructor(container: Container) {
    this.logs = container.get(MutationLogService);
  }

  @Authorized()
  @Query(() => MutationLogGQLTypeConnection, { nullable: true, description: 'Outcome of OpenIMIS-style mutations, polled by clientMutationId.' })
  mutationLogs(@Args(() => MutationLogsArgs) args: MutationLogsArgs, @Ctx() ctx: Context): Promise<MutationLogGQLTypeConnection> {
    return this.logs.list(ctx.em, args, ctx.user!);
  }

  @FieldResolver(() => [PremiumMutationLink], { description: 'openIMIS: the premium a createPremium created or linked.' })
  async premiums(@Root() log: MutationLogNode, @Ctx() ctx: Context): Promise<PremiumMutationLink[]> {
    if (!log.objectUuid || !PREMIUM_MUTATIONS.includes(log.mutationName)) return [];
    const premium = await ctx.em.findOne(Premium, { uuid: log.objectUuid }, { populate: NODE_POPULATE.premium as never });
    return premium ? [{ premium: premiumNode(premium) }] : [];
  }

  @FieldResolver(() => [InsureeMutationLink], { description: 'openIMIS: always empty; Hela\'s insuree mutations answer with the insuree itself, not a mutation log.' })
  insurees(): InsureeMutationLink[] {
    return [];
  }

  @FieldResolver(() => [FamilyMutationLink], { description: 'openIMIS: always empty; Hela\'s family mutations answer with the family itself, not a mutation log.' })
  families(): FamilyMutationLink[] {
    return [];
  }
}
