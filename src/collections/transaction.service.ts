import type { EntityManager, FilterQuery, QueryOrderMap } from '@mikro-orm/postgresql';
import { Role } from '../auth/role.js';
import { BadInputError } from '../common/domain-error.js';
import { plainAmount } from '../common/money.js';
import { toConnection, window, type Connection } from '../common/relay.js';
import { uuidArg } from '../common/uuid.js';
import type { AuthUser } from '../graphql/context.js';
import { toPspNode } from '../psp/psp.types.js';
import { PaymentTransaction, TransactionState } from './payment-transaction.entity.js';
import type { PaymentTransactionNode, TransactionsArgs } from './transaction.types.js';

const ORDERABLE = new Set(['datetime', 'amount', 'pspTransactionId', 'state', 'uuid']);

/** The `transactions` / `transactionStr` lists with openIMIS's filters. */
export class TransactionService {
  /** Administrators see every transaction; an accountant only the collections it initiated (as for confirming them). */
  async list(em: EntityManager, args: TransactionsArgs, user: AuthUser): Promise<Connection<PaymentTransactionNode>> {
    const where = filters(args);
    if (!user.roles.includes(Role.ADMIN)) where.createdBy = user.id;
    const total = await em.count(PaymentTransaction, where);
    const { offset, limit } = window(args, total);
    const rows = limit
      ? await em.find(PaymentTransaction, where, { orderBy: ordering(args.orderBy), offset, limit, populate: ['psp', 'insuree'] })
      : [];
    return toConnection(rows.map(toNode), offset, total);
  }
}

function filters(args: TransactionsArgs): FilterQuery<PaymentTransaction> & Record<string, unknown> {
  const where: FilterQuery<PaymentTransaction> & Record<string, unknown> = {};
  const uuid = args.uuid ?? args.id;
  if (uuid != null) where.uuid = uuidArg(uuid, 'uuid');
  const amount: Record<string, string> = {};
  if (args.amount != null) amount.$eq = plainAmount(args.amount);
  if (args.amountLt != null) amount.$lt = plainAmount(args.amountLt, 'amount_Lt');
  if (args.amountGt != null) amount.$gt = plainAmount(args.amountGt, 'amount_Gt');
  if (Object.keys(amount).length) where.amount = amount;
  if (args.pspTransactionId != null) where.pspTransactionId = args.pspTransactionId;
  if (args.otp != null) where.uuid = null; // OTPs are not stored: no transaction matches one
  if (args.state != null) where.state = args.state;
  if (args.status != null) where.state = args.status ? TransactionState.PAID : { $ne: TransactionState.PAID, ...(args.state && { $eq: args.state }) };
  const insuree: Record<string, string> = {};
  if (args.insureeUuid != null) insuree.uuid = uuidArg(args.insureeUuid, 'insuree_Uuid');
  if (args.insureeChfId != null) insuree.chfId = args.insureeChfId;
  if (args.insureeWallet != null) insuree.insureeWallet = args.insureeWallet;
  if (Object.keys(insuree).length) where.insuree = insuree;
  if (args.paymentServiceProvider_Uuid != null) where.psp = uuidArg(args.paymentServiceProvider_Uuid, 'paymentServiceProvider_Uuid');
  return where;
}

function ordering(orderBy: string[] | undefined): QueryOrderMap<PaymentTransaction>[] {
  const order: QueryOrderMap<PaymentTransaction>[] = [];
  for (const key of orderBy ?? ['-datetime']) {
    const field = key.replace(/^-/, '');
    if (!ORDERABLE.has(field)) throw new BadInputError(`Cannot order by "${key}"; use one of ${[...ORDERABLE].join(', ')}`, { field: 'orderBy' });
    order.push({ [field]: key.startsWith('-') ? 'desc' : 'asc' } as QueryOrderMap<PaymentTransaction>);
  }
  order.push({ uuid: 'asc' });
  return order;
}

function toNode(tx: PaymentTransaction): PaymentTransactionNode {
  return {
    id: tx.uuid,
    uuid: tx.uuid,
    amount: tx.amount,
    currency: tx.currency,
    paymentServiceProvider: toPspNode(tx.psp),
    insuree: tx.insuree ?? null,
    policyUuid: tx.policy?.uuid,
    pspTransactionId: tx.pspTransactionId ?? '',
    status: tx.state === TransactionState.PAID,
    state: tx.state,
    pspCode: tx.pspCode ?? undefined,
    pspMessage: tx.pspMessage ?? undefined,
    jsonContent: tx.jsonContent ?? undefined,
    datetime: tx.datetime,
    validityFrom: tx.datetime,
  };
}
