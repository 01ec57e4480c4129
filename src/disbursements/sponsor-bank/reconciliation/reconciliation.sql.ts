/**
 * Set-based reconciliation of the lines staged in `mt940_lines` against one sponsor account's disbursements.
 * $1 statement id, $2 sponsor account id (and for debits $3 statement number, $4 sequence number). Debits run before
 * reversals (separate statements), so a D and its RD in the same file both apply.
 */
export const STAGE_TABLE = `create temp table mt940_lines (
  entry_sequence int not null, mark text not null, amount numeric(18,2) not null, disbursement_id text not null,
  bank_reference text not null, value_date date not null, entry_date date, beneficiary_name text, reversal_reason text
) on commit drop`;

const MATCH = (mark: string) => `
  select l.*, d.id as d_id, d.status as d_status, d.amount as d_amount, d.envelope_id,
         row_number() over (partition by l.disbursement_id order by l.entry_sequence) as nth
    from mt940_lines l
    left join sponsor_bank_disbursements d on d.disbursement_id = l.disbursement_id
     and d.envelope_id in (select id from disbursement_envelopes where sponsor_account_id = $2)
   where l.mark = '${mark}'`;

const RECORD_ERRORS = (mark: string) => `
  insert into reconciliation_errors (statement_id, entry_sequence, mark, code, disbursement_id, bank_reference, amount, expected_amount, created_at)
  select $1, entry_sequence, '${mark}', error, disbursement_id, bank_reference, amount,
         case when error = 'AMOUNT_MISMATCH' then d_amount end, now()
    from classified where error is not null
  returning 1`;

export const RECONCILE_DEBITS = `
with matched as (${MATCH('D')}),
classified as (
  select *, case
    when d_id is null then 'INVALID_DISBURSEMENT_ID'
    when nth > 1 or d_status in ('PAID', 'REVERSED') then 'DUPLICATE_DISBURSEMENT'
    when d_status = 'CANCELLED' then 'CANCELLED_DISBURSEMENT'
    when amount <> d_amount then 'AMOUNT_MISMATCH'
  end as error from matched),
paid as (
  update sponsor_bank_disbursements d set status = 'PAID', bank_reference = c.bank_reference, value_date = c.value_date,
         entry_date = c.entry_date, paid_statement_id = $1, statement_number = $3, statement_sequence = $4,
         entry_sequence = c.entry_sequence, beneficiary_name_from_bank = c.beneficiary_name, updated_at = now()
    from classified c where c.error is null and d.id = c.d_id
  returning d.envelope_id),
errors as (${RECORD_ERRORS('D')}),
counted as (
  update disbursement_envelopes e set paid_count = e.paid_count + p.n, updated_at = now()
    from (select envelope_id, count(*) as n from paid group by envelope_id) p where e.id = p.envelope_id
  returning 1)
select (select count(*) from paid)::int as applied, (select count(*) from errors)::int as errors, (select count(*) from counted)::int as envelopes`;

export const RECONCILE_REVERSALS = `
with matched as (${MATCH('RD')}),
classified as (
  select *, case
    when d_id is null then 'INVALID_DISBURSEMENT_ID'
    when nth > 1 or d_status = 'REVERSED' then 'DUPLICATE_REVERSAL'
    when d_status <> 'PAID' then 'INVALID_REVERSAL'
    when amount <> d_amount then 'AMOUNT_MISMATCH'
  end as error from matched),
reversed as (
  update sponsor_bank_disbursements d set status = 'REVERSED', reversal_reason = c.reversal_reason,
         reversal_bank_reference = c.bank_reference, reversal_statement_id = $1, reversal_value_date = c.value_date, updated_at = now()
    from classified c where c.error is null and d.id = c.d_id
  returning d.envelope_id),
errors as (${RECORD_ERRORS('RD')}),
counted as (
  update disbursement_envelopes e set reversed_count = e.reversed_count + p.n, updated_at = now()
    from (select envelope_id, count(*) as n from reversed group by envelope_id) p where e.id = p.envelope_id
  returning 1)
select (select count(*) from reversed)::int as applied, (select count(*) from errors)::int as errors, (select count(*) from counted)::int as envelopes`;
