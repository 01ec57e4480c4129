import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, NotFoundError } from '../common/domain-error.js';
import { Money } from '../common/money.js';
import { uuidArg } from '../common/uuid.js';
import { PayType } from './pay-type.js';
import { Premium } from './premium.entity.js';
import type { CreatePremiumMutationInput } from './premium.inputs.js';
import type { PremiumService } from './premium.service.js';
import { TransactionState } from '../collections/payment-transaction.entity.js';

/**
 * The openIMIS front end's premium step. After processTransaction the contribution module records
 * the premium itself (createPremium with the transaction's uuid); Hela has already recorded it,
 * atomically with the payment, so that call links to it: no second premium, no second activation.
 * Without a transaction it is an ordinary premium (cash, bank transfer, ...).
 */
export class OpenimisPremiumService {
  constructor(private readonly premiums: PremiumService) {}

  /** The uuid of the premium created or linked. */
  async createOrLink(em: EntityManager, input: CreatePremiumMutationInput, userId: string): Promise<string> {
    const payType = payTypeOf(input.payType);
    if (input.isPhotoFee) throw new BadInputError('Photo fees are not recorded by Hela; send isPhotoFee: false', { field: 'isPhotoFee' });
    const policyUuid = uuidArg(input.policyUuid, 'policyUuid');
    const transactionUuid = input.paymentTransactionUuid ?? input.transactionUuid;
    if (transactionUuid) return this.link(em, uuidArg(transactionUuid, 'paymentTransactionUuid'), policyUuid, input.amount);
    const premium = await this.premiums.create(em, { policy: policyUuid, amount: input.amount, payDate: input.payDate, payType, receipt: input.receipt, createdBy: userId });
    return premium.uuid;
  }

  private async link(em: EntityManager, transactionUuid: string, policyUuid: string, amount: string): Promise<string> {
    const [transaction] = await em.getConnection().execute<Array<{ state: string; policy_uuid: string | null; amount: string; currency: string }>>(
      'select state, policy_uuid, amount, currency from payment_transactions where uuid = ?',
      [transactionUuid],
    );
    if (!transaction) throw new NotFoundError('Payment transaction', transactionUuid);
    if (transaction.state !== TransactionState.PAID) {
      throw new ConflictError(`Payment transaction ${transactionUuid} is ${transaction.state}, not paid: no premium can be recorded for it`, { field: 'paymentTransactionUuid' });
    }
    const premium = await em.findOne(Premium, { paymentTransactionUuid: transactionUuid });
    if (!premium) throw new ConflictError(`Payment transaction ${transactionUuid} has no premium`, { field: 'paymentTransactionUuid' });
    if (premium.policy.uuid !== policyUuid) throw new BadInputError(`Payment transaction ${transactionUuid} paid policy ${premium.policy.uuid}, not ${policyUuid}`, { field: 'policyUuid' });
    // In the transaction's currency, its product's: GMD keeps two decimals on the openIMIS wire, KWD three, XOF none.
    const paid = Money.parse(amount, transaction.currency, 'amount');
    if (!paid.equals(Money.parse(premium.amount, transaction.currency))) throw new BadInputError(`Payment transaction ${transactionUuid} paid ${premium.amount}, not ${amount}`, { field: 'amount' });
    return premium.uuid;
  }
}

function payTypeOf(code: string): PayType {
  if (!Object.hasOwn(PayType, code)) throw new BadInputError(`payType must be one of ${Object.keys(PayType).join(', ')}`, { field: 'payType' });
  return code as PayType;
}
