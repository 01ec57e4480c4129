import { REVERSED_BY_BANK } from '../../payouts/sponsor-bank/envelopes/cycle-handoff.js';
import { SponsorBankTransferStatus } from '../../payouts/sponsor-bank/envelopes/envelope.enums.js';
import { TRANSFER_STATES as T } from '../../payouts/sponsor-bank/envelopes/transfer-states.js';
import { PaymentStatus } from '../../programmes/programme.enums.js';
import { PAYMENT_STATES } from '../../programmes/payment-states.js';

const { PAID, REVERSED, CANCELLED } = SponsorBankTransferStatus;

/**
 * Set-based reconciliation of the entries staged in `statement_lines` against one sponsor account's disbursements.
 * Each mark is classified once into a temp table (analysed, so the planner hash-joins a million rows rather
 * than probing an index a million times), then applied, its errors recorded and its envelope counters moved.
 * Debits run before reversals, so a D and its RD in the same file both apply.
 */
export const STAGE_COLUMNS = ['entry_sequence', 'mark', 'amount', 'disbursement_id', 'bank_reference', 'value_date', 'entry_date', 'beneficiary_name', 'reversal_reason'] as const;

/** `amount` keeps the currency's decimals exactly (numeric without a scale): 1.234 KWD never becomes 1.23. */
export const STAGE_TABLE = `create temp table statement_lines (
  entry_sequence int not null, mark text not null, amount numeric not null, disbursement_id text not null,
  bank_reference text not null, value_date date not null, entry_date date, beneficiary_name text, reversal_reason text
) on commit drop`;

interface MarkRules {
  mark: 'D' | 'RD';
  /** SQL deciding a line's error from the match (`first_sequence` = the id's first line of this mark). */
  error: string;
  /** SET list for a line without error; `c` is the classified line, $1 the statement id. */
  apply: string;
  counter: 'paid_count' | 'reversed_count';
  /** SET list for the cycle payment a disbursement carries (`c` the classified line), and the status it must have. */
  payment: { set: string; to: PaymentStatus; from: PaymentStatus };
  /** The disbursement status a line without error moves it to. */
  to: SponsorBankTransferStatus;
}

const DEBITS: MarkRules = {
  mark: 'D',
  error: `case
    when d.id is null then 'INVALID_DISBURSEMENT_ID'
    when f.first_sequence <> l.entry_sequence or d.status in ${T.sqlIn([PAID, REVERSED])} then 'DUPLICATE_DISBURSEMENT'
    when d.status = ${T.sql(CANCELLED)} then 'CANCELLED_DISBURSEMENT'
    when l.amount <> d.amount then 'AMOUNT_MISMATCH'
  end`,
  to: PAID,
  apply: `bank_reference = c.bank_reference, value_date = c.value_date, entry_date = c.entry_date,
    paid_statement_id = $1, statement_number = $2, statement_sequence = $3, entry_sequence = c.entry_sequence,
    beneficiary_name_from_bank = c.beneficiary_name, updated_at = now()`,
  counter: 'paid_count',
  payment: { set: 'reason_code = null, reason_message = null', to: PaymentStatus.PAID, from: PaymentStatus.SENT },
};

const REVERSALS: MarkRules = {
  mark: 'RD',
  error: `case
    when d.id is null then 'INVALID_DISBURSEMENT_ID'
    when f.first_sequence <> l.entry_sequence or d.status = ${T.sql(REVERSED)} then 'DUPLICATE_REVERSAL'
    when d.status not in ${T.sqlFrom(REVERSED)} then 'INVALID_REVERSAL'
    when l.amount <> d.amount then 'AMOUNT_MISMATCH'
  end`,
  to: REVERSED,
  apply: `reversal_reason = c.reversal_reason, reversal_bank_reference = c.bank_reference,
    reversal_statement_id = $1, reversal_value_date = c.value_date, updated_at = now()`,
  counter: 'reversed_count',
  payment: { set: `reason_code = '${REVERSED_BY_BANK}', reason_message = coalesce(c.reversal_reason, 'reversed by the sponsor bank')`, to: PaymentStatus.REVERSED, from: PaymentStatus.PAID },
};

/** $1 sponsor account id. Creates `recon_<mark>`. */
function classify(r: MarkRules): string {
  return `create temp table recon_${r.mark} on commit drop as
    select l.*, d.id as d_id, d.amount as d_amount, d.envelope_id, d.payment_id, ${r.error} as error
      from statement_lines l
      join (select disbursement_id, min(entry_sequence) as first_sequence from statement_lines where mark = '${r.mark}' group by disbursement_id) f
        on f.disbursement_id = l.disbursement_id
      left join sponsor_bank_disbursements d on d.disbursement_id = l.disbursement_id
       and d.envelope_id in (select id from disbursement_envelopes where sponsor_account_id = $1)
     where l.mark = '${r.mark}'`;
}

function statements(r: MarkRules) {
  return {
    mark: r.mark,
    classify: classify(r),
    analyze: `analyze recon_${r.mark}`,
    /** The parts of a multi-part statement are applied one after the other in one transaction. */
    drop: `drop table recon_${r.mark}`,
    /** $1 the highest entry sequence a preview shows: what would happen to each of those entries. */
    outcomes: `select entry_sequence, disbursement_id, error from recon_${r.mark} where entry_sequence <= $1`,
    countErrors: `select count(*)::int as n from recon_${r.mark} where error is not null`,
    /** $1 statement id (debits also $2 statement number, $3 sequence). */
    apply: `update sponsor_bank_disbursements d set status = ${T.sql(r.to)}, ${r.apply}
      from recon_${r.mark} c where c.error is null and d.id = c.d_id and d.status in ${T.sqlFrom(r.to)}`,
    /** $1 statement id. */
    errors: `insert into reconciliation_errors (statement_id, entry_sequence, mark, code, disbursement_id, bank_reference, amount, expected_amount, created_at)
      select $1, entry_sequence, mark, error, disbursement_id, bank_reference, amount, case when error = 'AMOUNT_MISMATCH' then d_amount end, now()
        from recon_${r.mark} where error is not null`,
    /** Cycle payments handed to the bank by a send follow their disbursement (none for API-created envelopes). */
    payments: `update disbursement_payments p set status = ${PAYMENT_STATES.sql(r.payment.to)}, ${r.payment.set}, updated_at = now()
      from recon_${r.mark} c where c.error is null and c.payment_id is not null and p.id = c.payment_id
       and p.status in ${PAYMENT_STATES.sqlFrom(r.payment.to, [r.payment.from])}`,
    counters: `update disbursement_envelopes e set ${r.counter} = e.${r.counter} + p.n, updated_at = now()
      from (select envelope_id, count(*) as n from recon_${r.mark} where error is null group by envelope_id) p where e.id = p.envelope_id`,
  };
}

export const RECONCILE_DEBITS = statements(DEBITS);
export const RECONCILE_REVERSALS = statements(REVERSALS);
