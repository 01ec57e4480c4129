import type { FilterQuery } from '@mikro-orm/postgresql';
import { Args, ArgsType, Authorized, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/role.js';
import { findPage, PageArgs, Paginated } from '../common/paging.js';
import type { Context } from '../graphql/context.js';
import { AuditEvent, AuditResult } from './audit-event.entity.js';

@ObjectType()
class AuditEventPage extends Paginated(AuditEvent) {}

@ArgsType()
class AuditEventsArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  action?: string;

  @Field(() => String, { nullable: true })
  actorUsername?: string;

  @Field(() => String, { nullable: true })
  entityType?: string;

  @Field(() => String, { nullable: true })
  entityId?: string;

  @Field(() => AuditResult, { nullable: true })
  result?: AuditResult;

  @Field(() => Date, { nullable: true })
  from?: Date;

  @Field(() => Date, { nullable: true })
  to?: Date;
}

@Resolver()
export class AuditResolver {
  @Authorized(Role.ADMIN)
  @Query(() => AuditEventPage, { description: 'Newest first.' })
  async auditEvents(@Args(() => AuditEventsArgs) args: AuditEventsArgs, @Ctx() ctx: Context): Promise<AuditEventPage> {
    const where: FilterQuery<AuditEvent> = {};
    for (const key of ['action', 'actorUsername', 'entityType', 'entityId', 'result'] as const) {
      if (args[key] !== undefined) Object.assign(where, { [key]: args[key] });
    }
    if (args.from || args.to) {
      where.occurredAt = { ...(args.from && { $gte: args.from }), ...(args.to && { $lt: args.to }) };
    }
    return findPage(ctx.em, AuditEvent, where, args, { orderBy: { id: 'desc' } });
  }
}
