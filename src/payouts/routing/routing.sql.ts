import { healthKeySql } from '../rails.js';
import { BatchStatus, PaymentStatus } from '../../programmes/programme.enums.js';
import { PAYMENT_STATES } from '../../programmes/payment-states.js';
import { BATCH_STATES } from '../g2p-connect/batch-states.js';

/**
 * The routing decision for every PENDING payment of a cycle that a send may still route (unbatched, or in
 * a READY batch never attempted: a batch the payer may have seen keeps its payments and channel), in one
 * statement, so the dry run and sending can never disagree.
 * $1 cycle id, $2 failure window (seconds), $3 failures that make a channel unavailable.
 * A channel is available when enabled, with fewer than $3 integration errors in the last $2 seconds, and
 * its circuit breaker not holding calls back (OPEN before `opened_until`, or a half-open probe under way;
 * keys as each channel's rail gives them, e.g. `g2p:<channel id>`, `bank:<bank code>`).
 * A function, not a constant: it reads the rail registry, which may still be loading when this module is.
 * Columns: payment_id, amount, rule_id, channel_id (null = no rule matched an available channel).
 */
export const routedPaymentsSql = (): string => `
with available as (
  select c.id from payout_channels c
   where c.enabled
     and (select count(*) from integration_errors e where e.channel_id = c.id and e.occurred_at > now() - make_interval(secs => $2)) < $3
     and not exists (
       select 1 from channel_breakers h
        where h.channel = ${healthKeySql('c')}
          and ((h.state = 'OPEN' and h.opened_until > now()) or (h.state = 'HALF_OPEN' and h.probe_until > now()))))
select p.id as payment_id, p.amount, r.id as rule_id, r.channel_id
  from disbursement_payments p
  left join lateral (
    select r.id, r.channel_id from payout_routing_rules r
     where r.enabled and r.channel_id in (select id from available)
       and (r.min_amount is null or p.amount >= r.min_amount)
       and (r.max_amount is null or p.amount <= r.max_amount)
       and (r.regions is null or p.region = any(r.regions))
       and (r.payee_id_types is null or lower(split_part(p.payee_fa, ':', 1)) = any(r.payee_id_types))
     order by r.priority limit 1) r on true
 where p.cycle_id = $1 and p.status = ${PAYMENT_STATES.sql(PaymentStatus.PENDING)}
   and (p.batch_id is null
        or exists (select 1 from disbursement_batches b where b.id = p.batch_id and b.status = ${BATCH_STATES.sql(BatchStatus.READY)} and b.attempts = 0))`;

/** The same decision summed per rule and channel. */
export const routingSummarySql = (): string => `
select rule_id, channel_id, count(*)::int as payments, coalesce(sum(amount), 0)::text as total_amount
  from (${routedPaymentsSql()}) routed
 group by rule_id, channel_id
 order by count(*) desc`;
