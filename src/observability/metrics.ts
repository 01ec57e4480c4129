import type { Pool } from 'pg';
import { Gauge, Registry } from 'prom-client';
import type { Container } from '../container.js';
import { JobQueue } from '../jobs/job-queue.js';
import { type DbFigures, DbFiguresReader } from './db-figures.js';
import { processRegistry } from './process-metrics.js';

type Rows = Array<[Record<string, string>, number]>;

/**
 * One app's /metrics: the process's own measurements (process-metrics.ts) and, read at scrape time,
 * the database's figures (db-figures.ts) and the connection pools. The figures are the same from every
 * process on one database: aggregate them with max(), not sum().
 */
export class Metrics {
  private readonly registry = new Registry();
  private readonly reader: DbFiguresReader;
  private readonly up: Gauge;

  constructor(private readonly container: Container) {
    this.reader = new DbFiguresReader(container.orm);
    this.up = new Gauge({ name: 'hela_db_figures_up', help: '1 when the last scrape read the database figures, 0 when the database did not answer', registers: [this.registry] });
    this.declareFigures();
    this.declarePools();
  }

  async render(): Promise<{ contentType: string; body: string }> {
    const merged = Registry.merge([processRegistry, this.registry]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }

  private declareFigures(): void {
    const money = (rows: Array<{ currency: string; count: number; amount: number } & Record<string, any>>, key: string, of: 'count' | 'amount'): Rows =>
      rows.map((row) => [{ [key]: row[key], currency: row.currency }, row[of]]);
    const transactions = (source: 'otp' | 'psp') => (f: DbFigures) => f.transactions.filter((row) => row.source === source);
    this.figure('hela_collections', 'OTP collections (payment_transactions of PSPs that Hela collects through) by state and currency', ['state', 'currency'], (f) => money(transactions('otp')(f), 'state', 'count'));
    this.figure('hela_collections_amount', 'Amount of OTP collections by state and currency', ['state', 'currency'], (f) => money(transactions('otp')(f), 'state', 'amount'));
    this.figure('hela_psp_payments', 'Payments reported by external PSPs (processPayment) by state and currency', ['state', 'currency'], (f) => money(transactions('psp')(f), 'state', 'count'));
    this.figure('hela_psp_payments_amount', 'Amount of payments reported by external PSPs by state and currency', ['state', 'currency'], (f) => money(transactions('psp')(f), 'state', 'amount'));
    this.figure('hela_disbursement_payments', 'Disbursement payments by status and currency', ['status', 'currency'], (f) => money(f.payments, 'status', 'count'));
    this.figure('hela_disbursement_payments_amount', 'Amount of disbursement payments by status and currency', ['status', 'currency'], (f) => money(f.payments, 'status', 'amount'));
    this.figure('hela_disbursement_batches', 'Disbursement batches by status', ['status'], (f) => f.batches.map((row) => [{ status: row.status }, row.count]));
    this.figure('hela_disbursement_batch_attempts', 'Send attempts of disbursement batches, by batch status', ['status'], (f) => f.batches.map((row) => [{ status: row.status }, row.attempts]));
    this.figure('hela_disbursement_batch_retries', 'Send attempts after the first (retries), by batch status', ['status'], (f) => f.batches.map((row) => [{ status: row.status }, row.retries]));
    this.figure('hela_sponsor_bank_envelopes', 'Sponsor-bank disbursement envelopes by funds check and funds block state', ['funds_status', 'block_status'], (f) => f.envelopes.map((row) => [{ funds_status: row.funds_status, block_status: row.block_status }, row.count]));
    this.figure('hela_sponsor_bank_disbursements', 'Sponsor-bank disbursements by status', ['status'], (f) => f.bankDisbursements.map((row) => [{ status: row.status }, row.count]));
    this.figure('hela_statement_entries', 'Bank statement entries by reconciliation outcome (paid = reconciled, reversed, error, ignored)', ['outcome'], (f) =>
      Object.entries(f.statementEntries).map(([outcome, count]) => [{ outcome }, count]));
    this.figure('hela_awaiting_approval', 'Cycles in approval (a stage approved, not the last) and API-created sponsor-bank envelopes not yet approved', ['subject'], (f) => f.awaitingApproval.map((row) => [{ subject: row.subject }, row.count]));
    this.figure('hela_pending_changes', 'Changes to settings that redirect money, by status (PENDING ones wait for a second admin)', ['status'], (f) => f.pendingChanges.map((row) => [{ status: row.status }, row.count]));
    this.figure('hela_job_queue_waiting', 'Jobs waiting (created or retry) per pg-boss queue', ['queue'], (f) => f.queues.map((row) => [{ queue: row.queue }, row.waiting]));
    this.figure('hela_job_queue_active', 'Jobs being worked on per pg-boss queue', ['queue'], (f) => f.queues.map((row) => [{ queue: row.queue }, row.active]));
    this.figure('hela_job_queue_oldest_waiting_seconds', 'Age of the oldest job due and not yet started per pg-boss queue', ['queue'], (f) => f.queues.map((row) => [{ queue: row.queue }, row.oldest_seconds]));
  }

  /** A gauge set from the database figures at each scrape (one cached reading serves them all). */
  private figure(name: string, help: string, labelNames: string[], rows: (figures: DbFigures) => Rows): void {
    const reader = this.reader;
    const up = this.up;
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        let figures: DbFigures;
        try {
          figures = await reader.read();
        } catch {
          up.set(0);
          return;
        }
        up.set(1);
        for (const [labels, value] of rows(figures)) this.set(labels, Number(value));
      },
    });
  }

  private declarePools(): void {
    const { container } = this;
    new Gauge({
      name: 'hela_db_pool_connections',
      help: 'Database connections of this process by pool (orm, jobs) and state (in_use, idle, waiting = requests queued for a connection)',
      labelNames: ['pool', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const pools: Array<[string, Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount'> | undefined]> = [
          ['orm', (await container.orm.em.getConnection().getNativeClient()) as Pool],
          ['jobs', container.get(JobQueue).pool()],
        ];
        for (const [pool, counts] of pools) {
          if (!counts) continue;
          this.set({ pool, state: 'in_use' }, counts.totalCount - counts.idleCount);
          this.set({ pool, state: 'idle' }, counts.idleCount);
          this.set({ pool, state: 'waiting' }, counts.waitingCount);
        }
      },
    });
  }
}
