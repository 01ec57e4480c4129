import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { AuditService } from '../audit/audit.service.js';
import { ConflictError, NotFoundError } from '../common/domain-error.js';
import { Money, positiveAmountIn } from '../common/money.js';
import { inTransaction } from '../db/transaction.js';
import { isoDate } from './dates.js';
import type { InsureeService } from './insuree.service.js';
import type { PayType } from './pay-type.js';
import { PolicyStatus } from './policy-status.js';
import { Policy } from './policy.entity.js';
import type { PolicyService } from './policy.service.js';
import { Premium } from './premium.entity.js';
import type { PremiumsArgs, PremiumsByPoliciesArgs } from './premium.inputs.js';
import { conflictOnDuplicate } from './registry.errors.js';
import { MutationLog } from '../core/mutation-log.entity.js';
import { NODE_POPULATE } from './openimis-nodes.js';
import { findRegistryPage, type RegistryListArgs, type RegistryPage } from './registry-list.js';
import { AmountDueBasis, amountDue } from './amount-due.js';

/** openIMIS orderBy names of premium lists (the front end's sorters); payer and isPhotoFee mean nothing here. */
const PREMIUM_ORDERING = {
  payDate: 'payDate', amount: 'amount', payType: 'payType', receipt: 'receipt', validityFrom: 'createdAt', payer: null, isPhotoFee: null, category: null,
};

export interface NewPremium {
  /** The policy, or its uuid. */
  policy: Policy | string;
  amount: string;
  payDate: string;
  payType: PayType;
  receipt?: string | null;
  /** The payment transaction this premium records; at most one premium per transaction. */
  paymentTransactionUuid?: string | null;
  /** Id of the user recording it. */
  createdBy?: string | null;
}

/** Mutations whose log's objectUuid is a premium. */
export const PREMIUM_MUTATIONS = ['createPremium'];

export class PremiumService {
  constructor(
    private readonly policies: PolicyService,
    private readonly insurees: InsureeService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Records a premium (in the caller's transaction when `em` is in one) and, once the policy's
   * premiums cover its value, activates it. The policy row is locked so concurrent premiums for one
   * policy are counted one after the other.
   */
  create(em: EntityManager, data: NewPremium): Promise<Premium> {
    const payDate = isoDate(data.payDate, 'payDate');
    return conflictOnDuplicate(() =>
      inTransaction(em, async (tx) => {
        const policy = await this.lockPolicy(tx, data.policy);
        if (policy.status === PolicyStatus.EXPIRED) throw new ConflictError('The policy has expired', { field: 'policyUuid' });
        await tx.populate(policy, ['product']);
        const amount = positiveAmountIn(data.amount, policy.product.currency);
        if (data.paymentTransactionUuid && (await tx.count(Premium, { paymentTransactionUuid: data.paymentTransactionUuid }))) {
          throw new ConflictError('This payment transaction is already recorded as a premium', { field: 'paymentTransactionUuid' });
        }
        const premium = tx.create(Premium, {
          policy,
          amount,
          payDate,
          payType: data.payType,
          receipt: data.receipt ?? null,
          paymentTransactionUuid: data.paymentTransactionUuid ?? null,
          createdBy: data.createdBy ?? null,
        });
        await this.audit.record({
          action: 'premium.created',
          actorId: data.createdBy ?? undefined,
          entityType: 'Premium',
          entityId: premium.uuid,
          detail: { policyUuid: policy.uuid, amount, payDate, payType: data.payType, paymentTransactionUuid: data.paymentTransactionUuid ?? null },
        }, tx);
        await tx.flush();
        // Paid once its premiums reach what it costs (openIMIS premium_updated: the policy value).
        if (this.policies.isAwaitingPayment(policy) && (await this.paid(tx, policy)).compare(Money.parse(amountDue(policy, AmountDueBasis.POLICY_VALUE), policy.product.currency)) >= 0) {
          await this.policies.activate(tx, policy, payDate);
        }
        return premium;
      }),
    );
  }

  async list(em: EntityManager, args: PremiumsArgs): Promise<RegistryPage<Premium>> {
    const where: FilterQuery<Premium> = {};
    if (args.policyUuid) where.policy = args.policyUuid;
    if (args.chfId) {
      const family = await this.insurees.familyOf(em, args.chfId);
      if (!family) return { items: [], offset: 0, totalCount: 0 };
      where.policy = args.policyUuid ? { uuid: args.policyUuid, family } : { family };
    }
    if (args.uuid) where.uuid = args.uuid;
    if (args.clientMutationId != null) {
      const linked = await this.premiumsOfMutation(em, args.clientMutationId);
      where.uuid = { $in: args.uuid ? linked.filter((uuid) => uuid === args.uuid) : linked };
    }
    return this.page(em, where, args);
  }

  listByPolicies(em: EntityManager, args: PremiumsByPoliciesArgs): Promise<RegistryPage<Premium>> {
    return this.page(em, { policy: { $in: args.policyUuids } }, args);
  }

  private page(em: EntityManager, where: FilterQuery<Premium>, args: RegistryListArgs): Promise<RegistryPage<Premium>> {
    return findRegistryPage(em, Premium, where, args, {
      orderable: PREMIUM_ORDERING,
      defaultOrder: [{ payDate: 'desc' }, { createdAt: 'desc' }, { uuid: 'asc' }],
      populate: NODE_POPULATE.premium,
    });
  }

  /** The premiums the mutations with this client id created or linked (openIMIS's mutation link). */
  private async premiumsOfMutation(em: EntityManager, clientMutationId: string): Promise<string[]> {
    const logs = await em.find(MutationLog, { clientMutationId, objectUuid: { $ne: null }, mutationName: { $in: PREMIUM_MUTATIONS } }, { fields: ['objectUuid'] });
    return logs.map((log) => log.objectUuid!);
  }

  /** Re-reads the policy under a row lock, so its status is the one the last committed premium left. */
  private async lockPolicy(tx: EntityManager, policyOrUuid: Policy | string): Promise<Policy> {
    const uuid = typeof policyOrUuid === 'string' ? policyOrUuid : policyOrUuid.uuid;
    const policy = await tx.findOne(Policy, { uuid }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!policy) throw new NotFoundError('Policy', uuid);
    return policy;
  }

  /** Sum of the policy's premiums, exact, in its product's currency. */
  private async paid(tx: EntityManager, policy: Policy): Promise<Money> {
    const { currency } = policy.product;
    const premiums = await tx.find(Premium, { policy }, { fields: ['amount'] });
    return Money.sum(premiums.map((premium) => Money.parse(premium.amount, currency)), currency);
  }
}
