import type pg from 'pg';
import type { PayeeColumns } from '../payouts/g2p-connect/payee-fa.js';
import type { PayeeAddressSql } from '../payouts/rail.js';
import { tagUnionSql } from './tags.js';
import { BatchStatus, PaymentStatus } from './programme.enums.js';
import { PAYMENT_STATES } from './payment-states.js';
import { BATCH_STATES } from '../payouts/g2p-connect/batch-states.js';
import { uuidV7Prefix, uuidV7Sql } from '../common/uuid.js';

/** SQL: the tags of the programme of cycle $1. */
export const PROGRAMME_TAGS = `(select pr.tags from programme_cycles cy join programmes pr on pr.id = cy.programme_id where cy.id = $1)`;

/** Reason code stored on payments that fail before sending because no payee address could be built. */
export const PAYEE_UNRESOLVED = 'hela.payee.unresolved';

/** The payee's attributes, as joined by `payeeJoin` (alias `i`; all null when there is no payee). */
export const PAYEE_COLUMNS: PayeeColumns = {
  bankAccountNumber: 'i.bank_account_number',
  iban: 'i.iban',
  bic: 'i.bic',
  phone: 'i.phone',
  email: 'i.email',
  registrantIds: 'i.registrant_ids',
  payeeKey: 'i.uuid',
};

/** Joins a beneficiary (`beneficiaryId` expression) to its payee: the insuree, or the family's head (`i`), and their families (`f`, `fi`). */
export function payeeJoin(beneficiaryId: string): string {
  return `join programme_beneficiaries b on b.id = ${beneficiaryId}
         left join families f on b.kind = 'FAMILY' and f.uuid = b.registrant_id
         left join insurees i on i.uuid = case when b.kind = 'FAMILY' then f.head_uuid else b.registrant_id end
         left join families fi on fi.uuid = i.family_uuid`;
}

/**
 * One statement turns a cycle's entitlements into payments, already cut into READY batches of the
 * channel's size (never mixing regions, nor beneficiaries with different tags). The payee is the insuree, or the family's head; the payee address
 * is built in SQL as the channel's rail says (PaymentGeneration), and a payment without one is FAILED with the
 * reason at once (never silently dropped, never batched). The unique entitlement_id makes a second generation
 * impossible. Without an address (an envelope rail) payments are all PENDING and unbatched: a send hands them over.
 */
export async function generatePayments(
  client: pg.ClientBase,
  cycleId: string,
  channel: { id: string; address: PayeeAddressSql | null; batchSize: number },
): Promise<{ pending: number; failed: number }> {
  const { fa, reason } = channel.address ?? { fa: 'null::text', reason: 'null::text' };
  const failed = channel.address ? 'n.fa is null' : 'false';
  // Most cycles have no tagged beneficiary: then batches are cut by region alone, as fast as before tags.
  const tagged = await client.query(
    `select 1 from entitlements e join programme_beneficiaries b on b.id = e.beneficiary_id where e.cycle_id = $1 and b.tags <> '{}' limit 1`,
    [cycleId],
  );
  const byTags = tagged.rowCount !== 0;
  const key = (alias: string) => (byTags ? `, ${alias}tags` : '');
  // A million rows joined, sorted and hashed in memory rather than spilled to disk (this transaction only,
  // each plan node its own); and no JIT: compiling this plan costs more than the seconds it could save.
  await client.query(`set local work_mem = '256MB'`);
  await client.query('set local jit = off');
  // One sort serves every window below: partition (addressed or not, region, tags), then entitlement. Payment
  // and batch ids are UUIDv7s counted in that order, so the rows reach every index of the payments in order.
  const order = `s.fa is null, s.region${key('s.')}, s.entitlement_id`;
  const result = await client.query<{ status: string; count: number }>(
    `with src as (
       select e.id as entitlement_id, e.beneficiary_id, e.amount, e.currency, x.fa, x.reason, ${byTags ? 'b.tags' : `'{}'::text[]`} as tags,
              left(nullif(trim(concat_ws(' ', i.other_names, i.last_name)), ''), 255) as payee_name,
              left(coalesce(f.region, fi.region), 100) as region
         from entitlements e
         ${payeeJoin('e.beneficiary_id')}
         cross join lateral (select ${fa} as fa, ${reason} as reason) x
        where e.cycle_id = $1),
     numbered as (
       select s.*, ${uuidV7Sql('$4', `row_number() over (order by ${order})`)} as id,
              dense_rank() over (order by s.fa is null, s.region${key('s.')}) as part,
              case when s.fa is not null then (row_number() over (partition by s.fa is null, s.region${key('s.')} order by s.entitlement_id) - 1) / $3 end as bucket
         from src s),
     buckets as materialized (
       select part, bucket, region, ${byTags ? 'tags' : `'{}'::text[] as tags`}, count(*)::int as payment_count, sum(amount) as total_amount,
              row_number() over (order by region nulls first${key('')}, bucket) as seq
         from numbered where bucket is not null group by part, bucket, region${key('')}),
     batches as (
       insert into disbursement_batches (id, cycle_id, channel_id, seq, status, payment_count, total_amount, region, tags, attempts, created_at, updated_at)
       select ${uuidV7Sql('$5', 'seq')}, $1, $2, seq, ${BATCH_STATES.sql(BatchStatus.READY)}, payment_count, total_amount, region, ${tagUnionSql(PROGRAMME_TAGS, 'tags')}, 0, now(), now() from buckets
       returning 1),
     inserted as (
       insert into disbursement_payments
         (id, cycle_id, entitlement_id, beneficiary_id, batch_id, amount, currency, payee_fa, payee_name, region, status, reason_code, reason_message, created_at, updated_at)
       select n.id, $1, n.entitlement_id, n.beneficiary_id, ${uuidV7Sql('$5', 'k.seq')}, n.amount, n.currency, n.fa, n.payee_name, n.region,
              case when ${failed} then ${PAYMENT_STATES.sql(PaymentStatus.FAILED)} else ${PAYMENT_STATES.sql(PaymentStatus.PENDING)} end,
              case when ${failed} then '${PAYEE_UNRESOLVED}' end, n.reason, now(), now()
         from numbered n left join buckets k on k.part = n.part and k.bucket = n.bucket
       returning status)
     select status, count(*)::int as count from inserted group by status`,
    [cycleId, channel.id, channel.batchSize, uuidV7Prefix(), uuidV7Prefix()],
  );
  const count = (status: string) => result.rows.find((r) => r.status === status)?.count ?? 0;
  return { pending: count(PaymentStatus.PENDING), failed: count(PaymentStatus.FAILED) };
}
