/**
 * The rows of each export, as one SELECT whose only inputs are literals the route has validated and
 * quoted (COPY takes no bind parameters). Text a payee, a bank or a PSP wrote is defused against
 * spreadsheet formulas (CSV injection): a cell that starts with = + - @ or a control character gets a
 * leading apostrophe, which spreadsheets show as text.
 */
const defused = (column: string) => `case when ${column} ~ '^[=+@\\t\\r-]' then '''' || ${column} else ${column} end`;
const utc = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** Every payment of a cycle: beneficiary, payee address, amount, status, reason, batch and dates. */
export function cyclePaymentsSql(cycleLiteral: string): string {
  return `select p.id as payment_id, b.registrant_id as beneficiary_id, b.kind as beneficiary_kind,
      ${defused('p.payee_name')} as payee_name, ${defused('p.payee_fa')} as payee_address, ${defused('p.region')} as region,
      p.amount, p.currency, p.status, p.reason_code, ${defused('p.reason_message')} as reason_message,
      p.batch_id, bt.seq as batch_seq, bt.status as batch_status,
      ${utc('p.created_at')} as created_at, ${utc('p.updated_at')} as updated_at
    from disbursement_payments p
    join programme_beneficiaries b on b.id = p.beneficiary_id
    left join disbursement_batches bt on bt.id = p.batch_id
    where p.cycle_id = ${cycleLiteral}`;
}

/** A statement's outcome line by line: the disbursements it paid, those it reversed, and the lines it refused. */
export function statementReconciliationSql(statementLiteral: string): string {
  return `select outcome, entry_sequence, disbursement_id, bank_reference, amount, expected_amount, value_date, code, ${defused('detail')} as detail
    from (
      select 'PAID' as outcome, d.entry_sequence, d.disbursement_id, d.bank_reference, d.amount::numeric as amount,
             null::numeric as expected_amount, d.value_date::text as value_date, null::text as code, d.beneficiary_name_from_bank as detail
        from sponsor_bank_disbursements d where d.paid_statement_id = ${statementLiteral}
      union all
      select 'REVERSED', null, d.disbursement_id, d.reversal_bank_reference, d.amount, null, d.reversal_value_date::text, null, d.reversal_reason
        from sponsor_bank_disbursements d where d.reversal_statement_id = ${statementLiteral}
      union all
      select 'ERROR', e.entry_sequence, e.disbursement_id, e.bank_reference, e.amount, e.expected_amount, null, e.code, e.mark
        from reconciliation_errors e where e.statement_id = ${statementLiteral}
    ) lines
    order by entry_sequence nulls last, outcome`;
}

/**
 * One PSP's OTP collections in a period [from, to), by the time they were started; `creatorLiteral`
 * keeps an accountant to the collections it initiated (as the `transactions` query does).
 */
export function pspCollectionsSql(pspLiteral: string, fromLiteral: string, toLiteral: string, creatorLiteral?: string): string {
  return `select t.uuid as transaction_id, ${utc('t.datetime')} as started_at, ${utc('t.updated_at')} as updated_at,
      t.state, t.amount, t.currency, ${defused('t.psp_transaction_id')} as psp_transaction_id, t.psp_code,
      i.chf_id as insuree_chf_id, t.policy_uuid as policy_id
    from payment_transactions t
    left join insurees i on i.uuid = t.insuree_uuid
    where t.psp_uuid = ${pspLiteral} and t.datetime >= ${fromLiteral}::date and t.datetime < ${toLiteral}::date${creatorLiteral ? ` and t.created_by = ${creatorLiteral}` : ''}
    order by t.datetime, t.uuid`;
}
