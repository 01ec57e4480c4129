import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { AuditService } from '../audit/audit.service.js';
import { BadInputError, ConflictError, NotFoundError } from '../common/domain-error.js';
import { positiveAmountIn } from '../common/money.js';
import { expiryDate, isoDate, laterDate, today } from './dates.js';
import { Family } from './family.entity.js';
import type { InsureeService } from './insuree.service.js';
import type { CreatePolicyInput, PoliciesArgs, UpdatePolicyInput } from './policy.inputs.js';
import { POLICY_TRANSITIONS, PolicyStatus } from './policy-status.js';
import { Policy } from './policy.entity.js';
import type { ProductService } from './product.service.js';
import { NODE_POPULATE } from './openimis-nodes.js';
import { findRegistryPage, type RegistryPage } from './registry-list.js';

/** openIMIS orderBy names of policy lists (the front end's sorters). */
const POLICY_ORDERING = {
  enrollDate: 'enrollDate', effectiveDate: 'effectiveDate', startDate: 'startDate', expiryDate: 'expiryDate',
  status: 'status', value: 'value', validityFrom: 'createdAt', stage: null, officer: null, product: 'product.code',
};

/** Statuses from which a payment activates a policy. */
const AWAITING_PAYMENT = [PolicyStatus.IDLE, PolicyStatus.READY];

export class PolicyService {
  constructor(
    private readonly products: ProductService,
    private readonly insurees: InsureeService,
    private readonly audit: AuditService,
  ) {}

  /** A new IDLE policy: value defaults to the product's lump sum, cover runs a product period from the start date. */
  async create(em: EntityManager, input: CreatePolicyInput): Promise<Policy> {
    const family = await em.findOne(Family, { uuid: input.familyUuid });
    if (!family) throw new NotFoundError('Family', input.familyUuid);
    const product = await this.products.findByCode(em, input.productCode);
    const startDate = input.startDate ? isoDate(input.startDate, 'startDate') : today();
    const policy = em.create(Policy, {
      family,
      product,
      value: input.value != null ? positiveAmountIn(input.value, product.currency, 'value') : product.lumpSum,
      enrollDate: input.enrollDate ? isoDate(input.enrollDate, 'enrollDate') : today(),
      startDate,
      expiryDate: expiryDate(startDate, product.insurancePeriodMonths),
    });
    await em.flush();
    return policy;
  }

  async update(em: EntityManager, input: UpdatePolicyInput): Promise<Policy> {
    const policy = await this.find(em, input.uuid);
    if (input.value != null) {
      await em.populate(policy, ['product']);
      policy.value = positiveAmountIn(input.value, policy.product.currency, 'value');
    }
    if (input.expiryDate != null) {
      const expiry = isoDate(input.expiryDate, 'expiryDate');
      if (expiry < policy.startDate) throw new BadInputError('expiryDate cannot be before startDate', { field: 'expiryDate' });
      policy.expiryDate = expiry;
    }
    if (input.status != null && input.status !== policy.status) {
      if (!POLICY_TRANSITIONS[policy.status].includes(input.status)) {
        throw new ConflictError(`Cannot change a policy from ${PolicyStatus[policy.status]} to ${PolicyStatus[input.status]}`, { field: 'status' });
      }
      if (input.status === PolicyStatus.ACTIVE && !policy.effectiveDate) {
        policy.effectiveDate = laterDate(input.effectiveDate ? isoDate(input.effectiveDate, 'effectiveDate') : today(), policy.startDate);
      }
      policy.status = input.status;
    }
    await em.flush();
    return policy;
  }

  /**
   * Payment received: IDLE/READY → ACTIVE, cover effective from the later of payment and start.
   * Idempotent for an ACTIVE policy; refuses SUSPENDED and EXPIRED ones. Flushes into `em` (the
   * caller's transaction, when there is one) with an audit event.
   */
  async activate(em: EntityManager, policy: Policy, payDate: string): Promise<Policy> {
    if (policy.status === PolicyStatus.ACTIVE) return policy;
    if (!AWAITING_PAYMENT.includes(policy.status)) {
      throw new ConflictError(`Cannot activate a ${PolicyStatus[policy.status]} policy`, { field: 'status' });
    }
    policy.status = PolicyStatus.ACTIVE;
    policy.effectiveDate = laterDate(isoDate(payDate, 'payDate'), policy.startDate);
    await this.audit.record({ action: 'policy.activated', entityType: 'Policy', entityId: policy.uuid, detail: { effectiveDate: policy.effectiveDate } }, em);
    await em.flush();
    return policy;
  }

  async list(em: EntityManager, args: PoliciesArgs): Promise<RegistryPage<Policy>> {
    const where: FilterQuery<Policy> = {};
    if (args.chfId) {
      const family = await this.insurees.familyOf(em, args.chfId);
      if (!family || (args.familyUuid && family.uuid !== args.familyUuid)) return { items: [], offset: 0, totalCount: 0 };
      where.family = family;
    } else if (args.familyUuid) {
      where.family = args.familyUuid;
    }
    if (args.uuid) where.uuid = args.uuid;
    if (args.status != null) where.status = args.status;
    if (args.productCode) where.product = { code: args.productCode };
    return findRegistryPage(em, Policy, where, args, {
      orderable: POLICY_ORDERING,
      defaultOrder: [{ createdAt: 'desc' }, { uuid: 'asc' }],
      populate: NODE_POPULATE.policy,
    });
  }

  async find(em: EntityManager, uuid: string): Promise<Policy> {
    const policy = await em.findOne(Policy, { uuid });
    if (!policy) throw new NotFoundError('Policy', uuid);
    return policy;
  }

  isAwaitingPayment(policy: Policy): boolean {
    return AWAITING_PAYMENT.includes(policy.status);
  }
}
