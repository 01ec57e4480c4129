import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { BadInputError, ConflictError, NotFoundError } from '../../common/domain-error.js';
import { normalizeAmount, toMinorUnits } from '../../common/money.js';
import type { Config } from '../../config.js';
import type { BulkDb } from '../../db/bulk-db.js';
import { PayoutChannel } from '../channels/payout-channel.entity.js';
import { Cycle } from '../../programmes/cycle.entity.js';
import { PayoutRoutingRule } from './payout-routing-rule.entity.js';
import type { PayoutRoutingRuleInput } from './routing.inputs.js';
import { routedPaymentsSql, routingSummarySql } from './routing.sql.js';
import type { CycleRoutingPlan } from './routing.types.js';

export interface RoutedPayment {
  paymentId: string;
  ruleId: string | null;
  channelId: string | null;
}

/** Admin-defined ordered rules that choose a payout channel per payment; one SQL decision for dry run and send. */
export class RoutingService {
  constructor(
    private readonly bulk: BulkDb,
    private readonly config: Config['routing'],
  ) {}

  list(em: EntityManager): Promise<PayoutRoutingRule[]> {
    return em.find(PayoutRoutingRule, {}, { orderBy: { priority: 'asc' }, populate: ['channel'] });
  }

  async create(em: EntityManager, input: PayoutRoutingRuleInput): Promise<PayoutRoutingRule> {
    const fields = await this.validate(em, input);
    return this.saving(() => em.transactional(async (tx) => tx.create(PayoutRoutingRule, fields)), input.priority);
  }

  async update(em: EntityManager, id: string, input: PayoutRoutingRuleInput): Promise<PayoutRoutingRule> {
    const fields = await this.validate(em, input);
    return this.saving(
      () =>
        em.transactional(async (tx) => {
          const rule = await tx.findOne(PayoutRoutingRule, { id });
          if (!rule) throw new NotFoundError('Payout routing rule', id);
          return Object.assign(rule, { minAmount: undefined, maxAmount: undefined, regions: undefined, payeeIdTypes: undefined }, fields);
        }),
      input.priority,
    );
  }

  async delete(em: EntityManager, id: string): Promise<boolean> {
    return (await em.nativeDelete(PayoutRoutingRule, { id })) === 1;
  }

  private async saving<T>(work: () => Promise<T>, priority: number): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new ConflictError(`Another rule already has priority ${priority}`, { field: 'priority' });
      throw error;
    }
  }

  private async validate(em: EntityManager, input: PayoutRoutingRuleInput) {
    const channel = await em.findOne(PayoutChannel, { id: input.channelId });
    if (!channel) throw new NotFoundError('Payout channel', input.channelId);
    const minAmount = input.minAmount === undefined || input.minAmount === null ? undefined : normalizeAmount(input.minAmount, 'minAmount');
    const maxAmount = input.maxAmount === undefined || input.maxAmount === null ? undefined : normalizeAmount(input.maxAmount, 'maxAmount');
    if (minAmount && maxAmount && toMinorUnits(minAmount) > toMinorUnits(maxAmount)) {
      throw new BadInputError('minAmount is greater than maxAmount', { field: 'minAmount' });
    }
    return {
      priority: input.priority,
      name: input.name,
      channel,
      minAmount,
      maxAmount,
      regions: input.regions,
      payeeIdTypes: input.payeeIdTypes?.map((type) => type.toLowerCase()),
      enabled: input.enabled,
    };
  }

  /** What sending the cycle now would do, without sending. */
  async dryRun(em: EntityManager, cycleId: string): Promise<CycleRoutingPlan> {
    if (!(await em.findOne(Cycle, { id: cycleId }))) throw new NotFoundError('Cycle', cycleId);
    const { rows } = await this.decide<{ rule_id: string | null; channel_id: string | null; payments: number; total_amount: string }>(routingSummarySql(), cycleId);
    const rules = new Map((await em.find(PayoutRoutingRule, { id: rows.map((r) => r.rule_id).filter((id) => id !== null) }, { populate: ['channel'] })).map((r) => [r.id, r]));
    const routes = rows.map((row) => {
      const rule = row.rule_id ? rules.get(row.rule_id) : undefined;
      return {
        ruleId: row.rule_id ?? undefined,
        ruleName: rule?.name,
        channelId: row.channel_id ?? undefined,
        channelName: rule?.channel.name,
        payments: row.payments,
        totalAmount: row.total_amount, // a sum keeps its amounts' scale: the currency's own
      };
    });
    return { cycleId, routes, unroutedPayments: routes.filter((r) => !r.channelId).reduce((n, r) => n + r.payments, 0) };
  }

  /** Per-payment decisions, for the send path (same SQL as the dry run). */
  async route(cycleId: string): Promise<RoutedPayment[]> {
    const { rows } = await this.decide<{ payment_id: string; rule_id: string | null; channel_id: string | null }>(routedPaymentsSql(), cycleId);
    return rows.map((r) => ({ paymentId: r.payment_id, ruleId: r.rule_id, channelId: r.channel_id }));
  }

  /**
   * In a transaction although it only reads: the embedded PGlite server pins a connection only inside
   * one, and a parameterised statement must not interleave with other connections' messages.
   */
  private decide<R extends pg.QueryResultRow>(sql: string, cycleId: string): Promise<pg.QueryResult<R>> {
    return this.bulk.transaction((client) => client.query<R>(sql, [cycleId, this.config.failureWindowSeconds, this.config.failureThreshold]));
  }
}
