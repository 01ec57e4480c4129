import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { AuditService } from '../audit/audit.service.js';
import { ConflictError, NotFoundError } from '../common/domain-error.js';
import { amountInCurrency, positiveAmount, toMinorUnits } from '../common/money.js';
import { findPage, type Page } from '../common/paging.js';
import type { Container } from '../container.js';
import { inTransaction } from '../db/transaction.js';
import { isoDate } from './dates.js';
import { InsureeService } from './insuree.service.js';
import type { PayType } from './pay-type.js';
import { PolicyStatus } from './policy-status.js';
import { Policy } from './policy.entity.js';
import { PolicyService } from './policy.service.js';
import { Premium } from './premium.entity.js';
import type { PremiumsArgs } from './premium.inputs.js';
import { conflictOnDuplicate } from './registry.errors.js';

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

export class PremiumService {
  private readonly policies: PolicyService;
  private readonly insurees: InsureeService;
  private readonly audit: AuditService;

  constructor(container: Container) {
    this.policies = container.get(PolicyService);
    this.insurees = container.get(InsureeService);
    this.audit = container.get(AuditService);
  }

  /**
   * Records a premium (in the caller's transaction when `em` is in one) and, once the policy's
   * premiums cover its value, activates it. The policy row is locked so concurrent premiums for one
   * policy are counted one after the other.
   */
  create(em: EntityManager, data: NewPremium): Promise<Premium> {
    const amount = positiveAmount(data.amount);
    const payDate = isoDate(data.payDate, 'payDate');
    return conflictOnDuplicate(() =>
      inTransaction(em, async (tx) => {
        const policy = await this.lockPolicy(tx, data.policy);
        if (policy.status === PolicyStatus.EXPIRED) throw new ConflictError('The policy has expired', { field: 'policyUuid' });
        await tx.populate(policy, ['product']);
        amountInCurrency(amount, policy.product.currency);
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
        if (this.policies.isAwaitingPayment(policy) && (await this.paidMinor(tx, policy)) >= toMinorUnits(policy.value)) {
          await this.policies.activate(tx, policy, payDate);
        }
        return premium;
      }),
    );
  }

  async list(em: EntityManager, args: PremiumsArgs): Promise<Page<Premium>> {
    const where: FilterQuery<Premium> = {};
    if (args.policyUuid) where.policy = args.policyUuid;
    if (args.chfId) {
      const family = await this.insurees.familyOf(em, args.chfId);
      if (!family) return { items: [], totalCount: 0 };
      where.policy = args.policyUuid ? { uuid: args.policyUuid, family } : { family };
    }
    return findPage(em, Premium, where, args, { orderBy: { payDate: 'desc', createdAt: 'desc', uuid: 'asc' },
      populate: ['policy'] });
  }

  /** Re-reads the policy under a row lock, so its status is the one the last committed premium left. */
  private async lockPolicy(tx: EntityManager, policyOrUuid: Policy | string): Promise<Policy> {
    const uuid = typeof policyOrUuid === 'string' ? policyOrUuid : policyOrUuid.uuid;
    const policy = await tx.findOne(Policy, { uuid }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!policy) throw new NotFoundError('Policy', uuid);
    return policy;
  }

  /** Sum of the policy's premiums, in minor units (exact). */
  private async paidMinor(tx: EntityManager, policy: Policy): Promise<bigint> {
    const premiums = await tx.find(Premium, { policy }, { fields: ['amount'] });
    return premiums.reduce((sum, premium) => sum + toMinorUnits(premium.amount), 0n);
  }
}
