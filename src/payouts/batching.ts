import type pg from 'pg';
import { PROGRAMME_TAGS } from '../programmes/payment-generation.js';
import { tagUnionSql } from '../programmes/tags.js';
import { batchSizeSql, isBatchChannelSql } from './rails.js';
import type { RoutingDecision } from './routing/routing-decision.js';
import { BatchStatus, PaymentStatus } from '../programmes/programme.enums.js';
import { PAYMENT_STATES } from '../programmes/payment-states.js';
import { BATCH_STATES } from './g2p-connect/batch-states.js';

const PENDING = PAYMENT_STATES.sql(PaymentStatus.PENDING);

/**
 * Cuts payments into READY batches, one INSERT of the batches and one UPDATE of the payments whatever
 * their number. `todo` is a query with columns id, amount, region, channel_id, size (the channel's batch
 * size); its $1 is the cycle id. Payments are numbered per channel, region and beneficiary tags, so a batch never mixes
 * channels, regions, or beneficiaries with different tags (a batch carries its programme's and its beneficiaries' tags). A PENDING payment's reason can only say why routing left it unbatched, so it is cleared.
 */
async function batchPayments(client: pg.ClientBase, cycleId: string, todo: string, params: unknown[]): Promise<number> {
  const { rows } = await client.query<{ created: number }>(
    `with todo as (
       select t.id, t.amount, t.region, t.channel_id, pb.tags,
              (row_number() over (partition by t.channel_id, t.region, pb.tags order by t.id) - 1) / t.size as bucket
         from (${todo}) t
         join disbursement_payments tp on tp.id = t.id
         join programme_beneficiaries pb on pb.id = tp.beneficiary_id),
     buckets as materialized (
       select gen_random_uuid() as batch_id, channel_id, region, tags, bucket, count(*)::int as payment_count, sum(amount) as total_amount,
              (select coalesce(max(seq), 0) from disbursement_batches where cycle_id = $1)
                + row_number() over (order by channel_id, region nulls first, tags, bucket) as seq
         from todo group by channel_id, region, tags, bucket),
     batches as (
       insert into disbursement_batches (id, cycle_id, channel_id, seq, status, payment_count, total_amount, region, tags, attempts, created_at, updated_at)
       select batch_id, $1, channel_id, seq, ${BATCH_STATES.sql(BatchStatus.READY)}, payment_count, total_amount, region, ${tagUnionSql(PROGRAMME_TAGS, 'tags')}, 0, now(), now() from buckets
       returning id),
     assigned as (
       update disbursement_payments p set batch_id = k.batch_id, reason_code = null, reason_message = null, updated_at = now()
         from todo t join buckets k on k.channel_id = t.channel_id and k.region is not distinct from t.region and k.tags = t.tags and k.bucket = t.bucket
        where p.id = t.id
       returning 1)
     select (select count(*) from batches)::int as created, (select count(*) from assigned)::int as assigned`,
    [cycleId, ...params],
  );
  return rows[0].created;
}

/** The cycle's unbatched PENDING payments, all on one channel (the programme's: no routing rules). */
export function createBatches(client: pg.ClientBase, cycleId: string, channelId: string, size: number): Promise<number> {
  return batchPayments(
    client,
    cycleId,
    `select p.id, p.amount, p.region, $2::uuid as channel_id, $3::int as size
       from disbursement_payments p where p.cycle_id = $1 and p.batch_id is null and p.status = ${PENDING}`,
    [channelId, size],
  );
}

/** The cycle's unbatched PENDING payments that the routing decision sends to a batch rail's channel, in batches of that channel's size. */
export function createRoutedBatches(client: pg.ClientBase, decision: RoutingDecision): Promise<number> {
  return batchPayments(
    client,
    decision.cycleId,
    `select p.id, p.amount, p.region, r.channel_id, ${batchSizeSql('c')} as size
       from (${decision.sql}) r
       join payout_channels c on c.id = r.channel_id and ${isBatchChannelSql('c')}
       join disbursement_payments p on p.id = r.payment_id
      where p.cycle_id = $1 and p.batch_id is null and p.status = ${PENDING}`,
    [],
  );
}
