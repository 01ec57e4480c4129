import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { findPage, type Page } from '../common/paging.js';
import type { JobProgressService } from '../jobs/progress/job-progress.service.js';
import { DisbursementBatch } from '../payouts/g2p-connect/batch.entity.js';
import type { BulkDb } from '../db/bulk-db.js';
import { Cycle } from './cycle.entity.js';
import type { BatchesArgs, CycleSummary, CyclesArgs, IntegrationErrorsArgs, PaymentsArgs } from './programme.inputs.js';
import { IntegrationError } from '../payouts/integration-error.entity.js';
import { DisbursementPayment } from './payment.entity.js';
import { Programme } from './programme.entity.js';

/** Read side for programme managers and admins: lists with filters, and status counts per cycle. */
export class DisbursementQueryService {
  constructor(
    private readonly db: BulkDb,
    private readonly progress: JobProgressService,
  ) {}

  async programmes(em: EntityManager, args: { limit: number; offset: number }): Promise<Page<Programme>> {
    return findPage(em, Programme, {}, args, { orderBy: { mnemonic: 'asc' } });
  }

  async cycles(em: EntityManager, args: CyclesArgs): Promise<Page<Cycle>> {
    const where: FilterQuery<Cycle> = {};
    if (args.programmeId) where.programme = args.programmeId;
    if (args.status) where.status = args.status;
    return findPage(em, Cycle, where, args, { orderBy: { createdAt: 'desc' }, populate: ['programme'] });
  }

  async batches(em: EntityManager, args: BatchesArgs): Promise<Page<DisbursementBatch>> {
    const where: FilterQuery<DisbursementBatch> = {};
    if (args.cycleId) where.cycle = args.cycleId;
    if (args.channelId) where.channelId = args.channelId;
    if (args.status) where.status = args.status;
    return findPage(em, DisbursementBatch, where, args, { orderBy: { createdAt: 'asc', seq: 'asc' } });
  }

  async payments(em: EntityManager, args: PaymentsArgs): Promise<Page<DisbursementPayment>> {
    const where: FilterQuery<DisbursementPayment> = {};
    if (args.cycleId) where.cycle = args.cycleId;
    if (args.batchId) where.batch = args.batchId;
    if (args.status) where.status = args.status;
    return findPage(em, DisbursementPayment, where, args, { orderBy: { id: 'asc' } });
  }

  async integrationErrors(em: EntityManager, args: IntegrationErrorsArgs): Promise<Page<IntegrationError>> {
    const where: FilterQuery<IntegrationError> = {};
    if (args.channelId) where.channelId = args.channelId;
    if (args.batchId) where.batchId = args.batchId;
    if (args.operation) where.operation = args.operation;
    return findPage(em, IntegrationError, where, args, { orderBy: { id: 'desc' } });
  }

  async summary(em: EntityManager, cycleId: string): Promise<CycleSummary> {
    const payments = await this.db.query(
      `select status, count(*)::int as count, sum(amount)::text as amount from disbursement_payments where cycle_id = $1 group by status order by status`,
      [cycleId],
    );
    const batches = await this.db.query(`select status, count(*)::int as count, sum(total_amount)::text as amount from disbursement_batches where cycle_id = $1 group by status order by status`, [cycleId]);
    const jobs = await this.progress.list(em, { cycleId }, { limit: 10, offset: 0 });
    return { cycleId, payments: payments.rows, batches: batches.rows, jobs: jobs.items };
  }
}
