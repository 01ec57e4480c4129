import { BadInputError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import { JobQueue } from '../jobs/job-queue.js';
import { BulkDb } from './bulk-db.js';
import { batchFilterSql, parseBatchFilter } from './channels/batch-filter.js';
import { ChannelDirectory, type ChannelHandle } from './channel-directory.js';
import { ChannelUnavailableError, NothingToSendError } from './disbursement.errors.js';

export const SEND_QUEUE = 'disbursement-send';
export const STATUS_QUEUE = 'disbursement-status';

export interface SendScope {
  cycleId?: string;
  channelId?: string;
  batchIds?: string[];
}

export interface SendReport {
  batchesCreated: number;
  batchesQueued: number;
  /** Batches left READY because the channel's batch filter excludes them. */
  batchesFiltered: number;
}

/**
 * sendDisbursements: groups the approved cycles' unbatched PENDING payments into batches (the
 * channel's size, never mixing regions), selects the batches the channel's filter admits, marks them
 * QUEUED and enqueues one send job per batch. Sending itself is the workers' (batch-worker.ts).
 */
export class SendService {
  private readonly bulk: BulkDb;
  private readonly channels: ChannelDirectory;
  private readonly jobs: JobQueue;

  constructor(container: Container) {
    this.bulk = container.get(BulkDb);
    this.channels = container.get(ChannelDirectory);
    this.jobs = container.get(JobQueue);
  }

  async send(scope: SendScope): Promise<SendReport> {
    const given = [scope.cycleId, scope.channelId, scope.batchIds?.length ? scope.batchIds : undefined].filter((v) => v !== undefined);
    if (given.length !== 1) throw new BadInputError('give exactly one of cycleId, channelId or batchIds');
    const channelIds = await this.channelIdsOf(scope);
    const report: SendReport = { batchesCreated: 0, batchesQueued: 0, batchesFiltered: 0 };
    const queued: string[] = [];
    for (const channelId of channelIds) {
      const channel = await this.channels.find(channelId);
      if (!channel) throw new ChannelUnavailableError(channelId, 'does not exist');
      if (!channel.enabled) throw new ChannelUnavailableError(channelId, 'is disabled');
      const result = await this.batchAndQueue(channel, scope);
      report.batchesCreated += result.created;
      report.batchesFiltered += result.filtered;
      queued.push(...result.queued);
    }
    report.batchesQueued = queued.length;
    if (report.batchesCreated === 0 && queued.length === 0) throw new NothingToSendError(describe(scope));
    await this.jobs.sendMany(SEND_QUEUE, queued.map((batchId) => ({ data: { batchId }, singletonKey: batchId })));
    return report;
  }

  private async channelIdsOf(scope: SendScope): Promise<string[]> {
    if (scope.channelId) return [scope.channelId];
    const { rows } = scope.cycleId
      ? await this.bulk.query(`select p.channel_id from programme_cycles c join programmes p on p.id = c.programme_id where c.id = $1`, [scope.cycleId])
      : await this.bulk.query(`select distinct channel_id from disbursement_batches where id = any($1::uuid[])`, [scope.batchIds]);
    if (!rows.length) throw new BadInputError(scope.cycleId ? `cycle ${scope.cycleId} not found` : 'none of these batches exists');
    return rows.map((r) => r.channel_id);
  }

  private batchAndQueue(channel: ChannelHandle, scope: SendScope): Promise<{ created: number; queued: string[]; filtered: number }> {
    const { batchSize, batchFilter } = channel.runtime.config;
    const filterSql = batchFilterSql(parseBatchFilter(batchFilter), { tags: `'{}'::text[]`, region: 'b.region', totalAmount: 'b.total_amount', paymentCount: 'b.payment_count' });
    return this.bulk.transaction(async (client) => {
      // Cycles in scope, locked so two concurrent calls cannot batch the same payments.
      const cycles = await client.query<{ id: string }>(
        `select c.id from programme_cycles c join programmes p on p.id = c.programme_id
          where c.status = 'APPROVED' and p.channel_id = $1
            and ($2::uuid is null or c.id = $2)
            and ($3::uuid[] is null or c.id in (select cycle_id from disbursement_batches where id = any($3::uuid[])))
          order by c.id for update of c`,
        [channel.id, scope.cycleId ?? null, scope.batchIds ?? null],
      );
      let created = 0;
      if (!scope.batchIds) {
        for (const { id } of cycles.rows) created += await createBatches(client, id, channel.id, batchSize);
      }
      const cycleIds = cycles.rows.map((r) => r.id);
      // Explicit batch ids may also re-queue batches that gave up (ERROR).
      const states = scope.batchIds ? `('READY', 'ERROR')` : `('READY')`;
      const inScope = `b.cycle_id = any($1::uuid[]) and b.channel_id = $2 and b.status in ${states} and ($3::uuid[] is null or b.id = any($3::uuid[]))`;
      const queued = await client.query<{ id: string }>(
        `update disbursement_batches b set status = 'QUEUED', next_attempt_at = null, updated_at = now()
          where ${inScope} and ${filterSql} returning b.id`,
        [cycleIds, channel.id, scope.batchIds ?? null],
      );
      const left = await client.query<{ n: number }>(`select count(*)::int as n from disbursement_batches b where ${inScope}`, [cycleIds, channel.id, scope.batchIds ?? null]);
      return { created, queued: queued.rows.map((r) => r.id), filtered: left.rows[0].n };
    });
  }
}

/**
 * Numbers the cycle's unbatched PENDING payments per region and cuts them into batches of `size`:
 * one INSERT of the batches and one UPDATE of the payments, whatever the cycle's size.
 */
async function createBatches(client: import('pg').ClientBase, cycleId: string, channelId: string, size: number): Promise<number> {
  const { rows } = await client.query<{ created: number }>(
    `with todo as (
       select p.id, p.amount, p.region, (row_number() over (partition by p.region order by p.id) - 1) / $3 as bucket
         from disbursement_payments p
        where p.cycle_id = $1 and p.batch_id is null and p.status = 'PENDING'),
     buckets as materialized (
       select gen_random_uuid() as batch_id, region, bucket, count(*)::int as payment_count, sum(amount) as total_amount,
              (select coalesce(max(seq), 0) from disbursement_batches where cycle_id = $1) + row_number() over (order by region nulls first, bucket) as seq
         from todo group by region, bucket),
     batches as (
       insert into disbursement_batches (id, cycle_id, channel_id, seq, status, payment_count, total_amount, region, attempts, created_at, updated_at)
       select batch_id, $1, $2, seq, 'READY', payment_count, total_amount, region, 0, now(), now() from buckets
       returning id),
     assigned as (
       update disbursement_payments p set batch_id = k.batch_id, updated_at = now()
         from todo t join buckets k on k.region is not distinct from t.region and k.bucket = t.bucket
        where p.id = t.id
       returning 1)
     select (select count(*) from batches)::int as created, (select count(*) from assigned)::int as assigned`,
    [cycleId, channelId, size],
  );
  return rows[0].created;
}

function describe(scope: SendScope): string {
  if (scope.cycleId) return `cycle ${scope.cycleId}`;
  if (scope.channelId) return `channel ${scope.channelId}`;
  return `batches ${scope.batchIds!.join(', ')}`;
}
