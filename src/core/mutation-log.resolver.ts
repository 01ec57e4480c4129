import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { MutationLogService } from './mutation-log.service.js';
import { MutationLogGQLTypeConnection, MutationLogsArgs } from './mutation-log.types.js';

@Resolver()
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
}
