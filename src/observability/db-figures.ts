import { PendingChangeStatus } from '../approvals/pending-change.entity.js';
import { CycleStatus } from '../programmes/programme.enums.js';
import { CancellationStatus } from '../payouts/sponsor-bank/envelopes/envelope.enums.js';
import { CANCELLATION_STATES } from '../payouts/sponsor-bank/envelopes/envelope-states.js';
import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * The money and work figures, read from the database with a few aggregate queries: right whichever
 * process did the work, and unaffected by restarts. Every label value comes from a state column (a
 * closed enum), a currency code or a queue name.
 */
export interface DbFigures {
  /** OTP collections and external-PSP payments (payment_transactions by who reported them). */
  transactions: Array<{ source: 'otp' | 'psp'; state: string; currency: string; count: number; amount: number }>;
  payments: Array<{ status: string; currency: string; count: number; amount: number }>;
  batches: Array<{ status: string; count: number; attempts: number; retries: number }>;
  envelopes: Array<{ funds_status: string; block_status: string; count: number }>;
  bankDisbursements: Array<{ status: string; count: number }>;
  statementEntries: { paid: number; reversed: number; error: number; ignored: number };
  queues: Array<{ queue: string; waiting: number; active: number; oldest_seconds: number }>;
  /** Four eyes: what waits for a second person. */
  awaitingApproval: Array<{ subject: 'cycle' | 'envelope'; count: number }>;
  pendingChanges: Array<{ status: string; count: number }>;
}

const QUERIES = {
  transactions: `
    select case when p.is_external_api_user then 'psp' else 'otp' end as source, t.state, t.currency,
           count(*)::int as count, coalesce(sum(t.amount), 0)::float8 as amount
      from payment_transactions t join payment_service_providers p on p.uuid = t.psp_uuid
     group by 1, 2, 3`,
  payments: `
    select status, currency, count(*)::int as count, coalesce(sum(amount), 0)::float8 as amount
      from disbursement_payments group by 1, 2`,
  batches: `
    select status, count(*)::int as count, coalesce(sum(attempts), 0)::int as attempts,
           coalesce(sum(greatest(attempts - 1, 0)), 0)::int as retries
      from disbursement_batches group by 1`,
  envelopes: `select funds_status, block_status, count(*)::int as count from disbursement_envelopes group by 1, 2`,
  bankDisbursements: `select status, count(*)::int as count from sponsor_bank_disbursements group by 1`,
  // A draft cycle with an approval in its current round is in approval; an API envelope until its last stage.
  awaitingApproval: `
    select 'cycle' as subject, count(*)::int as count from programme_cycles c
     where c.status = '${CycleStatus.DRAFT}' and exists (select 1 from cycle_approvals a where a.cycle_id = c.id and a.round = c.approval_round)
    union all
    select 'envelope', count(*)::int from disbursement_envelopes where approval_required and approved_at is null and cancellation_status = ${CANCELLATION_STATES.sql(CancellationStatus.NOT_CANCELLED)}`,
  pendingChanges: `
    select case when status = '${PendingChangeStatus.PENDING}' and expires_at <= now() then '${PendingChangeStatus.EXPIRED}' else status end as status, count(*)::int as count
      from pending_changes group by 1`,
  statementEntries: `
    select coalesce(sum(paid_count), 0)::int as paid, coalesce(sum(reversed_count), 0)::int as reversed,
           coalesce(sum(error_count), 0)::int as error, coalesce(sum(ignored_count), 0)::int as ignored
      from bank_statements`,
  // Jobs not yet finished, per declared queue (zero rows for an idle queue still name it).
  queues: `
    select q.name as queue,
           count(j.*) filter (where j.state in ('created', 'retry'))::int as waiting,
           count(j.*) filter (where j.state = 'active')::int as active,
           coalesce(extract(epoch from now() - min(j.created_on) filter (where j.state in ('created', 'retry') and j.start_after <= now())), 0)::float8 as oldest_seconds
      from pgboss.queue q left join pgboss.job j on j.name = q.name and j.state in ('created', 'retry', 'active')
     group by q.name`,
};

/** Scrapes within this many ms share one reading: several Prometheus servers or a fast interval cost one round. */
const CACHE_MS = 5_000;

export class DbFiguresReader {
  private cached?: { at: number; figures: Promise<DbFigures> };

  constructor(private readonly orm: MikroORM) {}

  read(): Promise<DbFigures> {
    if (!this.cached || Date.now() - this.cached.at > CACHE_MS) {
      const figures = this.query();
      this.cached = { at: Date.now(), figures };
      figures.catch(() => (this.cached = undefined)); // a failed reading is not kept
    }
    return this.cached.figures;
  }

  private async query(): Promise<DbFigures> {
    const connection = this.orm.em.getConnection();
    const run = (sql: string) => connection.execute<any[]>(sql);
    const [transactions, payments, batches, envelopes, bankDisbursements, [statementEntries], queues, awaitingApproval, pendingChanges] = await Promise.all([
      run(QUERIES.transactions), run(QUERIES.payments), run(QUERIES.batches), run(QUERIES.envelopes),
      run(QUERIES.bankDisbursements), run(QUERIES.statementEntries), run(QUERIES.queues), run(QUERIES.awaitingApproval), run(QUERIES.pendingChanges),
    ]);
    return { transactions, payments, batches, envelopes, bankDisbursements, statementEntries, queues, awaitingApproval, pendingChanges };
  }
}
