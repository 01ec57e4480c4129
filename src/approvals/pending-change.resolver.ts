import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/role.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { PendingChange, PendingChangeStatus } from './pending-change.entity.js';
import { PendingChangeService } from './pending-change.service.js';

/** Changes to where money goes, held for a second admin (FOUR_EYES). */
@Resolver()
export class PendingChangeResolver {
  private readonly changes: PendingChangeService;

  constructor(container: Container) {
    this.changes = container.get(PendingChangeService);
  }

  @Authorized(Role.ADMIN)
  @Query(() => [PendingChange], { description: 'Newest first, at most 200; PENDING ones past their time are EXPIRED.' })
  pendingChanges(@Arg('status', () => PendingChangeStatus, { nullable: true }) status: PendingChangeStatus | undefined, @Ctx() ctx: Context): Promise<PendingChange[]> {
    return this.changes.list(ctx.em, status ?? undefined);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PendingChange, { description: 'Applies the change (another admin than its author); CONFLICT when it expired or what it was based on changed since.' })
  async approveChange(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<PendingChange> {
    ctx.auditEntity = { type: 'PendingChange', id };
    const change = await this.changes.approve(id, { ...ctx.user!, requestId: ctx.requestId });
    ctx.auditRecorded = true;
    return change;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => PendingChange, { description: 'Drops the change with a reason (another admin than its author).' })
  async rejectChange(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() ctx: Context): Promise<PendingChange> {
    ctx.auditEntity = { type: 'PendingChange', id };
    const change = await this.changes.reject(id, { ...ctx.user!, requestId: ctx.requestId }, reason);
    ctx.auditRecorded = true;
    return change;
  }
}
