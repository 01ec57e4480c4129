import type pg from 'pg';
import { payeeFaSql } from './channels/payee-fa.js';
import type { PayeeFaRule } from './channels/g2p-connect/g2p-connect.types.js';

/** Reason code stored on payments that fail before sending because no payee address could be built. */
export const PAYEE_UNRESOLVED = 'hela.payee.unresolved';

/**
 * One INSERT … SELECT turns a cycle's entitlements into payments. The payee is the insuree, or the
 * family's head; the payee FA is built by the channel's rule in SQL, and a payment without one is
 * FAILED with the reason at once (never silently dropped). The unique entitlement_id makes a second
 * generation impossible.
 */
export async function generatePayments(client: pg.ClientBase, cycleId: string, rule: PayeeFaRule): Promise<{ pending: number; failed: number }> {
  const { fa, reason } = payeeFaSql(rule, {
    bankAccountNumber: 'i.bank_account_number',
    iban: 'i.iban',
    bic: 'i.bic',
    phone: 'i.phone',
    email: 'i.email',
    registrantIds: 'i.registrant_ids',
    payeeKey: 'i.uuid',
  });
  const result = await client.query<{ status: string; count: number }>(
    `with inserted as (
       insert into disbursement_payments
         (id, cycle_id, entitlement_id, beneficiary_id, amount, currency, payee_fa, payee_name, region, status, reason_code, reason_message, created_at, updated_at)
       select gen_random_uuid(), e.cycle_id, e.id, e.beneficiary_id, e.amount, e.currency, x.fa,
              left(nullif(trim(concat_ws(' ', i.other_names, i.last_name)), ''), 255), left(coalesce(f.region, fi.region), 100),
              case when x.fa is null then 'FAILED' else 'PENDING' end,
              case when x.fa is null then '${PAYEE_UNRESOLVED}' end, x.reason, now(), now()
         from entitlements e
         join programme_beneficiaries b on b.id = e.beneficiary_id
         left join families f on b.kind = 'FAMILY' and f.uuid = b.registrant_id
         left join insurees i on i.uuid = case when b.kind = 'FAMILY' then f.head_uuid else b.registrant_id end
         left join families fi on fi.uuid = i.family_uuid
         cross join lateral (select ${fa} as fa, ${reason} as reason) x
        where e.cycle_id = $1
       returning status)
     select status, count(*)::int as count from inserted group by status`,
    [cycleId],
  );
  const count = (status: string) => result.rows.find((r) => r.status === status)?.count ?? 0;
  return { pending: count('PENDING'), failed: count('FAILED') };
}
