import type { FilterQuery } from '@mikro-orm/postgresql';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../../auth/role.js';
import { findPage, PageArgs, Paginated } from '../../../common/paging.js';
import type { Container } from '../../../container.js';
import type { Context } from '../../../graphql/context.js';
import { BankStatement } from './bank-statement.entity.js';
import { ReconciliationError, ReconciliationErrorCode } from './reconciliation-error.entity.js';
import { ReconciliationService } from './reconciliation.service.js';

@ObjectType()
class StatementReconciliation {
  @Field(() => BankStatement)
  statement!: BankStatement;

  @Field(() => Boolean, { description: 'This exact statement was reconciled before; nothing changed.' })
  duplicate!: boolean;
}

@ObjectType()
class BankStatementPage extends Paginated(BankStatement) {}

@ObjectType()
class ReconciliationErrorPage extends Paginated(ReconciliationError) {}

@ArgsType()
class ReconciliationErrorsArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  statementId?: string;

  @Field(() => ReconciliationErrorCode, { nullable: true })
  code?: ReconciliationErrorCode;
}

@Resolver(() => ReconciliationError)
export class ReconciliationResolver {
  private readonly reconciliation: ReconciliationService;

  constructor(container: Container) {
    this.reconciliation = container.get(ReconciliationService);
  }

  @Authorized(Role.ADMIN, Role.PROGRAM_MANAGER)
  @Mutation(() => StatementReconciliation, {
    description: 'Reconciles an MT940 statement of a sponsor account: debits mark disbursements PAID, RD reversals REVERSED. Idempotent per statement.',
  })
  async uploadMt940(@Arg('statement', () => String) statement: string, @Ctx() ctx: Context): Promise<StatementReconciliation> {
    const outcome = await this.reconciliation.reconcile(statement, { uploadedBy: ctx.user!.id });
    ctx.auditEntity = { type: 'BankStatement', id: outcome.statement.id };
    return outcome;
  }

  @Authorized(Role.ADMIN, Role.PROGRAM_MANAGER)
  @Query(() => BankStatementPage, { description: 'Newest first.' })
  bankStatements(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context): Promise<BankStatementPage> {
    return this.reconciliation.statements(ctx.em, args.limit, args.offset);
  }

  @Authorized(Role.ADMIN)
  @Query(() => ReconciliationErrorPage, { description: 'Statement lines that could not be applied, newest first.' })
  async reconciliationErrors(@Args(() => ReconciliationErrorsArgs) args: ReconciliationErrorsArgs, @Ctx() ctx: Context): Promise<ReconciliationErrorPage> {
    const where: FilterQuery<ReconciliationError> = {};
    if (args.statementId) where.statement = args.statementId;
    if (args.code) where.code = args.code;
    return findPage(ctx.em, ReconciliationError, where, args, { orderBy: { id: 'desc' } });
  }

  @FieldResolver(() => String)
  statementId(@Root() error: ReconciliationError): string {
    return error.statement.id;
  }
}
