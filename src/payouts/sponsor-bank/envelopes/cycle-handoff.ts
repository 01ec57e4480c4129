import type pg from 'pg';
import { PayoutChannelKind } from '../../channels/payout-channel.enums.js';
import { PAYEE_UNRESOLVED, payeeJoin } from '../../../programmes/payment-generation.js';
import type { PaymentChannels } from '../../routing/routing-decision.js';
import { PaymentStatus } from '../../../programmes/programme.enums.js';
import { PAYMENT_STATES } from '../../../programmes/payment-states.js';
import { auditInsertSql } from '../../../audit/audit-sql.js';

/** Reason code on PENDING payments routed to a sponsor bank at which their programme holds no funding account. */
export const SPONSOR_ACCOUNT_MISSING = 'SPONSOR_ACCOUNT_MISSING';

/** Reason code on payments whose disbursement was cancelled at the sponsor bank: PENDING again, the next send routes them anew. */
export const SPONSOR_BANK_CANCELLED = 'SPONSOR_BANK_CANCELLED';

/** Reason code on payments the sponsor bank reversed on its statement (the message is the bank's reason). */
export const REVERSED_BY_BANK = 'REVERSED_BY_BANK';

/**
 * How the bank reaches the payee (alias `i`, see payeeJoin): a bank account with a
 * BIC first, else a mobile wallet, else an e-mail wallet, each wallet only when the channel (`c`) names its provider.
 */
const ACCOUNT_TYPE = `case
  when coalesce(i.iban, i.bank_account_number) is not null and i.bic is not null then 'BANK_ACCOUNT'
  when c.sponsor_bank_config->>'mobileWalletProvider' is not null and coalesce(i.insuree_wallet, i.phone) is not null then 'MOBILE_WALLET'
  when c.sponsor_bank_config->>'emailWalletProvider' is not null and i.email is not null then 'EMAIL_WALLET' end`;

/** One event per envelope handed over ($1 the cycle id), in the hand-off's statement. */
const HANDED_OVER_AUDIT = auditInsertSql(
  {
    action: 'disbursementEnvelope.handedOver',
    entityType: 'DisbursementEnvelope',
    entityId: 'envelope_id',
    detail: `jsonb_build_object('cycleId', $1::text, 'channelId', channel_id, 'numberOfDisbursements', number_of_disbursements, 'totalAmount', total_amount::text)`,
  },
  'envelopes',
);

/**
 * Hands the cycle's payments that `to` (the routing decision, or the programme's channel) sends to sponsor-bank channels (those still PENDING and unbatched)
 * to those banks: per channel one disbursement envelope on the programme's funding
 * account there, declared and filled at once (count, total, currency, schedule date = the cycle's, or today
 * when that has passed), one disbursement per payment, and the payments SENT, all in the caller's
 * transaction under its cycle lock, so a payment is handed over once. The envelope pipeline then checks and
 * blocks funds and initiates the payments; the bank statement settles them
 * (src/statements/reconciliation/reconciliation.sql.ts). Each envelope leaves an audit event beside the send's own.
 * Payments without an account at that bank stay PENDING with a reason; payees the bank cannot reach FAIL.
 * Returns the new envelopes' ids.
 */
export async function handOffToSponsorBanks(client: pg.ClientBase, cycleId: string, to: PaymentChannels): Promise<string[]> {
  await client.query(
    `create temp table handoff on commit drop as
     select p.id as payment_id, p.amount, p.currency, c.id as channel_id, c.sponsor_bank_config as cfg, a.id as account_id,
            pr.mnemonic as programme_mnemonic, cy.code as cycle_code,
            greatest(cy.scheduled_date, (now() at time zone 'utc')::date) as schedule_date,
            coalesce(i.chf_id, b.registrant_id::text) as beneficiary_id,
            left(coalesce(p.payee_name, i.chf_id), 140) as beneficiary_name,
            coalesce(i.iban, i.bank_account_number) as bank_account, i.bic,
            coalesce(i.insuree_wallet, i.phone) as phone, i.email,
            ${ACCOUNT_TYPE} as account_type
       from (${to.sql}) r
       join payout_channels c on c.id = r.channel_id and c.kind = '${PayoutChannelKind.SPONSOR_BANK}'
       join disbursement_payments p on p.id = r.payment_id and p.status = ${PAYMENT_STATES.sql(PaymentStatus.PENDING)} and p.batch_id is null
       join programme_cycles cy on cy.id = p.cycle_id
       join programmes pr on pr.id = cy.programme_id
       left join sponsor_bank_accounts a
         on a.programme_mnemonic = pr.mnemonic and a.bank_code = c.sponsor_bank_config->>'bankCode' and a.currency = p.currency
       ${payeeJoin('p.beneficiary_id')}
      where p.cycle_id = $1`,
    [cycleId, ...to.params],
  );
  await client.query(
    `update disbursement_payments p
        set reason_code = '${SPONSOR_ACCOUNT_MISSING}', updated_at = now(),
            reason_message = 'programme ' || h.programme_mnemonic || ' has no ' || h.currency || ' funding account at sponsor bank '
                             || (h.cfg->>'bankCode') || '; configure it and send again'
       from handoff h where p.id = h.payment_id and h.account_id is null`,
  );
  await client.query(
    `update disbursement_payments p
        set status = ${PAYMENT_STATES.sql(PaymentStatus.FAILED)}, reason_code = '${PAYEE_UNRESOLVED}', updated_at = now(),
            reason_message = 'the sponsor bank cannot reach the payee: no bank account with BIC, and no phone or e-mail for a wallet provider the channel names'
       from handoff h where p.id = h.payment_id and h.account_id is not null and h.account_type is null
        and p.status in ${PAYMENT_STATES.sqlFrom(PaymentStatus.FAILED, [PaymentStatus.PENDING])}`,
  );
  const envelopes = await client.query<{ envelope_id: string }>(
    `with envelopes as (
       insert into disbursement_envelopes (id, envelope_id, sponsor_account_id, cycle_id, channel_id, programme_mnemonic, cycle_mnemonic,
         number_of_disbursements, total_amount, currency, schedule_date, request_hash, received_count, received_amount, cancelled_amount, created_at, updated_at)
       select gen_random_uuid(), gen_random_uuid()::text, account_id, $1, channel_id, min(programme_mnemonic), min(cycle_code),
              count(*), sum(amount), min(currency), min(schedule_date), 'handed over by sendDisbursements', count(*), sum(amount),
              round(0, currency_minor_units(min(currency))), now(), now()
         from handoff where account_id is not null and account_type is not null
        group by channel_id, account_id
       returning id, envelope_id, channel_id, sponsor_account_id, number_of_disbursements, total_amount),
     audited as (${HANDED_OVER_AUDIT}),
     disbursements as (
       insert into sponsor_bank_disbursements (id, disbursement_id, envelope_id, payment_id, beneficiary_id, beneficiary_name, beneficiary_account_type,
         beneficiary_account, beneficiary_bank_code, wallet_provider, phone_no, email, narrative, amount, request_hash, created_at, updated_at)
       select gen_random_uuid(), upper(left(md5(h.payment_id::text || e.id::text), 16)), e.id, h.payment_id, h.beneficiary_id, h.beneficiary_name,
              h.account_type, case when h.account_type = 'BANK_ACCOUNT' then h.bank_account end, case when h.account_type = 'BANK_ACCOUNT' then h.bic end,
              case h.account_type when 'MOBILE_WALLET' then h.cfg->>'mobileWalletProvider' when 'EMAIL_WALLET' then h.cfg->>'emailWalletProvider' end,
              case when h.account_type = 'MOBILE_WALLET' then h.phone end, case when h.account_type = 'EMAIL_WALLET' then h.email end,
              left(h.programme_mnemonic || ' ' || h.cycle_code, 65), h.amount, 'handed over by sendDisbursements', now(), now()
         from handoff h join envelopes e on e.channel_id = h.channel_id and e.sponsor_account_id = h.account_id
        where h.account_type is not null
       returning payment_id),
     sent as (
       update disbursement_payments p set status = ${PAYMENT_STATES.sql(PaymentStatus.SENT)}, reason_code = null, reason_message = null, updated_at = now()
         from disbursements d where p.id = d.payment_id and p.status in ${PAYMENT_STATES.sqlFrom(PaymentStatus.SENT, [PaymentStatus.PENDING])})
     select envelope_id from envelopes order by envelope_id`,
    [cycleId],
  );
  await client.query('drop table handoff'); // a channel-wide send hands over several cycles in one transaction
  return envelopes.rows.map((r) => r.envelope_id);
}
