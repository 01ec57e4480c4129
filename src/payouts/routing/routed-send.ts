import type pg from 'pg';
import type { Config } from '../../config.js';
import { createRoutedBatches } from '../batching.js';
import { PAYEE_UNRESOLVED, payeeJoin } from '../../programmes/payment-generation.js';
import type { ChannelSettings, EnvelopeRail } from '../rail.js';
import { envelopeRails, isBatchChannelSql, railOf } from '../rails.js';
import { decideRouting, type RoutingDecision } from './routing-decision.js';
import { BatchStatus, PaymentStatus } from '../../programmes/programme.enums.js';
import { PAYMENT_STATES } from '../../programmes/payment-states.js';
import { BATCH_STATES } from '../g2p-connect/batch-states.js';

/** Reason code on PENDING payments a routed send leaves unbatched; a later send routes them again. */
export const ROUTING_NO_CHANNEL = 'ROUTING_NO_CHANNEL';
const NO_CHANNEL_MESSAGE = 'no enabled routing rule matches this payment with an available channel; it was not sent';

/** True when routing rules decide where payments go (any enabled rule); otherwise the programme's channel does. */
export async function routingActive(client: pg.ClientBase): Promise<boolean> {
  return (await client.query('select 1 from payout_routing_rules where enabled limit 1')).rowCount !== 0;
}

/**
 * Applies the routing decision (the dry run's SQL) to one cycle, inside the caller's transaction and
 * under its cycle lock; set-based whatever the cycle's size. Payments whose routed channel differs from
 * their batch's leave that batch (only never-attempted READY batches are touched; emptied ones are
 * deleted, the others recounted); those routed to a batch rail's channel (rails.ts) get that channel's payee
 * address (FAILED with the reason when it cannot be built) and new batches per channel and region; those routed to
 * an envelope rail's channel (a sponsor bank) are handed over in envelopes there; the rest stay PENDING and unbatched with a reason code.
 */
export async function routeCycle(client: pg.ClientBase, cycleId: string, config: Config['routing']): Promise<{ batchesCreated: number; handedOver: Array<{ rail: EnvelopeRail; envelopeIds: string[] }> }> {
  const open = await client.query<{ id: string }>(
    `select id from disbursement_batches where cycle_id = $1 and status = ${BATCH_STATES.sql(BatchStatus.READY)} and attempts = 0 order by id for update`,
    [cycleId],
  );
  const decision = await decideRouting(client, cycleId, config);
  await client.query(
    `update disbursement_payments p
        set batch_id = null, updated_at = now(),
            reason_code = case when c.id is null then '${ROUTING_NO_CHANNEL}' end,
            reason_message = case when c.id is null then '${NO_CHANNEL_MESSAGE}' end
       from (${decision.sql}) r left join payout_channels c on c.id = r.channel_id
      where p.id = r.payment_id
        and (p.batch_id is null or c.id is null or not ${isBatchChannelSql('c')}
             or r.channel_id <> (select b.channel_id from disbursement_batches b where b.id = p.batch_id))`,
  );
  await client.query(
    `with counts as (
       select b.id, count(p.id)::int as n, coalesce(sum(p.amount), 0) as total
         from disbursement_batches b left join disbursement_payments p on p.batch_id = b.id
        where b.id = any($1::uuid[]) group by b.id),
     emptied as (delete from disbursement_batches b using counts c where b.id = c.id and c.n = 0 returning 1)
     update disbursement_batches b set payment_count = c.n, total_amount = c.total, updated_at = now()
       from counts c where b.id = c.id and c.n > 0 and b.payment_count <> c.n`,
    [open.rows.map((r) => r.id)],
  );
  await readdress(client, decision);
  const handedOver: Array<{ rail: EnvelopeRail; envelopeIds: string[] }> = [];
  for (const rail of envelopeRails()) handedOver.push({ rail, envelopeIds: await rail.handOver(client, cycleId, decision) });
  return { batchesCreated: await createRoutedBatches(client, decision), handedOver };
}

/**
 * The payee address depends on the channel's rail and settings: unbatched payments routed to a batch rail's
 * channel get it rebuilt by that channel's rule (one statement per channel), or are FAILED with the reason.
 */
async function readdress(client: pg.ClientBase, decision: RoutingDecision): Promise<void> {
  const targets = await client.query<ChannelSettings>(
    `select c.id, c.kind, c.g2p_config as "g2pConfig", c.sponsor_bank_config as "sponsorBankConfig", c.rail_config as "railConfig"
       from payout_channels c
      where ${isBatchChannelSql('c')} and c.id in (
        select r.channel_id from (${decision.sql}) r join disbursement_payments p on p.id = r.payment_id where p.batch_id is null)`,
  );
  for (const channel of targets.rows) {
    const address = railOf(channel.kind).paymentGeneration(channel).address;
    if (!address) continue;
    await client.query(
      `with src as (
         select p.id, ${address.fa} as fa, ${address.reason} as reason
           from (${decision.sql}) r
           join disbursement_payments p on p.id = r.payment_id
           ${payeeJoin('p.beneficiary_id')}
          where r.channel_id = $2 and p.cycle_id = $1 and p.batch_id is null and p.status in ${PAYMENT_STATES.sqlFrom(PaymentStatus.FAILED, [PaymentStatus.PENDING])})
       update disbursement_payments p
          set payee_fa = s.fa, status = case when s.fa is null then ${PAYMENT_STATES.sql(PaymentStatus.FAILED)} else p.status end,
              reason_code = case when s.fa is null then '${PAYEE_UNRESOLVED}' end, reason_message = s.reason, updated_at = now()
         from src s where p.id = s.id`,
      [decision.cycleId, channel.id],
    );
  }
}
