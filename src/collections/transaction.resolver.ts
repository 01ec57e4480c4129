import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/role.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { TransactionService } from './transaction.service.js';
import { PaymentTransactionsGQLTypeConnection, TransactionsArgs, TransactionStrArgs } from './transaction.types.js';

/** Both openIMIS lists, each with its right enforced (openIMIS forgot it on `transactions`), and ownership. */
@Resolver()
export class TransactionResolver {
  private readonly service: TransactionService;

  constructor(container: Container) {
    this.service = container.get(TransactionService);
  }

  @Authorized(Role.ACCOUNTANT, Role.ADMIN)
  @Query(() => PaymentTransactionsGQLTypeConnection, { nullable: true, description: 'Newest first unless orderBy says otherwise.' })
  transactions(@Args(() => TransactionsArgs) args: TransactionsArgs, @Ctx() ctx: Context): Promise<PaymentTransactionsGQLTypeConnection> {
    return this.service.list(ctx.em, args, ctx.user!);
  }

  @Authorized(Role.ACCOUNTANT, Role.ADMIN)
  @Query(() => PaymentTransactionsGQLTypeConnection, { nullable: true })
  transactionStr(@Args(() => TransactionStrArgs) args: TransactionStrArgs, @Ctx() ctx: Context): Promise<PaymentTransactionsGQLTypeConnection> {
    return this.service.list(ctx.em, args, ctx.user!);
  }
}
