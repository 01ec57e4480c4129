import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { Role } from '../../auth/role.js';
import { PageArgs, Paginated } from '../../common/paging.js';
import type { Container } from '../../container.js';
import type { Context } from '../../graphql/context.js';
import { Job, JobKind, JobStatus } from './job.entity.js';
import { JobProgressService } from './job-progress.service.js';

@ObjectType()
class JobPage extends Paginated(Job) {}

@ArgsType()
class JobsArgs extends PageArgs {
  @Field(() => JobKind, { nullable: true }) kind?: JobKind;
  @Field(() => JobStatus, { nullable: true }) status?: JobStatus;
  @Field(() => ID, { nullable: true }) cycleId?: string;
}

/** Approvals, sends and reconciliations belong to programmes: their managers and admins follow them. */
const FOLLOWERS = [Role.PROGRAM_MANAGER, Role.ADMIN];

@Resolver()
export class JobResolver {
  private readonly progress: JobProgressService;

  constructor(container: Container) {
    this.progress = container.get(JobProgressService);
  }

  @Authorized(...FOLLOWERS)
  @Query(() => Job, { description: 'A bulk job (approval, send, reconciliation) and its progress; NOT_FOUND when there is none.' })
  job(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Job> {
    return this.progress.find(ctx.em, id);
  }

  @Authorized(...FOLLOWERS)
  @Query(() => JobPage, { description: 'Bulk jobs, newest first.' })
  jobs(@Args(() => JobsArgs) args: JobsArgs, @Ctx() ctx: Context): Promise<JobPage> {
    const { kind, status, cycleId, limit, offset } = args;
    return this.progress.list(ctx.em, { kind, status, cycleId }, { limit, offset });
  }
}
