import type { FilterQuery } from '@mikro-orm/postgresql';
import { Max, MaxLength, Min } from 'class-validator';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/role.js';
import { findPage, PageArgs, Paginated } from '../../common/paging.js';
import type { Container } from '../../container.js';
import type { Context } from '../../graphql/context.js';
import { BankStatement } from './bank-statement.entity.js';
import { ReconciliationError, ReconciliationErrorCode } from './reconciliation-error.entity.js';
import { DEFAULT_PREVIEW_ENTRIES, MAX_PREVIEW_ENTRIES, ReconciliationService } from './reconciliation.service.js';
import { BankStatementPreview, BankStatementUpload } from './reconciliation.types.js';
import { previewView, uploadView } from './statement-views.js';

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

@ArgsType()
class BankStatementArgs {
  @Field(() => String, { description: 'The file as text: MT940 (any number of statements) or camt.053 XML; the format is detected.' })
  statement!: string;

  @Field(() => String, { nullable: true, description: 'Read the file as delivered by this sponsor bank: every statement must be for an account held there.' })
  @MaxLength(32)
  bankCode?: string;
}

@ArgsType()
class PreviewBankStatementArgs extends BankStatementArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PREVIEW_ENTRIES, description: `Entries shown per statement, at most ${MAX_PREVIEW_ENTRIES}; the counts cover all.` })
  @Min(0)
  @Max(MAX_PREVIEW_ENTRIES)
  entryLimit: number = DEFAULT_PREVIEW_ENTRIES;
}

@Resolver(() => ReconciliationError)
export class ReconciliationResolver {
  private readonly reconciliation: ReconciliationService;

  constructor(container: Container) {
    this.reconciliation = container.get(ReconciliationService);
  }

  @Authorized(Role.ADMIN, Role.PROGRAM_MANAGER)
  @Mutation(() => StatementReconciliation, {
    description: 'Reconciles one MT940 statement of a sponsor account: debits mark disbursements PAID, RD reversals REVERSED. Idempotent per statement. Files of several statements, and camt.053: uploadBankStatement.',
  })
  async uploadMt940(@Arg('statement', () => String) statement: string, @Ctx() ctx: Context): Promise<StatementReconciliation> {
    const outcome = await this.reconciliation.reconcile(statement, { uploadedBy: ctx.user!.id });
    ctx.auditEntity = { type: 'BankStatement', id: outcome.statement.id };
    return outcome;
  }

  @Authorized(Role.ADMIN, Role.PROGRAM_MANAGER)
  @Mutation(() => BankStatementUpload, {
    description: 'Reconciles every statement of a file (MT940 or camt.053, detected), each on its own: a refused statement applies nothing, the others still apply. Idempotent per statement.',
  })
  async uploadBankStatement(@Args(() => BankStatementArgs) args: BankStatementArgs, @Ctx() ctx: Context): Promise<BankStatementUpload> {
    const file = await this.reconciliation.reconcileFile(args.statement, { bankCode: args.bankCode, uploadedBy: ctx.user!.id });
    const first = file.statements.find((s) => s.statementId);
    if (first) ctx.auditEntity = { type: 'BankStatement', id: first.statementId! };
    return uploadView(file);
  }

  @Authorized(Role.ADMIN, Role.PROGRAM_MANAGER)
  @Query(() => BankStatementPreview, {
    description: 'Reads and validates a statement file without writing anything: each statement as read, and what reconciling it would do to each entry.',
  })
  async previewBankStatement(@Args(() => PreviewBankStatementArgs) args: PreviewBankStatementArgs, @Ctx() ctx: Context): Promise<BankStatementPreview> {
    return previewView(await this.reconciliation.preview(args.statement, { bankCode: args.bankCode, uploadedBy: ctx.user!.id }, args.entryLimit));
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
